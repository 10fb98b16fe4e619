{#-
    The value of a numeric var, validated: a clear compile error naming the
    variable when it is not a number greater than zero (or >= 0 when
    allow_zero). What reaches SQL is the number, never the raw text.
-#}
{% macro journeys_positive_number_var(name, default, allow_zero=false) %}
    {%- set raw = var(name, default) -%}
    {%- set text = raw | string | trim -%}
    {%- set ns = namespace(value=none) -%}
    {%- if raw is number and raw is not sameas true and raw is not sameas false -%}
        {%- set ns.value = raw -%}
    {%- elif modules.re.fullmatch('[0-9]+', text) -%}
        {%- set ns.value = text | int -%}
    {%- elif modules.re.fullmatch('[0-9]*\\.[0-9]+', text) -%}
        {%- set ns.value = text | float -%}
    {%- endif -%}
    {%- if ns.value is none or ns.value < 0 or (ns.value == 0 and not allow_zero) -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " must be a number " ~ ('>= 0' if allow_zero else '> 0')
            ~ " (default " ~ default ~ "), got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(ns.value) }}
{% endmacro %}
