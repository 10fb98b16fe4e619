{#-
    How the event-grain models are materialised: incremental where the
    project implements exact incremental runs (DuckDB), a table elsewhere.
    Models call this in config() instead of testing the engine themselves.
-#}
{% macro journeys_event_materialization() %}
    {{ return(adapter.dispatch('journeys_event_materialization', 'journeys')()) }}
{% endmacro %}

{% macro default__journeys_event_materialization() %}
    {{ return('table') }}
{% endmacro %}

{% macro duckdb__journeys_event_materialization() %}
    {{ return('incremental') }}
{% endmacro %}
