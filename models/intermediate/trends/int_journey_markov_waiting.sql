{#-
    Where a journey goes next given that it has already waited in its state,
    for the predictions of journeys that are open: one row per state of the
    chain (from_state_index), whole days waited since entering it
    (waited_days, 0, 1, ...) and next state (to_state_index, -1 conversion,
    -2 lost), over the closed journeys' steps (int_journey_markov_steps)
    that had not happened after that long (days_until_step > waited_days):
      steps_after_waiting: how many;
      transition_probability_after_waiting: their share of every such step
        out of the state, the next-step distribution of a journey still in
        the state after waited_days days;
      mean_days_in_step_after_waiting: the mean days those same steps took
        from entering the state (step_days: to the next state's entry, to
        the conversion, for lost to the journey's last event), from which
        fct_journey_predictions takes the time a waiting journey still has
        to go in its state (DECISIONLOG D172).
    At waited_days 0 it is the chain's own transition probability (every
    step takes some time; a step at the entry instant counts as not waited).
    Rows stop at the longest wait seen in each state.
-#}
with

steps as (

    select * from {{ ref('int_journey_markov_steps') }}

),

transitions as (

    select * from {{ ref('int_journey_markov_transitions') }}

),

integers as (

    {{ journeys_integers(4) }}

),

indexed as (

    select
        transitions.from_state_index,
        transitions.to_state_index,
        steps.step_days,
        -- a step at the very entry instant still counts at waited_days 0
        greatest(steps.days_until_step, 0.5) as waiting_limit_days
    from steps
    inner join transitions
        on
            steps.visit_stage = transitions.from_stage
            and steps.channel = transitions.from_channel
            and steps.to_stage = transitions.to_stage
            and coalesce(steps.to_channel, '') = coalesce(transitions.to_channel, '')

),

waited as (

    select
        indexed.from_state_index,
        integers.n as waited_days,
        indexed.to_state_index,
        count(*) as steps_after_waiting,
        avg(indexed.step_days) as mean_days_in_step_after_waiting
    from indexed
    inner join integers
        on indexed.waiting_limit_days > integers.n
    group by indexed.from_state_index, integers.n, indexed.to_state_index

),

final as (

    select
        -- keys
        cast(from_state_index as {{ dbt.type_int() }}) as from_state_index,
        cast(waited_days as {{ dbt.type_int() }}) as waited_days,
        cast(to_state_index as {{ dbt.type_int() }}) as to_state_index,

        -- numerics
        cast(steps_after_waiting as {{ dbt.type_int() }}) as steps_after_waiting,
        cast(steps_after_waiting as {{ journeys_type_double() }})
        / sum(steps_after_waiting) over (partition by from_state_index, waited_days)
            as transition_probability_after_waiting,
        cast(mean_days_in_step_after_waiting as {{ journeys_type_double() }})
            as mean_days_in_step_after_waiting

    from waited

)

select * from final
