{#- Exact whole microseconds (bigint) from timestamp `start` to timestamp
    `end`: for comparisons that must be exact at an edge (a double of
    seconds can round there). -#}
{% macro journeys_micros_between(start, end) %}
    {{ return(adapter.dispatch('journeys_micros_between', 'journeys')(start, end)) }}
{% endmacro %}

{% macro default__journeys_micros_between(start, end) %}
    cast(extract(epoch from ({{ end }} - {{ start }})) * 1000000 as bigint)
{% endmacro %}

{% macro duckdb__journeys_micros_between(start, end) %}
    (epoch_us({{ end }}) - epoch_us({{ start }}))
{% endmacro %}

{#- PostgreSQL: extract(epoch ...) of an interval is an exact numeric. -#}
{% macro postgres__journeys_micros_between(start, end) %}
    cast(extract(epoch from ({{ end }} - {{ start }})) * 1000000 as bigint)
{% endmacro %}

{% macro spark__journeys_micros_between(start, end) %}
    (unix_micros({{ end }}) - unix_micros({{ start }}))
{% endmacro %}
