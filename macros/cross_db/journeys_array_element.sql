{#- The element at 1-based `position` of an array (null when out of range):
    `array[position]` on DuckDB and PostgreSQL; Spark indexes from 0 with
    [] and fails out of range, so it uses try_element_at. -#}
{% macro journeys_array_element(array_expression, position) %}
    {{ return(adapter.dispatch('journeys_array_element', 'journeys')(
        array_expression, position)) }}
{% endmacro %}

{% macro default__journeys_array_element(array_expression, position) %}
    ({{ array_expression }})[{{ position }}]
{% endmacro %}

{% macro spark__journeys_array_element(array_expression, position) %}
    try_element_at({{ array_expression }}, {{ position }})
{% endmacro %}
