{#-
    Spark helpers of journeys_input: find an input's files under
    raw_data_dir with Spark's own file listing, and expose them through
    Spark's native csv / parquet readers as external tables (metadata only:
    no data is copied, and dropping one leaves the files alone). Tables,
    not temporary views, so that views built on the inputs work too, and on
    a cluster reached over thrift as well as in a local session.
    Paths only ever reach SQL as quoted string literals.
-#}

{#- {'csv': [paths or globs], 'parquet': [...]} for <dir>/<name>.<ext> and <dir>/<name>/*.<ext>. -#}
{% macro journeys_spark_input_files(raw_dir, input_name) %}
    {%- set base = raw_dir.rstrip('/') -%}
    {%- set listing = 'journeys_raw_file_listing' -%}
    {%- call statement('journeys_list_raw_files') -%}
        create or replace temporary view {{ listing }}
        using binaryFile
        options (
            path {{ journeys_sql_string(base) }},
            recursiveFileLookup 'true',
            pathGlobFilter '*.{csv,parquet}'
        )
    {%- endcall -%}
    {%- set result = run_query('select path from ' ~ listing ~ ' order by path') -%}
    {#- Listed paths are qualified (file:/..., s3a://...): compare what
        follows the folder's own path. -#}
    {%- set folder = base.split('://', 1)[1] if '://' in base else base -%}
    {%- set found = {'csv': [], 'parquet': []} -%}
    {%- set folder_globs = {} -%}
    {%- for row in result.rows -%}
        {%- set path = row[0] -%}
        {%- set at = path.find(folder ~ '/') -%}
        {%- if at >= 0 -%}
            {%- set relative = path[at + (folder | length) + 1:] -%}
            {%- for kind in ['csv', 'parquet'] -%}
                {%- if relative == input_name ~ '.' ~ kind -%}
                    {%- do found[kind].append(path) -%}
                {%- elif modules.re.fullmatch(modules.re.escape(input_name) ~ '/[^/]+[.]' ~ kind, relative) -%}
                    {%- do folder_globs.update({kind: path[:at + (folder | length) + 1] ~ input_name ~ '/*.' ~ kind}) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for kind, glob in folder_globs.items() -%}
        {%- do found[kind].append(glob) -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{#- An external table over `path` (one file or a glob of one kind), named
    after the input; returns its name. CSV values are all read as text. -#}
{% macro journeys_spark_reader(input_name, kind, path, number) %}
    {%- set name = target.schema ~ '.journeys_files_' ~ input_name ~ '_' ~ kind ~ '_' ~ number -%}
    {%- call statement('journeys_drop_reader') -%}
        drop table if exists {{ name }}
    {%- endcall -%}
    {%- call statement('journeys_create_reader') -%}
        create table {{ name }}
        using {{ kind }}
        options (
            path {{ journeys_sql_string(path) }},
            {%- if kind == 'csv' %}
            header 'true',
            inferSchema 'false',
            sep ',',
            quote '"',
            escape '"',
            multiLine 'true',
            mode 'FAILFAST'
            {%- else %}
            mergeSchema 'true'
            {%- endif %}
        )
    {%- endcall -%}
    {{ return(name) }}
{% endmacro %}


{#- Column names of a table, in order. -#}
{% macro journeys_spark_columns(relation_name) %}
    {%- set result = run_query('select * from ' ~ relation_name ~ ' limit 0') -%}
    {{ return(result.column_names | list) }}
{% endmacro %}


{#- The table as a subquery in which time-zone-aware timestamps (Parquet
    UTC instants) read as DuckDB writes them as text, with a '+00' suffix:
    the raw text kept for rejected rows is then the same on both engines. -#}
{% macro journeys_spark_reader_as_text(relation_name) %}
    {%- set described = run_query('describe ' ~ relation_name) -%}
    {%- set columns = [] -%}
    {%- for row in described.rows -%}
        {%- if row[0] and not row[0].startswith('#') and row[0] not in columns | map('first') -%}
            {%- do columns.append([row[0], row[1] | lower]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set selected = [] -%}
    {%- for name, data_type in columns -%}
        {%- if data_type == 'timestamp' -%}
            {%- do selected.append("concat(cast(`" ~ name ~ "` as string), '+00') as `" ~ name ~ "`") -%}
        {%- else -%}
            {%- do selected.append("`" ~ name ~ "`") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('(select ' ~ (selected | join(', ')) ~ ' from ' ~ relation_name ~ ') as '
              ~ relation_name.split('.')[-1]) }}
{% endmacro %}
