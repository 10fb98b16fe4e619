{#- A JSON object (as text) of the given columns, keyed by column name:
    how a rejected or dropped row's raw values are kept. `expressions`
    (optional) maps a key to the SQL text expression giving its value
    instead of the column of that name. -#}
{% macro journeys_json_object(columns, expressions={}) %}
    {%- set values = [] -%}
    {%- for column in columns -%}
        {%- do values.append(expressions.get(column, column)) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('journeys_json_object', 'journeys')(columns, values)) }}
{% endmacro %}

{% macro default__journeys_json_object(columns, values) %}
    cast(json_build_object(
        {%- for column in columns %}
        '{{ column }}', {{ values[loop.index0] }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{% endmacro %}

{% macro duckdb__journeys_json_object(columns, values) %}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ values[loop.index0] }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{% endmacro %}

{#- PostgreSQL: json_build_object spaces its output ('{"a" : 1}'); the
    raw values must read the same on every engine (they are compared, and
    hashed into rejected_row_id), so the object is assembled as DuckDB
    writes it: compact, keys in order, to_json's string escapes. -#}
{% macro postgres__journeys_json_object(columns, values) %}
    ('{'
    {%- for column in columns %}
        || '{{ ',' if not loop.first }}"{{ column }}":'
        || coalesce(cast(to_json(cast({{ values[loop.index0] }} as text)) as text), 'null')
    {%- endfor %}
        || '}')
{% endmacro %}

{#- Spark: to_json drops null fields unless told not to. -#}
{% macro spark__journeys_json_object(columns, values) %}
    to_json(
        named_struct(
        {%- for column in columns %}
            '{{ column }}', cast({{ values[loop.index0] }} as string){{ ',' if not loop.last }}
        {%- endfor %}
        ),
        map('ignoreNullFields', 'false')
    )
{% endmacro %}
