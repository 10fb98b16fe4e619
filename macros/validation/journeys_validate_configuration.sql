{#-
    The on-run-start check (dbt_project.yml): every var, the pseudonymisation
    key and the raw_data_dir inputs are validated before any model runs, so
    a bad configuration stops the build with one message naming the
    variable, file or column and what is expected (a compile error of the
    hook), never a SQL error half-way through. The models validate the same
    values again where they use them (a model run alone is checked too).
    Renders no SQL.
-#}
{% macro journeys_validate_configuration() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {#- numbers > 0 (future_tolerance_days may be 0): the defaults of dbt_project.yml -#}
    {%- for name, default in [
            ('session_timeout_minutes', 30), ('journey_timeout_days', 30),
            ('churn_inactivity_days', 90), ('engagement_window_days', 30),
            ('attribution_lookback_days', 30), ('attribution_half_life_days', 7)] -%}
        {%- do journeys_positive_number_var(name, default) -%}
    {%- endfor -%}
    {%- do journeys_positive_number_var('future_tolerance_days', 1, allow_zero=true) -%}
    {%- do journeys_trend_multiple_testing() -%}
    {#- counts (of rows, periods, bins, contacts, doublings): whole numbers >= 1 -#}
    {%- for name, default in [
            ('paths_top_n', 20), ('support_contact_threshold', 2),
            ('churn_risk_recency_bins', 9), ('trend_baseline_periods', 4),
            ('trend_min_sample_size', 30)] -%}
        {%- do journeys_whole_number_var(name, default) -%}
    {%- endfor -%}
    {%- do journeys_whole_number_var('funnel_entry_chain_doublings', 16, 1, 40) -%}
    {%- do journeys_as_of_literal() -%}
    {%- do journeys_quality_gate_levels() -%}
    {%- do journeys_read_only_roles() -%}
    {%- do journeys_pseudonym_salt() -%}
    {%- do journeys_validate_inputs() -%}
    {{ return('') }}
{% endmacro %}
