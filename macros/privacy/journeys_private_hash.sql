{#-
    A surrogate key over text that may hold identifiers (the raw values of
    a rejected or dropped row): dbt.hash (md5) normally; when identifiers
    are pseudonymized, the same keyed SHA-256 as journeys_pseudonymize, so
    the key cannot be used to confirm a guessed row.
-#}
{% macro journeys_private_hash(expression) %}
    {%- if journeys_pseudonym_salt() is none -%}
        {{ return(dbt.hash(expression)) }}
    {%- endif -%}
    {{ return(journeys_pseudonymize(expression)) }}
{% endmacro %}
