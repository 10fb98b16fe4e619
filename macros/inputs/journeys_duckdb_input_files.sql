{#-
    DuckDB helpers of journeys_input: find an input's files under
    raw_data_dir, build the reader expression, and list its columns.
    Paths only ever reach SQL as quoted string literals.
-#}

{#- {'csv': [paths], 'parquet': [paths]} for <dir>/<name>.<ext> and <dir>/<name>/*.<ext>. -#}
{% macro journeys_duckdb_input_files(raw_dir, input_name) %}
    {%- set base = raw_dir.rstrip('/') ~ '/' ~ input_name -%}
    {%- set found = {'csv': [], 'parquet': []} -%}
    {%- for kind in ['csv', 'parquet'] -%}
        {%- set query -%}
            select file from glob({{ journeys_sql_string(base ~ '.' ~ kind) }})
            union all
            select file from glob({{ journeys_sql_string(base ~ '/*.' ~ kind) }})
            order by file
        {%- endset -%}
        {%- set result = run_query(query) -%}
        {%- for row in result.rows -%}
            {%- do found[kind].append(row[0]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{#- A table function reading `paths` (all of one kind) as text where possible;
    with `source_file_column`, each row also carries its file's path in a
    column of that name. -#}
{% macro journeys_duckdb_reader(kind, paths, source_file_column=none) %}
    {%- set path_list = [] -%}
    {%- for path in paths -%}
        {%- do path_list.append(journeys_sql_string(path)) -%}
    {%- endfor -%}
    {%- set source_file = (", filename = " ~ journeys_sql_string(source_file_column))
                          if source_file_column else '' -%}
    {%- if kind == 'csv' -%}
        {#- Every CSV value is read as text: parsing and validation belong to
            staging, so an unparseable value is quarantined, not fatal. -#}
        {{ return("read_csv([" ~ (path_list | join(', ')) ~ "], header = true, "
                  ~ "all_varchar = true, union_by_name = true, delim = ',', "
                  ~ "quote = '\"', escape = '\"'" ~ source_file ~ ")") }}
    {%- else -%}
        {{ return("read_parquet([" ~ (path_list | join(', ')) ~ "], union_by_name = true" ~ source_file ~ ")") }}
    {%- endif -%}
{% endmacro %}


{#- Column names of a table expression, in order. -#}
{% macro journeys_duckdb_columns(reader) %}
    {%- set result = run_query("describe select * from " ~ reader) -%}
    {%- set names = [] -%}
    {%- for row in result.rows -%}
        {%- do names.append(row[0]) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
