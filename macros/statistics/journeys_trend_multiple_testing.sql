{#-
    The validated value of var trend_multiple_testing, the correction of the
    trend alerts' p-values for the number of periods tested
    (int_trend_series_tested, DECISIONLOG D171): `none` (default),
    `bonferroni` or `benjamini_hochberg`. Anything else is a compile error
    naming the variable. Returned as a plain name (compared in Jinja, never
    placed in SQL).
-#}
{% macro journeys_trend_multiple_testing() %}
    {%- set raw = var('trend_multiple_testing', 'none') -%}
    {%- set text = '' if raw is none else (raw | string | trim | lower) -%}
    {%- set text = text or 'none' -%}
    {%- set allowed = ['none', 'bonferroni', 'benjamini_hochberg'] -%}
    {%- if text not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var trend_multiple_testing must be one of " ~ (allowed | join(', '))
            ~ " (default none), got '" ~ (raw | string | trim) ~ "'") }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
