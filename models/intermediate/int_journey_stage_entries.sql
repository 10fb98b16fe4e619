{#-
    The stages each journey actually entered, with the instant it entered
    each: the first instant at which the journey's stage (the running highest
    stage) equals it. A skipped stage has no row. One row per journey and
    entered stage.
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
    where
        journey_stage_order is not null
        and {{ journeys_latest_batch_filter('customer_key', ref('stg_events')) }}

),

final as (

    select
        journey_id,
        customer_key,
        -- 'stage' is the seeds' column name, kept for joins: noqa below
        journey_stage as stage,  -- noqa: RF04
        journey_stage_order as stage_order,
        min(occurred_at) as entered_at
    from events
    group by journey_id, customer_key, journey_stage, journey_stage_order

)

select * from final
