{#- A 64-bit floating point type (dbt.type_float() is 32-bit on some
    engines, too coarse for rates compared across engines). -#}
{% macro journeys_type_double() %}
    {{ return(adapter.dispatch('journeys_type_double', 'journeys')()) }}
{% endmacro %}

{% macro default__journeys_type_double() %}
    {{ return('double precision') }}
{% endmacro %}

{% macro duckdb__journeys_type_double() %}
    {{ return('double') }}
{% endmacro %}

{% macro spark__journeys_type_double() %}
    {{ return('double') }}
{% endmacro %}
