{#-
    A where-clause fragment for a downstream incremental model reading an
    upstream event model: on an incremental run, only the customers of the
    latest stg_events batch (all of their events); on a full build, true.
-#}
{% macro journeys_latest_batch_filter(customer_key_column, batch_relation) %}
    {%- if is_incremental() -%}
        {{ customer_key_column }} in ({{ journeys_changed_customer_keys(batch_relation) }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{% endmacro %}
