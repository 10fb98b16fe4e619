{#- One row per journey (SPEC 4): a customer's run of events with no gap of
    more than journey_timeout_days; closed when as_of is more than
    journey_timeout_days after its last event. -#}

{{ config(
    materialized=journeys_event_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ journeys_delete_changed_customers(ref('stg_events')) }}",
    post_hook="{{ journeys_refresh_journey_closure(ref('int_evaluation_instant')) }}",
) }}

with

events as (

    select * from {{ ref('int_events_journeyed') }}
    where {{ journeys_latest_batch_filter('customer_key', ref('stg_events')) }}

),

stages as (

    select * from {{ ref('journey_stages') }}

),

conversions as (

    select * from {{ ref('int_journey_conversions') }}
    where {{ journeys_latest_batch_filter('customer_key', ref('stg_events')) }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

journeys as (

    select
        journey_id,
        customer_key,
        journey_number,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        max(event_stage_order) as max_stage_order,
        count(*) as event_count,
        count(distinct session_id) as session_count,
        sum(case when is_touchpoint then 1 else 0 end) as touchpoint_count,
        sum(case when is_channel_switch then 1 else 0 end) as channel_switches,
        sum(case when is_conversion then 1 else 0 end) as conversion_count,
        sum(case when is_conversion then coalesce(revenue, 0) else 0 end) as revenue,
        sum(case when is_friction then 1 else 0 end) as friction_event_count,
        max(_batch_at) as _batch_at
    from events
    group by journey_id, customer_key, journey_number

),

-- the channels of the journey's touchpoints in order, repeats collapsed
channel_paths as (

    select
        journey_id,
        {{ journeys_string_agg_ordered('channel', 'event_sequence_number', "' > '") }}
            as channel_path
    from events
    where is_touchpoint and (previous_touchpoint_channel is null or is_channel_switch)
    group by journey_id

),

final as (

    select
        -- ids
        journeys.journey_id,
        journeys.customer_key,

        -- strings
        stages.stage as max_stage,
        channel_paths.channel_path,

        -- numerics
        journeys.journey_number,
        journeys.max_stage_order,
        journeys.event_count,
        journeys.session_count,
        journeys.touchpoint_count,
        journeys.channel_switches,
        journeys.conversion_count,
        journeys.revenue,
        journeys.friction_event_count,
        conversions.touchpoints_to_convert,
        conversions.sessions_to_convert,
        conversions.days_to_convert,
        {{ journeys_seconds_between('journeys.started_at', 'journeys.ended_at') }} / 86400.0
            as duration_days,

        -- booleans
        {{ journeys_journey_is_closed('journeys.ended_at', 'evaluation.as_of_at') }} as is_closed,
        journeys.conversion_count > 0 as is_converted,

        -- timestamps
        journeys.started_at,
        journeys.ended_at,
        conversions.converted_at as first_converted_at,
        journeys._batch_at

    from journeys
    cross join evaluation
    left join stages
        on journeys.max_stage_order = stages.stage_order
    left join channel_paths
        on journeys.journey_id = channel_paths.journey_id
    left join conversions
        on journeys.journey_id = conversions.journey_id

)

select * from final
