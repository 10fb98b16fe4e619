{#- The period grains every trend report is computed at (SPEC: ISO week,
    starting Monday, and calendar month). -#}
{% macro journeys_period_grains() %}
    {{ return(['week', 'month']) }}
{% endmacro %}
