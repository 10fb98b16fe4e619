{#-
    Clean events placed in journeys (SPEC section 4): a journey starts at a
    customer's first event and at every event more than journey_timeout_days
    after the previous one. Adds each event's stage (conversion for the
    journey's first is_conversion event, retention for later ones) and the
    journey's stage at the event's instant (the highest stage reached by the
    journey's events at or before that instant, so simultaneous events share
    it), plus the running measures that effort and paths need.
-#}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}

with

events as (

    select * from {{ ref('stg_events') }}

),

stages as (

    select * from {{ ref('journey_stages') }}

),

journey_starts as (

    select
        *,
        case
            when previous_occurred_at is null then 1
            when occurred_at > {{ dbt.dateadd(
                    'day', journey_timeout_days, 'previous_occurred_at') }} then 1
            else 0
        end as is_journey_start
    from events

),

journeys_numbered as (

    select
        *,
        sum(is_journey_start) over (
            partition by customer_key
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as journey_number
    from journey_starts

),

journeys_identified as (

    select
        *,
        {{ dbt.hash(dbt.concat([
            'customer_key', "'|j|'", 'cast(journey_number as ' ~ dbt.type_string() ~ ')'
        ])) }} as journey_id
    from journeys_numbered

),

conversions_numbered as (

    select
        *,
        case
            when is_conversion then row_number() over (
                partition by journey_id, is_conversion
                order by occurred_at, event_id
            )
        end as conversion_number,
        case
            when is_touchpoint then lag(channel) over (
                partition by journey_id, is_touchpoint
                order by occurred_at, event_id
            )
        end as previous_touchpoint_channel,
        min(occurred_at) over (partition by journey_id) as journey_started_at,
        min(session_number) over (partition by journey_id) as journey_first_session_number
    from journeys_identified

),

staged as (

    select
        *,
        case
            when is_conversion and conversion_number = 1 then 'conversion'
            when is_conversion then 'retention'
            else mapped_stage
        end as event_stage
    from conversions_numbered

),

stage_ordered as (

    select
        staged.*,
        stages.stage_order as event_stage_order
    from staged
    left join stages
        on staged.event_stage = stages.stage

),

journey_staged as (

    select
        *,
        max(event_stage_order) over (
            partition by journey_id
            order by occurred_at
            range between unbounded preceding and current row
        ) as journey_stage_order
    from stage_ordered

),

final as (

    select
        -- ids
        journey_staged.event_id,
        journey_staged.customer_key,
        journey_staged.journey_id,
        journey_staged.session_id,
        journey_staged.customer_id,
        journey_staged.anonymous_id,
        journey_staged.campaign_id,

        -- strings
        journey_staged.event_type,
        journey_staged.channel,
        journey_staged.event_stage,
        stages.stage as journey_stage,
        journey_staged.previous_touchpoint_channel,
        journey_staged.signal_polarity,

        -- numerics
        journey_staged.revenue,
        journey_staged.signal_weight,
        journey_staged.event_sequence_number,
        journey_staged.session_number,
        journey_staged.journey_number,
        journey_staged.session_number
        - journey_staged.journey_first_session_number + 1 as journey_session_number,
        journey_staged.conversion_number,
        journey_staged.event_stage_order,
        journey_staged.journey_stage_order,

        -- booleans
        journey_staged.is_identified,
        journey_staged.is_touchpoint,
        journey_staged.is_conversion,
        journey_staged.is_friction,
        journey_staged.is_session_start,
        journey_staged.is_journey_start = 1 as is_journey_start,
        coalesce(
            journey_staged.is_touchpoint
            and journey_staged.previous_touchpoint_channel is not null
            and journey_staged.previous_touchpoint_channel <> journey_staged.channel,
            false
        ) as is_channel_switch,

        -- timestamps
        journey_staged.occurred_at,
        journey_staged.journey_started_at

    from journey_staged
    left join stages
        on journey_staged.journey_stage_order = stages.stage_order

)

select * from final
