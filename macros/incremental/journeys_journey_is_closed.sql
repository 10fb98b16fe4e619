{#- SPEC 4: a journey is closed when as_of is more than journey_timeout_days
    after its last event. Used by fct_journeys and by its post-hook, which
    re-evaluates every journey after an incremental run (as_of moves). -#}
{% macro journeys_journey_is_closed(ended_at, as_of_at) %}
    {%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}
    {{ as_of_at }} > {{ dbt.dateadd('day', journey_timeout_days, ended_at) }}
{% endmacro %}
