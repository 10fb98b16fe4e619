{#- The names of the inputs of SPEC section 1, in contract order. -#}
{% macro journeys_input_names() %}
    {{ return(['events', 'customers', 'survey_responses', 'marketing_spend', 'campaigns']) }}
{% endmacro %}
