{#- The text value of field `key` (a plain column name) of a JSON object
    written by journeys_json_object; null for a JSON null. -#}
{% macro journeys_json_text_field(json_expression, key) %}
    {{ return(adapter.dispatch('journeys_json_text_field', 'journeys')(json_expression, key)) }}
{% endmacro %}

{% macro default__journeys_json_text_field(json_expression, key) %}
    (cast({{ json_expression }} as json) ->> {{ journeys_sql_string(key) }})
{% endmacro %}

{% macro duckdb__journeys_json_text_field(json_expression, key) %}
    json_extract_string({{ json_expression }}, {{ journeys_sql_string('$.' ~ key) }})
{% endmacro %}

{% macro spark__journeys_json_text_field(json_expression, key) %}
    get_json_object({{ json_expression }}, {{ journeys_sql_string('$.' ~ key) }})
{% endmacro %}
