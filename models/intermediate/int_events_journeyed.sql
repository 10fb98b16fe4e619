{#-
    Clean events placed in journeys (SPEC section 4): a journey starts at a
    customer's first event and at every event more than journey_timeout_days
    after the previous one. Adds each event's stage (conversion for the
    journey's first is_conversion event, retention for later ones) and the
    journey's stage at the event's instant (the highest stage reached by the
    journey's events at or before that instant, so simultaneous events share
    it), plus the running measures that effort and paths need.

    Two passes over each customer's events do all of it (window sorts are
    the cost at scale): running sums and maxima in event order, then running
    maxima by instant. Journey-level values ride on customer-level running
    values: a journey's start is the latest journey start so far, and stage
    orders are encoded with the journey number so that a running maximum
    never crosses into the previous journey.

    Incremental (DuckDB): recomputes the customers of the latest stg_events
    batch (their whole histories) and replaces their rows.
-#}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}

{{ config(
    materialized=journeys_event_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ journeys_delete_changed_customers(ref('stg_events')) }}",
) }}

with

events as (

    select * from {{ ref('stg_events') }}
    where {{ journeys_latest_batch_filter('customer_key', ref('stg_events')) }}

),

stages as (

    select * from {{ ref('journey_stages') }}

),

flagged as (

    select
        events.*,
        mapped_stages.stage_order as mapped_stage_order,
        case
            when events.previous_occurred_at is null then 1
            when events.occurred_at > {{ dbt.dateadd(
                    'day', journey_timeout_days, 'events.previous_occurred_at') }} then 1
            else 0
        end as is_journey_start,
        case when events.is_conversion then 1 else 0 end as conversion_flag
    from events
    left join stages as mapped_stages
        on events.mapped_stage = mapped_stages.stage

),

-- pass 1, in event order (occurred_at, event_id)
event_ordered as (

    select
        *,
        sum(is_journey_start) over customer_events as journey_number,
        -- journey starts only move forward, so the running maximum is the
        -- current journey's first event
        max(case when is_journey_start = 1 then occurred_at end)
            over customer_events as journey_started_at,
        max(case when is_journey_start = 1 then session_number end)
            over customer_events as journey_first_session_number,
        max(case when is_journey_start = 1 then event_sequence_number end)
            over customer_events as journey_first_event_number,
        -- conversions strictly before this event (customer-wide)
        coalesce(sum(conversion_flag) over customer_events, 0) - conversion_flag
            as conversions_before,
        -- the customer's previous touchpoint (sequence number and channel)
        max(case when is_touchpoint then event_sequence_number end)
            over customer_events_before as previous_touchpoint_number,
        max(
            case
                when is_touchpoint
                    then
                        lpad(cast(event_sequence_number as {{ dbt.type_string() }}), 12, '0')
                        || channel
            end
        ) over customer_events_before as previous_touchpoint_key
    from flagged
    window
        customer_events as (
            partition by customer_key
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ),
        customer_events_before as (
            partition by customer_key
            order by occurred_at, event_id
            rows between unbounded preceding and 1 preceding
        )

),

-- pass 2, by instant: simultaneous events see each other
instant_ordered as (

    select
        *,
        -- conversions of the customer before the journey's first event
        max(case when is_journey_start = 1 then conversions_before end)
            over customer_instants as journey_conversions_before,
        -- conversions of the customer up to and including this instant
        sum(conversion_flag) over customer_instants as conversions_to_instant,
        -- highest non-conversion stage of the journey up to this instant,
        -- encoded as journey_number * 10 + stage order
        max(
            journey_number * 10
            + case when is_conversion then 0 else coalesce(mapped_stage_order, 0) end
        ) over customer_instants as encoded_mapped_stage
    from event_ordered
    window customer_instants as (
        partition by customer_key
        order by occurred_at
        range between unbounded preceding and current row
    )

),

staged as (

    select
        *,
        {{ dbt.hash(dbt.concat([
            'customer_key', "'|j|'", 'cast(journey_number as ' ~ dbt.type_string() ~ ')'
        ])) }} as journey_id,
        case
            when is_conversion
                then conversions_before - journey_conversions_before + 1
        end as conversion_number,
        -- SPEC 4: the journey's first conversion is stage conversion, later
        -- ones retention; other events take the mapping's stage
        case
            when is_conversion and conversions_before = journey_conversions_before
                then 4
            when is_conversion then 5
            else mapped_stage_order
        end as event_stage_order,
        -- the journey's stage at this instant: the mapped stages reached, or
        -- conversion (one conversion so far) / retention (two or more)
        nullif(
            greatest(
                encoded_mapped_stage - journey_number * 10,
                case
                    when conversions_to_instant - journey_conversions_before >= 2 then 5
                    when conversions_to_instant - journey_conversions_before = 1 then 4
                    else 0
                end
            ),
            0
        ) as journey_stage_order,
        case
            when previous_touchpoint_number >= journey_first_event_number
                then substring(previous_touchpoint_key, 13)
        end as previous_touchpoint_channel
    from instant_ordered

),

final as (

    select
        -- ids
        staged.event_id,
        staged.customer_key,
        staged.journey_id,
        staged.session_id,
        staged.customer_id,
        staged.anonymous_id,
        staged.campaign_id,
        staged._previous_customer_key,

        -- strings
        staged.event_type,
        staged.channel,
        event_stages.stage as event_stage,
        journey_stages.stage as journey_stage,
        staged.previous_touchpoint_channel,
        staged.signal_polarity,

        -- numerics
        staged.revenue,
        staged.signal_weight,
        staged.event_sequence_number,
        staged.session_number,
        staged.journey_number,
        staged.session_number
        - staged.journey_first_session_number + 1 as journey_session_number,
        staged.conversion_number,
        staged.event_stage_order,
        staged.journey_stage_order,

        -- booleans
        staged.is_identified,
        staged.is_touchpoint,
        staged.is_conversion,
        staged.is_friction,
        staged.is_session_start,
        staged.is_journey_start = 1 as is_journey_start,
        coalesce(
            staged.is_touchpoint
            and staged.previous_touchpoint_channel is not null
            and staged.previous_touchpoint_channel <> staged.channel,
            false
        ) as is_channel_switch,

        -- timestamps
        staged.occurred_at,
        staged.journey_started_at,

        -- incremental bookkeeping
        staged._batch_at

    from staged
    left join stages as event_stages
        on staged.event_stage_order = event_stages.stage_order
    left join stages as journey_stages
        on staged.journey_stage_order = journey_stages.stage_order

)

select * from final
