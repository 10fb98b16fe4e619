{#- Passes when `model` and `compare_model` hold the same number of rows,
    optionally with a filter on each side: e.g. every clean input row
    reaches its mart, no row is lost or doubled between layers. -#}
{% test row_count_matches(model, compare_model, where_clause='1 = 1', compare_where_clause='1 = 1') %}
    {{ return(adapter.dispatch('test_row_count_matches', 'journeys')(
        model, compare_model, where_clause, compare_where_clause)) }}
{% endtest %}

{% macro default__test_row_count_matches(model, compare_model, where_clause, compare_where_clause) %}
    select *
    from (
        select
            (select count(*) from {{ model }} where {{ where_clause }}) as model_rows,
            (select count(*) from {{ compare_model }} where {{ compare_where_clause }})
                as compare_model_rows
    ) as counts
    where model_rows <> compare_model_rows
{% endmacro %}
