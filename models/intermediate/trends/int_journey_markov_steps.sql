{#-
    Every step of the journey-prediction Markov chain taken by a closed
    journey (closed at as_of: its outcome is final), one row per visit
    (int_journey_state_visits): the visit's state, where it went next (the
    next visit's state, or `conversion` / `lost` after the last visit), and
    how long after entering the state that happened:
      step_days: to the next visit's start, to the conversion, or, for
        lost, to the journey's last event;
      days_until_step: the same, except that a journey is only known to be
        lost journey_timeout_days after its last event (what an open journey
        that has waited in a state is compared with).
-#}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}

with

visits as (

    select * from {{ ref('int_journey_state_visits') }}
    where is_journey_closed

),

steps as (

    select
        journey_id,
        visit_number,
        visit_stage,
        stage_order,
        channel,
        case
            when not is_last_visit then next_stage
            when is_journey_converted then 'conversion'
            else 'lost'
        end as to_stage,
        case when not is_last_visit then next_channel end as to_channel,
        {{ journeys_seconds_between(
            'entered_at',
            'coalesce(next_entered_at, first_converted_at, journey_ended_at)'
        ) }} / 86400.0 as step_days
    from visits

),

final as (

    select
        -- keys
        journey_id,
        visit_number,

        -- strings
        visit_stage,
        channel,
        to_stage,
        to_channel,

        -- numerics
        stage_order,
        step_days,
        step_days + case when to_stage = 'lost' then {{ journey_timeout_days }} else 0 end
            as days_until_step

    from steps

)

select * from final
