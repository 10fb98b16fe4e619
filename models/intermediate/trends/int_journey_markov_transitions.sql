{#-
    The absorbing Markov chain of journey prediction, estimated on closed
    journeys (closed at as_of: their outcome is final): one row per pair of
    states with at least one step between them.
      transient states: (stage, channel) visits (int_journey_state_visits),
        numbered 1..n by (stage order, channel);
      absorbing states: conversion (-1, the journey's first conversion) and
        lost (-2, the journey closed without one).
    A step (int_journey_markov_steps) is a visit followed by the next visit,
    or the last visit followed by conversion or lost. transition_probability = steps from -> to / all
    steps leaving from. mean_days_in_step: mean days from entering the
    from-state to entering the to-state (to the conversion for -1, to the
    journey's last event for -2), the time a step takes, kept per pair so
    the expected days to conversion weigh each step by how long that step
    really takes.
-#}
with

steps as (

    select * from {{ ref('int_journey_markov_steps') }}

),

distinct_states as (

    select distinct
        visit_stage,
        stage_order,
        channel
    from steps

),

states as (

    select
        visit_stage,
        stage_order,
        channel,
        cast(dense_rank() over (order by stage_order, channel) as {{ dbt.type_int() }})
            as state_index
    from distinct_states

),

counted as (

    select
        visit_stage,
        channel,
        to_stage,
        to_channel,
        count(*) as steps,
        avg(step_days) as mean_days_in_step
    from steps
    group by visit_stage, channel, to_stage, to_channel

),

final as (

    select
        -- keys
        from_states.state_index as from_state_index,
        -- absorbing steps are the ones without a next channel
        case
            when counted.to_channel is not null then to_states.state_index
            when counted.to_stage = 'conversion' then -1
            else -2
        end as to_state_index,

        -- strings
        counted.visit_stage as from_stage,
        counted.channel as from_channel,
        counted.to_stage,
        counted.to_channel,

        -- numerics
        cast(counted.steps as {{ dbt.type_int() }}) as steps,
        cast(counted.steps as {{ journeys_type_double() }})
        / sum(counted.steps) over (partition by from_states.state_index)
            as transition_probability,
        counted.mean_days_in_step

    from counted
    inner join states as from_states
        on
            counted.visit_stage = from_states.visit_stage
            and counted.channel = from_states.channel
    left join states as to_states
        on
            counted.to_stage = to_states.visit_stage
            and counted.to_channel = to_states.channel

)

select * from final
