{#- A hash of `columns` (SQL expressions) for change detection: equal
    values give equal hashes; any changed value almost surely changes it. -#}
{% macro journeys_row_hash(columns) %}
    {{ return(adapter.dispatch('journeys_row_hash', 'journeys')(columns)) }}
{% endmacro %}

{% macro default__journeys_row_hash(columns) %}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{% endmacro %}

{% macro duckdb__journeys_row_hash(columns) %}
    hash({{ columns | join(', ') }})
{% endmacro %}
