{#-
    The value of a share var (a fraction of rows), validated: a number from
    0 to 1; anything else is a clear compile error naming the variable. What
    reaches SQL is the number, never the raw text.
-#}
{% macro journeys_share_var(name, default) %}
    {%- set value = journeys_positive_number_var(name, default, allow_zero=true) -%}
    {%- if value > 1 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " is a share of rows and must be between 0 and 1"
            ~ " (default " ~ default ~ "), got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
