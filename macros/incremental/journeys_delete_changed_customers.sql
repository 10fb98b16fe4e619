{#-
    pre_hook of the downstream incremental models: on an incremental run,
    delete every row of the customers the latest stg_events batch
    recomputed; the model then inserts their rows again. No-op on a full
    build.
-#}
{% macro journeys_delete_changed_customers(batch_relation) %}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where customer_key in ({{ journeys_changed_customer_keys(batch_relation) }})
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{% endmacro %}
