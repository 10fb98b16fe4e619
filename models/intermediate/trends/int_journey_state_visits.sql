{#-
    The pre-conversion path of every journey as visits to (stage, channel)
    states, the states of the journey-prediction Markov chain: consecutive
    events of a journey, up to (not including) its first conversion event,
    that share the journey stage and the channel form one visit. The stage
    is the highest event stage reached by the journey's events so far, in
    event order, before its first conversion (SPEC 4's journey stage, but
    blind to a conversion at the same instant), `none` (order 0) before the
    journey's first staged event. A visit starts at its first event; the
    next visit's start (or the first conversion, or the journey's last
    event) ends it. Events in order (occurred_at, event_id).
-#}
with

events as (

    select * from {{ ref('fct_events') }}

),

journeys as (

    select * from {{ ref('fct_journeys') }}

),

stages as (

    select * from {{ ref('journey_stages') }}

),

flagged as (

    select
        journey_id,
        event_id,
        occurred_at,
        channel,
        event_stage_order,
        sum(case when is_conversion then 1 else 0 end) over (
            partition by journey_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as conversions_so_far
    from events

),

-- the stage reached by the events before the first conversion, in event
-- order (fct_events.journey_stage counts every event up to the instant,
-- so an event sharing the conversion's instant would already show it)
staged as (

    select
        journey_id,
        event_id,
        occurred_at,
        channel,
        max(event_stage_order) over (
            partition by journey_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as reached_stage_order
    from flagged
    where conversions_so_far = 0

),

named as (

    select
        staged.journey_id,
        staged.event_id,
        staged.occurred_at,
        staged.channel,
        coalesce(stages.stage, 'none') as visit_stage,
        coalesce(staged.reached_stage_order, 0) as stage_order
    from staged
    left join stages
        on staged.reached_stage_order = stages.stage_order

),

pre_conversion as (

    select
        *,
        case
            when
                lag(visit_stage) over journey_order = visit_stage
                and lag(channel) over journey_order = channel
                then 0
            else 1
        end as is_visit_start
    from named
    window journey_order as (partition by journey_id order by occurred_at, event_id)

),

numbered as (

    select
        *,
        sum(is_visit_start) over (
            partition by journey_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as visit_number
    from pre_conversion

),

visits as (

    select
        journey_id,
        visit_number,
        visit_stage,
        stage_order,
        channel,
        min(occurred_at) as entered_at,
        max(occurred_at) as last_event_at,
        count(*) as event_count
    from numbered
    group by journey_id, visit_number, visit_stage, stage_order, channel

),

sequenced as (

    select
        *,
        lead(visit_stage) over journey_visits as next_stage,
        lead(channel) over journey_visits as next_channel,
        lead(entered_at) over journey_visits as next_entered_at
    from visits
    window journey_visits as (partition by journey_id order by visit_number)

),

final as (

    select
        -- ids
        sequenced.journey_id,
        journeys.customer_key,

        -- strings
        sequenced.visit_stage,
        sequenced.channel,
        sequenced.next_stage,
        sequenced.next_channel,

        -- numerics
        cast(sequenced.visit_number as {{ dbt.type_int() }}) as visit_number,
        sequenced.stage_order,
        cast(sequenced.event_count as {{ dbt.type_int() }}) as event_count,

        -- booleans
        sequenced.next_entered_at is null as is_last_visit,
        journeys.is_closed as is_journey_closed,
        journeys.is_converted as is_journey_converted,

        -- timestamps
        sequenced.entered_at,
        sequenced.last_event_at,
        sequenced.next_entered_at,
        journeys.first_converted_at,
        journeys.ended_at as journey_ended_at

    from sequenced
    inner join journeys
        on sequenced.journey_id = journeys.journey_id

)

select * from final
