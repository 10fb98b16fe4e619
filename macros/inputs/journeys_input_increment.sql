{#-
    The rows of an input that an incremental base model must (re)classify,
    as an aliased subquery with the contract's columns as text plus
    `_source_file` (the file a row came from).

    Full build (or no raw_data_dir, or an engine without file-incremental
    runs): every row, exactly as journeys_input reads them.

    Incremental run (DuckDB, raw_data_dir): files are append-only. A file
    not read before is new; every row of a new file is read, and so is every
    row of an already-read file whose key (`key_expression` over the raw
    text) is a key of a new row, a key of a row `this` holds as rejected for
    `recheck_reason` (a rule that depends on the clock), or missing. Those
    are exactly the rows whose classification can change, since a row is
    classified against the rows sharing its key only. A file that changed
    (size or modification time) or vanished since it was read is a clear
    error: rerun with --full-refresh.

    Files are known by their path relative to raw_data_dir (`_source_file`
    holds e.g. `events.csv` or `events/part-2.parquet`), so a data folder
    moved or copied elsewhere with its files unchanged (same size and
    modification time, as `cp -p`, `rsync -t` or a publish keep them) is the
    same set of files, not a new one.
-#}
{% macro journeys_input_increment(input_name, key_expression, recheck_reason) %}
    {{ return(adapter.dispatch('journeys_input_increment', 'journeys')(
        input_name, key_expression, recheck_reason)) }}
{% endmacro %}

{% macro default__journeys_input_increment(input_name, key_expression, recheck_reason) %}
    (
        select
            {{ input_name }}_input.*,
            cast(null as {{ dbt.type_string() }}) as _source_file,
            cast(null as {{ dbt.type_string() }}) as _source_signature
        from {{ journeys_input(input_name) }}
    ) as {{ input_name }}_increment
{% endmacro %}

{% macro duckdb__journeys_input_increment(input_name, key_expression, recheck_reason) %}
    {%- set raw_dir = journeys_raw_data_dir() -%}
    {%- if raw_dir == '' or not execute -%}
        {{ return(default__journeys_input_increment(input_name, key_expression, recheck_reason)) }}
    {%- endif -%}
    {%- set files = journeys_duckdb_input_files(raw_dir, input_name) -%}
    {%- if files['csv'] | length == 0 and files['parquet'] | length == 0 -%}
        {{ return(default__journeys_input_increment(input_name, key_expression, recheck_reason)) }}
    {%- endif -%}
    {%- set signatures = journeys_duckdb_file_signatures(files['csv'] + files['parquet']) -%}
    {%- set prefix = raw_dir.rstrip('/') ~ '/' -%}
    {%- set relative = {} -%}
    {%- for path in signatures -%}
        {%- do relative.update({path: path[prefix | length:] if path.startswith(prefix) else path}) -%}
    {%- endfor -%}
    {%- set relative_signatures = {} -%}
    {%- for path, signature in signatures.items() -%}
        {%- do relative_signatures.update({relative[path]: signature}) -%}
    {%- endfor -%}
    {%- set new_files = {'csv': [], 'parquet': []} -%}
    {%- set old_files = {'csv': [], 'parquet': []} -%}
    {%- if is_incremental() -%}
        {%- set read_before = {} -%}
        {%- for row in run_query(
                "select distinct _source_file, _source_signature from " ~ this
                ~ " where _source_file is not null").rows -%}
            {%- do read_before.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- for path, signature in read_before.items() if relative_signatures.get(path) != signature -%}
            {{ exceptions.raise_compiler_error(
                "journeys: input file " ~ path ~ " changed or vanished since the last run; "
                ~ "raw_data_dir files are append-only between incremental runs: rerun with "
                ~ "--full-refresh") }}
        {%- endfor -%}
        {%- for kind in ['csv', 'parquet'] -%}
            {%- for path in files[kind] -%}
                {%- do (old_files if relative[path] in read_before else new_files)[kind].append(path) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- else -%}
        {%- do new_files.update(files) -%}
    {%- endif -%}
    {%- set new_rows = journeys_duckdb_file_rows(input_name, new_files, raw_dir) -%}
    {%- set old_rows = journeys_duckdb_file_rows(input_name, old_files, raw_dir) -%}
    (
        select
            file_rows.* exclude (_source_file),
            file_signatures.relative_file as _source_file,
            file_signatures.source_signature as _source_signature
        from (
            select * from {{ new_rows }} as new_rows
            {%- if old_files['csv'] | length + old_files['parquet'] | length > 0 %}
            union all
            select old_rows.* from {{ old_rows }} as old_rows
            where
                {{ key_expression }} is null
                or {{ key_expression }} in (
                    select {{ key_expression }} from {{ new_rows }} as new_keys
                    union all
                    select recheck.record_key from {{ this }} as recheck
                    where recheck.rejection_reason = {{ journeys_sql_string(recheck_reason) }}
                )
            {%- endif %}
        ) as file_rows
        left join (
            values
            {%- for path, signature in signatures.items() %}
                (
                    {{ journeys_sql_string(path) }},
                    {{ journeys_sql_string(relative[path]) }},
                    {{ journeys_sql_string(signature) }}
                )
                {{- ',' if not loop.last }}
            {%- endfor %}
        ) as file_signatures (source_file, relative_file, source_signature)
            on file_rows._source_file = file_signatures.source_file
    ) as {{ input_name }}_increment
{% endmacro %}


{#- {path: 'size:modified'} of each file: a file that is rewritten gets a new signature. -#}
{% macro journeys_duckdb_file_signatures(paths) %}
    {%- set signatures = {} -%}
    {%- if paths | length > 0 -%}
        {%- set quoted = [] -%}
        {%- for path in paths -%}
            {%- do quoted.append(journeys_sql_string(path)) -%}
        {%- endfor -%}
        {%- set result = run_query(
                "select filename, cast(size as varchar) || ':' || cast(epoch_us(last_modified) as varchar)"
                ~ " from read_blob([" ~ (quoted | join(', ')) ~ "])") -%}
        {%- for row in result.rows -%}
            {%- do signatures.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(signatures) }}
{% endmacro %}


{#- The contract columns (text) and `_source_file` of the given files
    ({'csv': [...], 'parquet': [...]}), as a parenthesised select; empty
    when there are none. -#}
{% macro journeys_duckdb_file_rows(input_name, files, raw_dir) %}
    {%- set parts = [] -%}
    {%- for kind in ['parquet', 'csv'] if files[kind] | length > 0 -%}
        {%- set reader = journeys_duckdb_reader(kind, files[kind], source_file_column='_source_file') -%}
        {%- set present = journeys_duckdb_columns(reader) | reject('equalto', '_source_file') | list -%}
        {%- do parts.append(journeys_select_contract_columns(
                input_name, reader, present, kind ~ ' files in ' ~ raw_dir,
                extra_columns=['_source_file'])) -%}
    {%- endfor -%}
    {%- if parts | length == 0 -%}
        {%- set columns = [] -%}
        {%- for column in journeys_input_contract(input_name)['columns'] + ['_source_file'] -%}
            {%- do columns.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endfor -%}
        {{ return('(select ' ~ (columns | join(', ')) ~ ' where 1 = 0)') }}
    {%- endif -%}
    {{ return('(' ~ (parts | join('\nunion all\n')) ~ ')') }}
{% endmacro %}
