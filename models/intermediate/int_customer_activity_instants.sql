{#-
    One row per customer and distinct instant at which they had an event,
    with the journey and journey stage at that instant and the customer's
    next instant. From these rows, for any instant s, the customer's latest
    event strictly before s is the row with active_at < s <= next_active_at
    (next_active_at null: no later event).
-#}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}
{%- set churn_inactivity_days = journeys_positive_number_var('churn_inactivity_days', 90) -%}

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

instants as (

    select
        customer_key,
        journey_id,
        occurred_at as active_at,
        max(journey_stage_order) as journey_stage_order
    from events
    group by customer_key, journey_id, occurred_at

),

final as (

    select
        customer_key,
        journey_id,
        active_at,
        journey_stage_order,
        lead(active_at) over (
            partition by customer_key
            order by active_at
        ) as next_active_at,
        -- the journey stays open while the next instant is at most this
        {{ dbt.dateadd('day', journey_timeout_days, 'active_at') }} as journey_open_until_at,
        -- the customer stays active (not churned) until this instant
        {{ dbt.dateadd('day', churn_inactivity_days, 'active_at') }} as active_until_at
    from instants

)

select * from final
