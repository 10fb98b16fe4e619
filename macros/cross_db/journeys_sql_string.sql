{#- A Python/Jinja string as a safely quoted SQL string literal: no value
    can end the literal early, whatever quotes, semicolons, comments or
    backslashes it holds. -#}
{% macro journeys_sql_string(value) %}
    {{ return(adapter.dispatch('journeys_sql_string', 'journeys')(value)) }}
{% endmacro %}

{#- Standard SQL (DuckDB; PostgreSQL with standard_conforming_strings, its
    default since 9.1): a quote is doubled, a backslash is an ordinary
    character. -#}
{% macro default__journeys_sql_string(value) %}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{% endmacro %}

{#- Spark SQL: a backslash escapes the next character inside a literal,
    and two adjacent quotes are two literals, so a backslash and a quote
    are both escaped with a backslash. -#}
{% macro spark__journeys_sql_string(value) %}
    {{ return("'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") }}
{% endmacro %}

{#- PostgreSQL: an escape string (E'...'), in which a backslash and a
    quote are escaped the same way whatever standard_conforming_strings
    says. -#}
{% macro postgres__journeys_sql_string(value) %}
    {{ return("E'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") }}
{% endmacro %}
