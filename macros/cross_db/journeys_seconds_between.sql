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

{#- PostgreSQL: extract(epoch ...) of an interval is an exact numeric; as a
    double it is the same correctly rounded value DuckDB computes. -#}
{% macro postgres__journeys_seconds_between(start, end) %}
    cast(extract(epoch from ({{ end }} - {{ start }})) as double precision)
{% endmacro %}

{#- Spark: micro-second difference as a double (a decimal division would
    round to 6 decimal places). -#}
{% macro spark__journeys_seconds_between(start, end) %}
    (cast(unix_micros({{ end }}) - unix_micros({{ start }}) as double) / 1000000)
{% endmacro %}
