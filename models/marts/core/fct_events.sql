{#- One row per clean event, with its customer_key, session, journey and
    stages (SPEC sections 3 and 4). -#}

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

final as (

    select
        -- ids
        event_id,
        customer_key,
        session_id,
        journey_id,
        customer_id,
        anonymous_id,
        campaign_id,

        -- strings
        event_type,
        channel,
        event_stage,
        journey_stage,
        signal_polarity,

        -- numerics
        revenue,
        signal_weight,
        event_sequence_number,
        session_number,
        journey_number,
        event_stage_order,
        journey_stage_order,

        -- booleans
        is_identified,
        is_touchpoint,
        is_conversion,
        is_friction,
        is_session_start,
        is_journey_start,
        is_channel_switch,

        -- timestamps
        occurred_at,

        -- when this row was last recomputed (incremental bookkeeping)
        _batch_at

    from events

)

select * from final
