{#-
    Each journey's first conversion with the behavioural effort it took
    (SPEC 6, customer effort): touchpoints of the journey before the
    conversion (event order), distinct sessions holding the journey's events
    up to and including it, channel switches between consecutive touchpoints
    before it, and fractional days from the journey's start.
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

first_conversions as (

    select * from events
    where is_conversion and conversion_number = 1

),

touchpoints as (

    select
        journey_id,
        event_sequence_number,
        is_channel_switch
    from events
    where is_touchpoint

),

effort as (

    select
        first_conversions.journey_id,
        count(touchpoints.journey_id) as touchpoints_to_convert,
        coalesce(sum(case when touchpoints.is_channel_switch then 1 else 0 end), 0)
            as channel_switches_to_convert
    from first_conversions
    left join touchpoints
        on
            first_conversions.journey_id = touchpoints.journey_id
            and first_conversions.event_sequence_number > touchpoints.event_sequence_number
    group by first_conversions.journey_id

),

final as (

    select
        -- ids
        first_conversions.journey_id,
        first_conversions.customer_key,
        first_conversions.event_id as conversion_event_id,

        -- strings
        first_conversions.channel as conversion_channel,
        first_conversions.event_type as conversion_event_type,

        -- numerics
        first_conversions.revenue,
        effort.touchpoints_to_convert,
        first_conversions.journey_session_number as sessions_to_convert,
        effort.channel_switches_to_convert,
        {{ journeys_seconds_between(
            'first_conversions.journey_started_at', 'first_conversions.occurred_at'
        ) }} / 86400.0 as days_to_convert,

        -- timestamps
        first_conversions.journey_started_at,
        first_conversions.occurred_at as converted_at

    from first_conversions
    inner join effort
        on first_conversions.journey_id = effort.journey_id

)

select * from final
