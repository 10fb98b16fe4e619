{#-
    The value of a text var naming something in the data (e.g. a channel),
    validated: trimmed and lower-cased (as staging normalises channels), and
    a clear compile error naming the variable when it is empty or holds
    anything but letters, digits, '_', '-', '.' and spaces. Returned as a
    quoted SQL string literal, so what reaches SQL is always a literal.
-#}
{% macro journeys_text_var(name, default) %}
    {%- set raw = var(name, default) -%}
    {%- set text = '' if raw is none else (raw | string | trim | lower) -%}
    {%- if not modules.re.fullmatch('[a-z0-9_.\\- ]+', text) -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var " ~ name ~ " must be a non-empty name of letters, digits, "
            ~ "'_', '-', '.' or spaces (default " ~ default ~ "), got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(journeys_sql_string(text)) }}
{% endmacro %}
