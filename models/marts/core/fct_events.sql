{#- One row per clean event, with its customer_key, session, journey and
    stages (SPEC sections 3 and 4). A view: the rows live in
    int_events_journeyed (incremental on DuckDB), so the largest mart is not
    written twice; readers see the public column set only. -#}
{{ config(materialized='view') }}

with

events as (

    select * from {{ ref('int_events_journeyed') }}

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
