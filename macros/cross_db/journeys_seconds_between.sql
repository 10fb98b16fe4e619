{#- Exact seconds (fractional) from timestamp `start` to timestamp `end`. -#}
{% macro journeys_seconds_between(start, end) %}
    {{ return(adapter.dispatch('journeys_seconds_between', 'journeys')(start, end)) }}
{% endmacro %}

{% macro default__journeys_seconds_between(start, end) %}
    extract(epoch from ({{ end }} - {{ start }}))
{% endmacro %}

{% macro duckdb__journeys_seconds_between(start, end) %}
    (epoch_us({{ end }}) - epoch_us({{ start }})) / 1000000.0
{% endmacro %}
