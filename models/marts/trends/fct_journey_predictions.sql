{#-
    Where every open journey (fct_journeys, not closed at as_of) is heading,
    from the absorbing Markov chain over (stage, channel) states estimated on
    the closed journeys (int_journey_markov_transitions, solved exactly
    through its fundamental matrix N, int_journey_markov_fundamental):
      chain_conversion_probability b = N R, R the one-step probabilities
        into conversion: the probability that a journey entering the state
        of its latest pre-conversion visit converts;
      conversion_probability: the same for this journey, which has already
        waited waited_days whole days in that state without moving: its next
        step is drawn from the steps out of the state that closed journeys
        took after at least as long a wait (int_journey_markov_waiting; a
        journey that has gone quiet is more likely lost), each times b of
        the state it leads to (1 for conversion, 0 for lost). When no closed
        journey ever waited that long there: b (`markov_without_waiting`);
      expected_days_to_conversion: the expected days from as_of to the
        conversion, given that the journey converts, conditioned on the
        time already waited the way the probability is (DECISIONLOG D172):
        over the same next steps j (transition_probability_after_waiting
        P'[j]) and their conversion probabilities b[j],
          sum_j P'[j] b[j] (max(m[j] - waited, 0) + D[j]) / sum_j P'[j] b[j],
        m[j] the mean days those steps took from entering the state
        (mean_days_in_step_after_waiting), waited the exact days from
        state_entered_at to as_of, so max(m[j] - waited, 0) is what is left
        of the current step; D[j] = w[j] / b[j] the chain's expected days to
        conversion from entering j (0 for conversion), w = N r,
        r[i] = sum over steps i -> j of P[i][j] x d[i][j] x b[j], d[i][j]
        the mean days a step i -> j took (mean_days_in_step). The
        denominator is conversion_probability. With no closed journey ever
        waiting that long (`markov_without_waiting`) the chain knows nothing
        of the wait: probability b and days D of the state, as for a
        journey entering it at as_of.
    A journey that has converted already: probability 1, 0 days. A journey
    whose state was never seen in a closed journey falls back to the naive
    rate of its stage (prediction_method `stage_rate`, no days).
    stage_conversion_rate, the naive baseline the backtest compares with:
    the share of closed journeys with a pre-conversion visit at the same
    stage that converted. recency_conversion_rate, the other one: the rate
    of int_journey_recency_rates at the whole days the journey has been
    silent (since its latest event) at as_of; null once converted.
-#}
with

journeys as (

    select * from {{ ref('fct_journeys') }}
    where not is_closed

),

visits as (

    select * from {{ ref('int_journey_state_visits') }}

),

transitions as (

    select * from {{ ref('int_journey_markov_transitions') }}

),

fundamental as (

    select * from {{ ref('int_journey_markov_fundamental') }}

),

waiting as (

    select * from {{ ref('int_journey_markov_waiting') }}

),

evaluation as (

    select * from {{ ref('int_evaluation_instant') }}

),

recency_rates as (

    select * from {{ ref('int_journey_recency_rates') }}

),

states as (

    select distinct
        from_state_index as state_index,
        from_stage,
        from_channel
    from transitions

),

-- b = N R
absorption as (

    select
        fundamental.from_state_index as state_index,
        sum(fundamental.expected_visits * transitions.transition_probability)
            as conversion_probability
    from fundamental
    inner join transitions
        on
            fundamental.to_state_index = transitions.from_state_index
            and transitions.to_state_index = -1
    group by fundamental.from_state_index

),

-- r[i] = sum_j P[i][j] d[i][j] b[j], b[conversion] = 1, b[lost] = 0
step_time_weights as (

    select
        transitions.from_state_index as state_index,
        sum(
            transitions.transition_probability * transitions.mean_days_in_step
            * case
                when transitions.to_state_index = -1 then 1
                else coalesce(absorption.conversion_probability, 0)
            end
        ) as weighted_days
    from transitions
    left join absorption
        on transitions.to_state_index = absorption.state_index
    where transitions.to_state_index <> -2
    group by transitions.from_state_index

),

-- w = N r
time_weighted as (

    select
        fundamental.from_state_index as state_index,
        sum(fundamental.expected_visits * step_time_weights.weighted_days) as weighted_days
    from fundamental
    inner join step_time_weights
        on fundamental.to_state_index = step_time_weights.state_index
    group by fundamental.from_state_index

),

chain as (

    select
        states.state_index,
        states.from_stage,
        states.from_channel,
        coalesce(absorption.conversion_probability, 0) as conversion_probability,
        time_weighted.weighted_days / nullif(absorption.conversion_probability, 0)
            as expected_days_to_conversion
    from states
    left join absorption
        on states.state_index = absorption.state_index
    left join time_weighted
        on states.state_index = time_weighted.state_index

),

stage_journeys as (

    select distinct
        journey_id,
        visit_stage,
        is_journey_converted
    from visits
    where is_journey_closed

),

stage_rates as (

    select
        visit_stage,
        avg(cast(case when is_journey_converted then 1 else 0 end as {{ journeys_type_double() }}))
            as stage_conversion_rate
    from stage_journeys
    group by visit_stage

),

current_visits as (

    select
        visits.*,
        {{ journeys_seconds_between('visits.entered_at', 'evaluation.as_of_at') }} / 86400.0
            as waited_days_exact,
        cast(floor(
            {{ journeys_seconds_between('visits.entered_at', 'evaluation.as_of_at') }} / 86400
        ) as {{ dbt.type_int() }}) as waited_days
    from visits
    cross join evaluation
    where visits.is_last_visit and not visits.is_journey_closed

),

-- the next-step distribution of a journey still in its state after the
-- days it has waited, times b of the next state; and, weighted the same,
-- the days left: of the current step, then from the next state on
waited_steps as (

    select
        current_visits.journey_id,
        waiting.transition_probability_after_waiting
        * case
            when waiting.to_state_index = -1 then 1
            when waiting.to_state_index = -2 then 0
            else coalesce(next_chain.conversion_probability, 0)
        end as converting_weight,
        greatest(
            waiting.mean_days_in_step_after_waiting - current_visits.waited_days_exact, 0
        )
        + case
            when waiting.to_state_index < 0 then 0
            else coalesce(next_chain.expected_days_to_conversion, 0)
        end as days_to_conversion_after_step
    from current_visits
    inner join chain
        on
            current_visits.visit_stage = chain.from_stage
            and current_visits.channel = chain.from_channel
    inner join waiting
        on
            chain.state_index = waiting.from_state_index
            and current_visits.waited_days = waiting.waited_days
    left join chain as next_chain
        on waiting.to_state_index = next_chain.state_index

),

waited_probabilities as (

    select
        journey_id,
        sum(converting_weight) as conversion_probability,
        sum(converting_weight * days_to_conversion_after_step)
        / nullif(sum(converting_weight), 0) as expected_days_to_conversion
    from waited_steps
    group by journey_id

),

predicted as (

    select
        journeys.journey_id,
        journeys.customer_key,
        current_visits.visit_stage as current_stage,
        current_visits.channel as current_channel,
        chain.state_index,
        current_visits.entered_at as state_entered_at,
        journeys.ended_at as last_event_at,
        journeys.is_converted,
        stage_rates.stage_conversion_rate,
        case
            when not journeys.is_converted then recency_rates.conversion_rate
        end as recency_conversion_rate,
        current_visits.waited_days,
        chain.conversion_probability as chain_conversion_probability,
        case
            when journeys.is_converted then 1.0
            when chain.state_index is not null
                then coalesce(
                    waited_probabilities.conversion_probability, chain.conversion_probability
                )
            else stage_rates.stage_conversion_rate
        end as conversion_probability,
        case
            when journeys.is_converted then 0.0
            when waited_probabilities.journey_id is not null
                then waited_probabilities.expected_days_to_conversion
            else chain.expected_days_to_conversion
        end as expected_days_to_conversion,
        case
            when journeys.is_converted then 'already_converted'
            when waited_probabilities.journey_id is not null then 'markov'
            when chain.state_index is not null then 'markov_without_waiting'
            when stage_rates.visit_stage is not null then 'stage_rate'
            else 'no_history'
        end as prediction_method
    from journeys
    left join current_visits
        on journeys.journey_id = current_visits.journey_id
    left join chain
        on
            current_visits.visit_stage = chain.from_stage
            and current_visits.channel = chain.from_channel
    left join stage_rates
        on current_visits.visit_stage = stage_rates.visit_stage
    left join waited_probabilities
        on journeys.journey_id = waited_probabilities.journey_id
    cross join evaluation
    left join recency_rates
        on
            recency_rates.silent_days
            = cast(floor(
                {{ journeys_seconds_between('journeys.ended_at', 'evaluation.as_of_at') }}
                / 86400
            ) as {{ dbt.type_int() }})

),

final as (

    select
        -- ids
        predicted.journey_id,
        predicted.customer_key,

        -- strings
        predicted.current_stage,
        predicted.current_channel,
        predicted.prediction_method,

        -- numerics
        predicted.state_index,
        predicted.waited_days,
        cast(predicted.chain_conversion_probability as {{ journeys_type_double() }})
            as chain_conversion_probability,
        cast(predicted.conversion_probability as {{ journeys_type_double() }})
            as conversion_probability,
        cast(predicted.expected_days_to_conversion as {{ journeys_type_double() }})
            as expected_days_to_conversion,
        cast(predicted.stage_conversion_rate as {{ journeys_type_double() }})
            as stage_conversion_rate,
        cast(predicted.recency_conversion_rate as {{ journeys_type_double() }})
            as recency_conversion_rate,

        -- booleans
        predicted.is_converted,

        -- timestamps
        predicted.state_entered_at,
        predicted.last_event_at,
        evaluation.as_of_at

    from predicted
    cross join evaluation

)

select * from final
