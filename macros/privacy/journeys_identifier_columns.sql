{#- Input columns that identify a person and are pseudonymized when var
    pseudonymize_identifiers is true (README, "Personal data"). -#}
{% macro journeys_identifier_columns() %}
    {{ return(['customer_id', 'anonymous_id']) }}
{% endmacro %}
