{#-
    One row per customer_key: the activity aggregates that do not depend on
    as_of (first and last event, counts, orders, revenue, purchase span,
    acquisition channel, latest journey number). dim_customers adds what
    does depend on as_of (churn state, engagement score) on top of it.

    Incremental (DuckDB): the customers of the latest stg_events batch are
    deleted and recomputed from their whole histories.
-#}

{{ config(
    materialized=journeys_event_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ journeys_delete_changed_customers(ref('stg_events')) }}",
) }}

with

events as (

    select * from {{ ref('int_events_journeyed') }}
    where {{ journeys_latest_batch_filter('customer_key', ref('stg_events')) }}

),

aggregated as (

    select
        customer_key,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
        max(case when is_identified then 1 else 0 end) = 1 as is_identified,
        count(*) as event_count,
        -- sessions and journeys are numbered 1..n per customer
        cast(max(session_number) as {{ dbt.type_bigint() }}) as session_count,
        max(journey_number) as journey_count,
        sum(case when is_conversion then 1 else 0 end) as orders,
        sum(case when is_conversion then coalesce(revenue, 0) else 0 end) as revenue,
        min(case when is_conversion then occurred_at end) as first_purchase_at,
        max(case when is_conversion then occurred_at end) as last_purchase_at,
        -- acquisition: the customer's first touchpoint, else first event
        coalesce(min(case when is_touchpoint then event_sequence_number end), 1)
            as acquisition_event_number,
        max(_batch_at) as _batch_at
    from events
    group by customer_key

),

final as (

    select
        aggregated.customer_key,
        events.channel as acquisition_channel,
        aggregated.is_identified,
        aggregated.event_count,
        aggregated.session_count,
        aggregated.journey_count,
        aggregated.orders,
        aggregated.revenue,
        aggregated.first_seen_at,
        aggregated.last_seen_at,
        aggregated.first_purchase_at,
        aggregated.last_purchase_at,
        aggregated._batch_at
    from aggregated
    inner join events
        on
            aggregated.customer_key = events.customer_key
            and aggregated.acquisition_event_number = events.event_sequence_number

)

select * from final
