{#-
    The standard normal cumulative distribution function Phi(`x`) as a SQL
    expression (`x`: a SQL expression, evaluated more than once, so pass a
    column or a simple expression). No engine has erf everywhere, so it is
    the rational approximation of Abramowitz and Stegun, Handbook of
    Mathematical Functions, formula 26.2.17 (Hastings): for x >= 0
        Phi(x) = 1 - phi(x) (b1 t + b2 t^2 + b3 t^3 + b4 t^4 + b5 t^5),
        t = 1 / (1 + 0.2316419 x), phi the normal density,
    with absolute error below 7.5e-8 for every x (Phi(-x) = 1 - Phi(x)). That
    is far finer than any significance threshold a report uses (p-values
    are shown to 4 decimals). Null in, null out. Built only on exp, abs and
    arithmetic: the same on DuckDB, PostgreSQL and Spark. x^2 is capped at
    37^2 inside exp (PostgreSQL raises an error when exp underflows to 0):
    beyond |x| = 37 the tail is below 1e-297 either way.
-#}
{% macro journeys_normal_cdf(x) %}
    {{ return(adapter.dispatch('journeys_normal_cdf', 'journeys')(x)) }}
{% endmacro %}

{% macro default__journeys_normal_cdf(x) %}
    {%- set t = '(1.0 / (1.0 + 0.2316419 * abs(' ~ x ~ ')))' -%}
    {%- set tail -%}
        (exp(-0.5 * least(({{ x }}) * ({{ x }}), 1369.0)) * 0.3989422804014327 * {{ t }} * (
            0.319381530 + {{ t }} * (
                -0.356563782 + {{ t }} * (
                    1.781477937 + {{ t }} * (-1.821255978 + {{ t }} * 1.330274429)))))
    {%- endset -%}
    (case when ({{ x }}) >= 0 then 1.0 - {{ tail }} else {{ tail }} end)
{% endmacro %}
