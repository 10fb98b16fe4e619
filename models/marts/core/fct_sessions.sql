{#- One row per session (SPEC 4): a customer's run of events with no gap of
    more than session_timeout_minutes. Sessions span channels. -#}

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

-- one aggregation; the session's first event (is_session_start, exactly
-- one per session) gives its id, journey and first channel
sessions as (

    select
        customer_key,
        session_number,
        max(case when is_session_start then session_id end) as session_id,
        max(case when is_session_start then journey_id end) as journey_id,
        max(case when is_session_start then channel end) as first_channel,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as event_count,
        count(distinct channel) as channel_count,
        sum(case when is_touchpoint then 1 else 0 end) as touchpoint_count,
        sum(case when is_conversion then 1 else 0 end) as conversion_count,
        min(journey_number) as journey_number,
        max(_batch_at) as _batch_at
    from events
    group by customer_key, session_number

),

final as (

    select
        -- ids
        session_id,
        customer_key,
        journey_id,

        -- strings
        first_channel,

        -- numerics
        session_number,
        journey_number,
        event_count,
        channel_count,
        touchpoint_count,
        conversion_count,
        {{ journeys_seconds_between('sessions.started_at', 'sessions.ended_at') }}
            as duration_seconds,

        -- booleans
        conversion_count > 0 as has_conversion,

        -- timestamps
        started_at,
        ended_at,
        _batch_at

    from sessions

)

select * from final
