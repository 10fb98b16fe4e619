{#- A Python/Jinja string as a safely quoted SQL string literal. -#}
{% macro journeys_sql_string(value) %}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{% endmacro %}
