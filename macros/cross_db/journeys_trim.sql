{#-
    `text` without leading and trailing spaces (U+0020) and nothing else
    (D11, D196): the contract trims spaces. PostgreSQL's and Spark's trim()
    do exactly that; DuckDB's (2.0) also strips Unicode space separators
    (U+00A0 no-break space, U+2003, U+3000, ...), so an id that is a lone
    no-break space was missing on DuckDB and an id on the other engines.
    DuckDB is told which characters to strip.
-#}
{% macro journeys_trim(text) %}
    {{ return(adapter.dispatch('journeys_trim', 'journeys')(text)) }}
{% endmacro %}

{% macro default__journeys_trim(text) %}
    trim({{ text }})
{% endmacro %}

{% macro duckdb__journeys_trim(text) %}
    trim({{ text }}, ' ')
{% endmacro %}
