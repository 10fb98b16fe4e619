{#- A JSON object (as text) of the given columns, keyed by column name:
    how a rejected or dropped row's raw values are kept. -#}
{% macro journeys_json_object(columns) %}
    {{ return(adapter.dispatch('journeys_json_object', 'journeys')(columns)) }}
{% endmacro %}

{% macro default__journeys_json_object(columns) %}
    cast(json_build_object(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{% endmacro %}

{% macro duckdb__journeys_json_object(columns) %}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{% endmacro %}
