{#-
    The customer keys the latest batch of `batch_relation` (stg_events)
    recomputed, as a select of one column `customer_key`: the keys of its
    events now, and the keys those events had before (a key can vanish, e.g.
    `anon:a1` once a1 is linked to a customer). Downstream incremental models
    delete these keys and insert them again from the batch.
-#}
{% macro journeys_changed_customer_keys(batch_relation) %}
    select batch.customer_key
    from {{ batch_relation }} as batch
    where batch._batch_at = (select max(latest._batch_at) from {{ batch_relation }} as latest)
    union
    select batch._previous_customer_key as customer_key
    from {{ batch_relation }} as batch
    where
        batch._batch_at = (select max(latest._batch_at) from {{ batch_relation }} as latest)
        and batch._previous_customer_key is not null
{% endmacro %}
