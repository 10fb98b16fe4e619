{#-
    The contract columns of one input's files have types the project can
    read: text everywhere; integers for ids and other text columns; any
    number for revenue, score and amount; a date or timestamp for the time
    columns. Anything else (a boolean time, a list, a struct, binary, a
    floating-point id) is one clear error naming the column, its type and
    what is expected. `typed_columns` is [[name, engine type], ...] as
    DuckDB's `describe` or Spark's `describe table` give them.
-#}
{% macro journeys_check_column_types(input_name, typed_columns, where) %}
    {%- set re = modules.re -%}
    {%- set time_columns = ['occurred_at', 'signed_up_at', 'responded_at', 'spend_date',
                            'started_at', 'ended_at'] -%}
    {%- set number_columns = ['revenue', 'score', 'amount'] -%}
    {%- set contract = journeys_input_contract(input_name)['columns'] -%}
    {%- for name, data_type in typed_columns if (name | lower | trim) in contract -%}
        {%- set column = name | lower | trim -%}
        {%- set type_text = data_type | string | lower | trim -%}
        {%- if re.fullmatch('(varchar|string|text|char|bpchar|"?null"?|void|uuid)([(].*[)])?', type_text) -%}
            {%- set category = 'text' -%}
        {%- elif re.fullmatch('u?(tinyint|smallint|integer|int|bigint|hugeint|long|short|byte)', type_text) -%}
            {%- set category = 'integer' -%}
        {%- elif re.fullmatch('(decimal|numeric)([(].*[)])?|float|double|real', type_text) -%}
            {%- set category = 'number' -%}
        {%- elif re.fullmatch('date|timestamp.*', type_text) -%}
            {%- set category = 'time' -%}
        {%- else -%}
            {%- set category = 'other' -%}
        {%- endif -%}
        {%- if column in time_columns -%}
            {%- set accepted = ['text', 'time'] -%}
            {%- set expected = 'text (ISO-8601), a date or a timestamp' -%}
        {%- elif column in number_columns -%}
            {%- set accepted = ['text', 'integer', 'number'] -%}
            {%- set expected = 'a number or text' -%}
        {%- else -%}
            {%- set accepted = ['text', 'integer'] -%}
            {%- set expected = 'text (or an integer)' -%}
        {%- endif -%}
        {%- if category not in accepted -%}
            {{ exceptions.raise_compiler_error(
                "journeys: input " ~ input_name ~ " (" ~ where ~ "): column " ~ column
                ~ " has type " ~ (data_type | string | upper) ~ "; expected " ~ expected) }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
