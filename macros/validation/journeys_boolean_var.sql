{#-
    The value of a boolean var, validated: true/false (YAML booleans, or the
    text true/false/yes/no/1/0 in any case); anything else is a clear compile
    error naming the variable. What reaches SQL, if anything, is the boolean.
-#}
{% macro journeys_boolean_var(name, default) %}
    {%- set raw = var(name, default) -%}
    {%- if raw is sameas true or raw is sameas false -%}
        {{ return(raw) }}
    {%- endif -%}
    {%- set text = raw | string | trim | lower -%}
    {%- if text in ['true', 'yes', '1'] -%}
        {{ return(true) }}
    {%- elif text in ['false', 'no', '0', '', 'none'] -%}
        {{ return(false) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "journeys: var " ~ name ~ " must be true or false (default "
        ~ (default | lower) ~ "), got '" ~ (raw | string | trim) ~ "'") }}
{% endmacro %}
