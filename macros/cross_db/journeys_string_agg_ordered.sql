{#- Concatenate `expression` over a group, ordered by `order_by`,
    separated by `separator` (a SQL string literal). -#}
{% macro journeys_string_agg_ordered(expression, order_by, separator) %}
    {{ return(adapter.dispatch('journeys_string_agg_ordered', 'journeys')(
        expression, order_by, separator)) }}
{% endmacro %}

{% macro default__journeys_string_agg_ordered(expression, order_by, separator) %}
    string_agg({{ expression }}, {{ separator }} order by {{ order_by }})
{% endmacro %}
