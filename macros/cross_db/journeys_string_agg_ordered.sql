{#- Concatenate `expression` over a group, ordered by `order_by`,
    separated by `separator` (a SQL string literal). -#}
{% macro journeys_string_agg_ordered(expression, order_by, separator) %}
    {{ return(adapter.dispatch('journeys_string_agg_ordered', 'journeys')(
        expression, order_by, separator)) }}
{% endmacro %}

{% macro default__journeys_string_agg_ordered(expression, order_by, separator) %}
    string_agg({{ expression }}, {{ separator }} order by {{ order_by }})
{% endmacro %}

{#- Spark 3.5 has no ordered string_agg: collect (order key, value) pairs,
    sort them, keep the values. Null values are skipped, as string_agg does. -#}
{% macro spark__journeys_string_agg_ordered(expression, order_by, separator) %}
    array_join(
        transform(
            array_sort(collect_list(named_struct(
                'order_key', {{ order_by }}, 'value', {{ expression }}
            ))),
            entry -> entry.value
        ),
        {{ separator }}
    )
{% endmacro %}
