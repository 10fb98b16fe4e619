{#- The wall-clock instant as a UTC timestamp without time zone. -#}
{% macro journeys_current_timestamp_utc() %}
    {{ return(adapter.dispatch('journeys_current_timestamp_utc', 'journeys')()) }}
{% endmacro %}

{% macro default__journeys_current_timestamp_utc() %}
    cast(current_timestamp at time zone 'UTC' as {{ dbt.type_timestamp() }})
{% endmacro %}

{% macro duckdb__journeys_current_timestamp_utc() %}
    cast(timezone('UTC', current_timestamp) as timestamp)
{% endmacro %}

{#- Spark: timestamps are instants shown in the session time zone, which
    the profile sets to UTC. -#}
{% macro spark__journeys_current_timestamp_utc() %}
    current_timestamp()
{% endmacro %}
