{#-
    The quality gates of rpt_data_quality_gates (gate_status per input and
    per input x reason). Any 'error' row fails the test with one message
    holding the counts, e.g. "events: 600 of 1000 rows rejected (60.0%),
    above max_rejected_share_error 0.5". 'warn' rows are logged the same way
    and returned, so with severity warn the build passes with a warning.
-#}
{% test quality_gate(model) %}
    {%- if execute -%}
        {%- set breaches = run_query(
                "select gate_status, gate_scope, input_name, reason, rows_rejected, rows_received,"
                ~ " rejected_share, warn_share, error_share from " ~ model
                ~ " where gate_status in ('warn', 'error') order by input_order, gate_scope, reason") -%}
        {%- set lines = {'warn': [], 'error': []} -%}
        {%- for row in breaches.rows -%}
            {%- set status, scope, input_name, reason = row[0], row[1], row[2], row[3] -%}
            {%- set var_name = 'max_rejected_share_' if scope == 'input' else 'max_rejected_reason_share_' -%}
            {%- set level = row[8] if status == 'error' else row[7] -%}
            {%- do lines[status].append(
                    input_name ~ ": " ~ row[4] ~ " of " ~ row[5] ~ " rows rejected"
                    ~ ("" if scope == 'input' else " as " ~ reason)
                    ~ " (" ~ '%.1f' | format(row[6] * 100) ~ "%), above "
                    ~ var_name ~ status ~ " " ~ level) -%}
        {%- endfor -%}
        {%- if lines['warn'] | length > 0 -%}
            {%- do exceptions.warn("journeys: data quality warning: " ~ (lines['warn'] | join('; '))) -%}
        {%- endif -%}
        {%- if lines['error'] | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "journeys: data quality gate failed: " ~ (lines['error'] | join('; '))
                ~ ". Inspect rejected_rows, fix the input, or raise the var named") }}
        {%- endif -%}
    {%- endif %}
    select * from {{ model }}
    where gate_status = 'warn'
{% endtest %}
