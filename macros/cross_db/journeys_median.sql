{#- Exact median (linear interpolation between the two middle values, as
    quantile_cont / percentile_cont) of `expression` over a group, as a
    double; nulls are ignored and an empty group gives null. The same value
    on every engine (Spark's percentile is exact, not percentile_approx). -#}
{% macro journeys_median(expression) %}
    {{ return(adapter.dispatch('journeys_median', 'journeys')(expression)) }}
{% endmacro %}

{% macro default__journeys_median(expression) %}
    percentile_cont(0.5) within group (
        order by cast({{ expression }} as {{ journeys_type_double() }})
    )
{% endmacro %}

{% macro duckdb__journeys_median(expression) %}
    quantile_cont(cast({{ expression }} as double), 0.5)
{% endmacro %}

{% macro spark__journeys_median(expression) %}
    percentile(cast({{ expression }} as double), 0.5)
{% endmacro %}
