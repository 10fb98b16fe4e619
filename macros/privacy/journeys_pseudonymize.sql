{#-
    An identifier expression (customer_id, anonymous_id) as it may appear
    from staging on: unchanged when var pseudonymize_identifiers is false
    (the default), else its keyed hash, the lower-case hex SHA-256 of
    derived_key || '|' || value (journeys_pseudonym_salt), identical on
    DuckDB, PostgreSQL and Spark. Null stays null, so a missing identity is
    still missing; equal values give equal pseudonyms, so identity
    stitching, sessions and joins between inputs work as before.
-#}
{% macro journeys_pseudonymize(expression) %}
    {%- set salt = journeys_pseudonym_salt() -%}
    {%- if salt is none -%}
        {{ return(expression) }}
    {%- endif -%}
    {{ return(adapter.dispatch('journeys_pseudonymize', 'journeys')(expression, salt)) }}
{% endmacro %}

{% macro default__journeys_pseudonymize(expression, salt) %}
    {{- journeys_sha256(dbt.concat([journeys_sql_string(salt ~ '|'), expression])) -}}
{% endmacro %}
