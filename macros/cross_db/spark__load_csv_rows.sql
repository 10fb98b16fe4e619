{#-
    Overrides dbt-spark's seed loader (dbt.load_csv_rows dispatches to the
    root project first). With method session, dbt-spark substitutes values
    into '%s' placeholders unescaped: a quote in a value breaks the insert
    and a null becomes the text 'None'. This one writes each value as an
    escaped SQL literal (null as null), text plainly and other types through
    a cast, which also parses much faster than a cast around every value.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(column_override.get(col_name, inferred_type) | lower) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {%- if value is none -%}
                        null
                    {%- else -%}
                        {%- set literal = "'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'" -%}
                        {%- if types[loop.index0] == 'string' -%}
                            {{ literal }}
                        {%- else -%}
                            cast({{ literal }} as {{ types[loop.index0] }})
                        {%- endif -%}
                    {%- endif -%}
                    {{- ',' if not loop.last -}}
                {%- endfor -%}
                ){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
