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

{#- PostgreSQL: json_build_object spaces its output ('{"a" : 1}'); the
    raw values must read the same on every engine (they are compared, and
    hashed into rejected_row_id), so the object is assembled as DuckDB
    writes it: compact, keys in order, to_json's string escapes. -#}
{% macro postgres__journeys_json_object(columns) %}
    ('{'
    {%- for column in columns %}
        || '{{ ',' if not loop.first }}"{{ column }}":'
        || coalesce(cast(to_json(cast({{ column }} as text)) as text), 'null')
    {%- endfor %}
        || '}')
{% endmacro %}

{#- Spark: to_json drops null fields unless told not to. -#}
{% macro spark__journeys_json_object(columns) %}
    to_json(
        named_struct(
        {%- for column in columns %}
            '{{ column }}', cast({{ column }} as string){{ ',' if not loop.last }}
        {%- endfor %}
        ),
        map('ignoreNullFields', 'false')
    )
{% endmacro %}
