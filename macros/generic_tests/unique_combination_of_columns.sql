{#- Passes when no two rows share the same values of `combination` (a list
    of column names): the grain test of every report. -#}
{% test unique_combination_of_columns(model, combination) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns', 'journeys')(
        model, combination)) }}
{% endtest %}

{% macro default__test_unique_combination_of_columns(model, combination) %}
    select
        {{ combination | join(', ') }},
        count(*) as rows_sharing_the_combination
    from {{ model }}
    group by {{ combination | join(', ') }}
    having count(*) > 1
{% endmacro %}
