{#-
    A relation (an aliased subquery, `<input_name>_input`) holding one raw input with exactly
    the contract's columns, every value as text, as it was received.

    With var raw_data_dir empty, the shipped sample seed `raw_<input_name>` is
    read. Otherwise the files of that folder are read (engine-specific, see
    the dispatched implementations). Staging models are the only callers.
-#}
{% macro journeys_input(input_name) %}
    {{ return(adapter.dispatch('journeys_input', 'journeys')(input_name)) }}
{% endmacro %}

{% macro default__journeys_input(input_name) %}
    {%- set contract = journeys_input_contract(input_name) -%}
    {%- if journeys_raw_data_dir() == '' -%}
        (
            select
            {%- for column in contract['columns'] %}
                cast({{ adapter.quote(column) }} as {{ dbt.type_string() }})
                    as {{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
            from {{ ref('raw_' ~ input_name) }}
        ) as {{ input_name }}_input
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "journeys: reading raw_data_dir files is not supported on adapter '"
            ~ adapter.type() ~ "'; load the inputs into tables instead") }}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__journeys_input(input_name) %}
    {%- set contract = journeys_input_contract(input_name) -%}
    {%- set raw_dir = journeys_raw_data_dir() -%}
    {%- if raw_dir == '' -%}
        {{ return(default__journeys_input(input_name)) }}
    {%- endif -%}
    {%- if not execute -%}
        {#- Parsing: no files are read; any relation of the right shape will do. -#}
        {{ return(journeys_empty_input(input_name)) }}
    {%- endif -%}
    {%- set files = journeys_duckdb_input_files(raw_dir, input_name) -%}
    {%- if files['csv'] | length == 0 and files['parquet'] | length == 0 -%}
        {{ return(journeys_missing_input(input_name, raw_dir)) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for kind in ['parquet', 'csv'] if files[kind] | length > 0 -%}
        {%- set reader = journeys_duckdb_reader(kind, files[kind]) -%}
        {%- set present = journeys_duckdb_columns(reader) -%}
        {%- do parts.append(journeys_select_contract_columns(
                input_name, reader, present, kind ~ ' files in ' ~ raw_dir)) -%}
    {%- endfor -%}
    ({{ parts | join('\nunion all\n') }}) as {{ input_name }}_input
{% endmacro %}


{#- An input with no file in raw_data_dir: empty when the input is
    optional, else one clear error naming what was expected. -#}
{% macro journeys_missing_input(input_name, raw_dir) %}
    {%- if journeys_input_contract(input_name)['optional_input'] -%}
        {{ log("journeys: no " ~ input_name ~ " input in " ~ raw_dir
               ~ "; " ~ input_name ~ " is optional, reading it as empty", info=true) }}
        {{ return(journeys_empty_input(input_name)) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "journeys: raw_data_dir '" ~ raw_dir ~ "' holds no " ~ input_name
        ~ " input: expected " ~ input_name ~ ".parquet, " ~ input_name
        ~ ".csv or a folder " ~ input_name ~ "/ of such files") }}
{% endmacro %}


{#- The value of var raw_data_dir, trimmed, '' when not set. -#}
{% macro journeys_raw_data_dir() %}
    {%- set raw_dir = var('raw_data_dir', '') -%}
    {{ return('' if raw_dir is none else (raw_dir | string | trim)) }}
{% endmacro %}


{#- An empty relation with the input's contract columns, all text. -#}
{% macro journeys_empty_input(input_name) %}
    {%- set contract = journeys_input_contract(input_name) -%}
    (
        select
        {%- for column in contract['columns'] %}
            cast(null as {{ dbt.type_string() }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
        where 1 = 0
    ) as {{ input_name }}_input
{% endmacro %}


{#-
    select-list over `reader` (a table expression) that yields the contract
    columns as text. Columns are matched case-insensitively; a missing
    optional column is null; a missing required column is a clear error.
-#}
{% macro journeys_select_contract_columns(input_name, reader, present, where, extra_columns=[]) %}
    {%- set contract = journeys_input_contract(input_name) -%}
    {%- set by_lower = {} -%}
    {%- for name in present -%}
        {%- do by_lower.update({name | lower | trim: name}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in contract['required'] if column not in by_lower -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if contract['one_of'] | length > 0 -%}
        {%- set found = [] -%}
        {%- for column in contract['one_of'] if column in by_lower -%}
            {%- do found.append(column) -%}
        {%- endfor -%}
        {%- if found | length == 0 -%}
            {%- do missing.append(contract['one_of'] | join(' or ')) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: input " ~ input_name ~ " (" ~ where ~ ") lacks required column(s) "
            ~ (missing | join(', ')) ~ "; it has: " ~ (present | join(', '))) }}
    {%- endif -%}
    select
    {%- for column in contract['columns'] %}
        {%- if column in by_lower %}
        cast({{ adapter.quote(by_lower[column]) }} as {{ dbt.type_string() }}) as {{ column }}
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ column }}
        {%- endif %}{{ ',' if not loop.last or extra_columns | length > 0 }}
    {%- endfor %}
    {%- for column in extra_columns %}
        {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ reader }}
{% endmacro %}


{#- Spark: raw_data_dir files through Spark's csv and parquet readers
    (macros/inputs/journeys_spark_input_files.sql); the same contract and
    messages as on DuckDB. -#}
{% macro spark__journeys_input(input_name) %}
    {%- set contract = journeys_input_contract(input_name) -%}
    {%- set raw_dir = journeys_raw_data_dir() -%}
    {%- if raw_dir == '' -%}
        {{ return(default__journeys_input(input_name)) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(journeys_empty_input(input_name)) }}
    {%- endif -%}
    {%- set files = journeys_spark_input_files(raw_dir, input_name) -%}
    {%- if files['csv'] | length == 0 and files['parquet'] | length == 0 -%}
        {{ return(journeys_missing_input(input_name, raw_dir)) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for kind in ['parquet', 'csv'] -%}
        {%- for path in files[kind] -%}
            {%- set table = journeys_spark_reader(input_name, kind, path, loop.index) -%}
            {%- set present = journeys_spark_columns(table) -%}
            {%- set reader = journeys_spark_reader_as_text(table) if kind == 'parquet' else table -%}
            {%- do parts.append(journeys_select_contract_columns(
                    input_name, reader, present, kind ~ ' files in ' ~ raw_dir)) -%}
        {%- endfor -%}
    {%- endfor -%}
    ({{ parts | join('\nunion all\n') }}) as {{ input_name }}_input
{% endmacro %}
