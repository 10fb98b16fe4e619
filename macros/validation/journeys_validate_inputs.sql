{#-
    raw_data_dir checked before any model runs (journeys_validate_configuration):
    the folder exists and holds files, the required events input is there,
    and every input file carries the required columns with usable types.
    One clear message naming the variable, file or column otherwise.
-#}
{% macro journeys_validate_inputs() %}
    {{ return(adapter.dispatch('journeys_validate_inputs', 'journeys')()) }}
{% endmacro %}

{#- PostgreSQL (and any engine without a file reader): raw_data_dir cannot
    be read at all; say so before anything runs. -#}
{% macro default__journeys_validate_inputs() %}
    {%- if journeys_raw_data_dir() != '' -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var raw_data_dir is set, but reading raw_data_dir files is not supported"
            ~ " on adapter '" ~ adapter.type() ~ "'; load the inputs into tables named like the"
            ~ " sample seeds instead (README, \"Scaling out\")") }}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__journeys_validate_inputs() %}
    {%- set raw_dir = journeys_raw_data_dir() -%}
    {%- if raw_dir == '' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set listed = run_query(
            "select count(*) from glob(" ~ journeys_sql_string(raw_dir.rstrip('/') ~ '/**') ~ ")") -%}
    {%- if listed.rows[0][0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var raw_data_dir '" ~ raw_dir ~ "' does not exist, is not a folder or is"
            ~ " empty: expected a folder holding events.parquet, events.csv or a folder events/"
            ~ " (customers, survey_responses, marketing_spend and campaigns are optional)") }}
    {%- endif -%}
    {%- for input_name in journeys_input_names() -%}
        {%- set files = journeys_duckdb_input_files(raw_dir, input_name) -%}
        {%- if files['csv'] | length == 0 and files['parquet'] | length == 0
                and not journeys_input_contract(input_name)['optional_input'] -%}
            {%- do journeys_missing_input(input_name, raw_dir) -%}
        {%- endif -%}
        {%- for kind in ['parquet', 'csv'] if files[kind] | length > 0 -%}
            {%- set reader = journeys_duckdb_reader(kind, files[kind]) -%}
            {%- set described = run_query('describe select * from ' ~ reader) -%}
            {%- set names = [] -%}
            {%- set typed = [] -%}
            {%- for row in described.rows -%}
                {%- do names.append(row[0]) -%}
                {%- do typed.append([row[0], row[1]]) -%}
            {%- endfor -%}
            {%- set where = kind ~ ' files in ' ~ raw_dir -%}
            {%- do journeys_select_contract_columns(input_name, reader, names, where) -%}
            {%- do journeys_check_column_types(input_name, typed, where) -%}
        {%- endfor -%}
    {%- endfor -%}
{% endmacro %}

{#- Spark: the folder listing and the events input are checked here; the
    columns and their types when the base models read the files (Spark
    raises on a path that does not exist, in its own words). -#}
{% macro spark__journeys_validate_inputs() %}
    {%- set raw_dir = journeys_raw_data_dir() -%}
    {%- if raw_dir == '' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set files = journeys_spark_input_files(raw_dir, 'events') -%}
    {%- if files['csv'] | length == 0 and files['parquet'] | length == 0 -%}
        {%- do journeys_missing_input('events', raw_dir) -%}
    {%- endif -%}
{% endmacro %}
