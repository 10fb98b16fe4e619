{#-
    `value` (a double SQL expression) as text with exactly `decimals` digits
    after the point (e.g. 12.0, -3.25), the same text on every engine, for
    human-readable descriptions. Null in, null out.
-#}
{% macro journeys_format_decimal(value, decimals) %}
    {{ return(adapter.dispatch('journeys_format_decimal', 'journeys')(value, decimals)) }}
{% endmacro %}

{% macro default__journeys_format_decimal(value, decimals) %}
    cast(round(cast({{ value }} as numeric), {{ decimals }}) as {{ dbt.type_string() }})
{% endmacro %}

{% macro duckdb__journeys_format_decimal(value, decimals) %}
    printf('%.{{ decimals }}f', cast({{ value }} as double))
{% endmacro %}

{% macro spark__journeys_format_decimal(value, decimals) %}
    format_string('%.{{ decimals }}f', cast({{ value }} as double))
{% endmacro %}
