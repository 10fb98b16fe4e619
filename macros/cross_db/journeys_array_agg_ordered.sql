{#- Collect `expression` over a group into an array, ordered by `order_by`
    (an ordered list: DuckDB LIST, PostgreSQL array, Spark array). The
    element type is the expression's; its contract type per engine is in
    the YAML of the model that uses it (`&text_list`). Null values are kept
    on DuckDB and PostgreSQL and skipped on Spark: pass a never-null
    expression. -#}
{% macro journeys_array_agg_ordered(expression, order_by) %}
    {{ return(adapter.dispatch('journeys_array_agg_ordered', 'journeys')(
        expression, order_by)) }}
{% endmacro %}

{% macro default__journeys_array_agg_ordered(expression, order_by) %}
    array_agg({{ expression }} order by {{ order_by }})
{% endmacro %}

{% macro duckdb__journeys_array_agg_ordered(expression, order_by) %}
    list({{ expression }} order by {{ order_by }})
{% endmacro %}

{#- Spark 3.5 has no ordered collect_list: collect (order key, value) pairs,
    sort them, keep the values (as journeys_string_agg_ordered does). -#}
{% macro spark__journeys_array_agg_ordered(expression, order_by) %}
    transform(
        array_sort(collect_list(named_struct(
            'order_key', {{ order_by }}, 'value', {{ expression }}
        ))),
        entry -> entry.value
    )
{% endmacro %}
