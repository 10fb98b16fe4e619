{#-
    Incremental runs store, on every row they write, a fingerprint of the
    configuration the rows depend on beyond their own input (a scalar
    `signature_sql`: seeds and vars). True when `relation` (the model's
    previous state) holds a row written under another fingerprint: the
    configuration changed since. Execution time only; false otherwise.
-#}
{% macro journeys_config_changed(relation, column, signature_sql) %}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set query -%}
        select count(*) from (select distinct {{ column }} as stored from {{ relation }}) as stored
        where stored.stored is distinct from ({{ signature_sql }})
    {%- endset -%}
    {{ return(run_query(query).rows[0][0] > 0) }}
{% endmacro %}
