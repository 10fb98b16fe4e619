{#-
    The value of a count var (a number of rows, periods, steps, ...),
    validated: a whole number >= minimum (an integer, or a number with no
    fraction such as 20.0); anything else (0, -1, 2.5, 'abc', true) is a
    clear compile error naming the variable. What reaches SQL is the
    integer, never the raw text.
-#}
{% macro journeys_whole_number_var(name, default, minimum=1, maximum=none) %}
    {%- set raw = var(name, default) -%}
    {%- set text = raw | string | trim -%}
    {%- set ns = namespace(value=none) -%}
    {%- if raw is number and raw is not sameas true and raw is not sameas false -%}
        {%- if raw == (raw | int) -%}
            {%- set ns.value = raw | int -%}
        {%- endif -%}
    {%- elif modules.re.fullmatch('[0-9]+(\\.0*)?', text) -%}
        {%- set ns.value = text | float | int -%}
    {%- endif -%}
    {%- if ns.value is none or ns.value < minimum
            or (maximum is not none and ns.value > maximum) -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " must be a whole number >= " ~ minimum
            ~ (" and <= " ~ maximum if maximum is not none else "")
            ~ " (default " ~ default ~ "), got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(ns.value) }}
{% endmacro %}
