{#-
    The quality-gate thresholds (dbt_project.yml vars), validated: shares of
    received rows from 0 to 1, each warning level at most its error level.
    {'input': {'warn': x, 'error': y}, 'reason': {'warn': x, 'error': y}}:
    `input` applies to the share of an input's rows rejected for any
    reason, `reason` to the share rejected for one reason. A level of 1
    never triggers (a share cannot exceed 1).
-#}
{% macro journeys_quality_gate_levels() %}
    {%- set levels = {
        'input': {
            'warn': journeys_share_var('max_rejected_share_warn', 0.05),
            'error': journeys_share_var('max_rejected_share_error', 0.5),
        },
        'reason': {
            'warn': journeys_share_var('max_rejected_reason_share_warn', 0.02),
            'error': journeys_share_var('max_rejected_reason_share_error', 0.25),
        },
    } -%}
    {%- for scope, prefix in [('input', 'max_rejected_share'), ('reason', 'max_rejected_reason_share')] -%}
        {%- if levels[scope]['warn'] > levels[scope]['error'] -%}
            {{ exceptions.raise_compiler_error(
                "journeys: var " ~ prefix ~ "_warn (" ~ levels[scope]['warn'] ~ ") must not exceed "
                ~ prefix ~ "_error (" ~ levels[scope]['error'] ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(levels) }}
{% endmacro %}
