{#-
    Markov attribution solved exactly (SPEC 6, markov): one row per channel
    state of int_attribution_markov_transitions with
      conversion_probability: P(conversion) from start, the absorbing
        probability of the chain as built;
      conversion_probability_without_channel: the same with the channel
        removed (every step into it goes to null instead);
      removal_effect = 1 - without / with, removal_share = effect / the sum
        of all channels' effects (null when P(conversion) is 0).

    Method: state elimination (Gaussian elimination on the transient states),
    for every removal scenario at once. The matrix is kept dense, one row per
    (removed_state_index, from_state_index, to_state_index) with zeros,
    removed_state_index 0 being the chain with nothing removed. Eliminating
    channel state k sets, for every other pair i, j,
        P[i][j] += P[i][k] * P[k][j] / (1 - P[k][k])
    and drops k's row and column; absorbing probabilities are unchanged by
    it. After every channel is eliminated, P[start][conversion] is the exact
    conversion probability (up to double rounding: no sampling, no
    iteration to convergence). Each step reads the previous one once
    (two window passes: P[i][k] along row i, then P[k][j] / (1 - P[k][k])
    down column j), so the SQL grows linearly with the number of channels;
    the steps are unrolled at run time from the channel count (Spark has no
    recursive CTE). Work per step is (channels + 1)^2 x (channels + 2) rows,
    whatever the number of paths.

    P[k][k] < 1 for every state left (each channel's last occurrence in a
    path steps to another state, and elimination keeps every state able to
    reach absorption); the division is guarded anyway.
-#}
{%- set state_count = journeys_markov_state_count(ref('int_attribution_markov_transitions')) -%}

with

transitions as (

    select * from {{ ref('int_attribution_markov_transitions') }}

),

channels as (

    select distinct
        to_state_index as state_index,
        to_channel as channel
    from transitions
    where to_state_index > 0

),

-- 0: nothing removed; k > 0: channel state k removed
scenarios as (

    select 0 as removed_state_index
    union all
    select state_index as removed_state_index from channels

),

from_states as (

    select 0 as state_index
    union all
    select state_index from channels

),

to_states as (

    select state_index from channels
    union all
    select -1 as state_index
    union all
    select -2 as state_index

),

-- the dense transition matrix of every scenario; with channel k removed,
-- steps into k go to null (-2) and k has no row or column
eliminated_0 as (

    select
        scenarios.removed_state_index,
        from_states.state_index as from_state_index,
        to_states.state_index as to_state_index,
        coalesce(kept.transition_probability, 0)
        + coalesce(redirected.transition_probability, 0) as probability
    from scenarios
    cross join from_states
    cross join to_states
    left join transitions as kept
        on
            from_states.state_index = kept.from_state_index
            and to_states.state_index = kept.to_state_index
    left join transitions as redirected
        on
            to_states.state_index = -2
            and scenarios.removed_state_index > 0
            and from_states.state_index = redirected.from_state_index
            and scenarios.removed_state_index = redirected.to_state_index
    where
        scenarios.removed_state_index = 0
        or (
            from_states.state_index <> scenarios.removed_state_index
            and to_states.state_index <> scenarios.removed_state_index
        )

),
{%- for state in range(1, state_count + 1) %}

    -- eliminate channel state {{ state }}: P[i][{{ state }}] along each row i
    eliminating_{{ state }}_row as (

        select
            *,
            max(case when to_state_index = {{ state }} then probability end) over (
                partition by removed_state_index, from_state_index
            ) as probability_into
        from eliminated_{{ state - 1 }}

    ),

    -- P[{{ state }}][j] / (1 - P[{{ state }}][{{ state }}]) down each column j
    eliminating_{{ state }}_column as (

        select
            *,
            max(
                case
                    when from_state_index = {{ state }}
                        then probability / nullif(1 - probability_into, 0)
                end
            ) over (partition by removed_state_index, to_state_index) as probability_onward
        from eliminating_{{ state }}_row

    ),

    eliminated_{{ state }} as (

        select
            removed_state_index,
            from_state_index,
            to_state_index,
            probability + coalesce(probability_into * probability_onward, 0) as probability
        from eliminating_{{ state }}_column
        where from_state_index <> {{ state }} and to_state_index <> {{ state }}

    ),
{%- endfor %}

conversion_probabilities as (

    select
        removed_state_index,
        probability as conversion_probability
    from eliminated_{{ state_count }}
    where from_state_index = 0 and to_state_index = -1

),

baseline as (

    select conversion_probability
    from conversion_probabilities
    where removed_state_index = 0

),

effects as (

    select
        channels.state_index,
        channels.channel,
        baseline.conversion_probability,
        without_channel.conversion_probability as conversion_probability_without_channel,
        1 - without_channel.conversion_probability
        / nullif(baseline.conversion_probability, 0) as raw_removal_effect
    from channels
    inner join conversion_probabilities as without_channel
        on channels.state_index = without_channel.removed_state_index
    cross join baseline

),

clamped as (

    select
        channel,
        state_index,
        conversion_probability,
        conversion_probability_without_channel,
        -- removing a state never adds a route to conversion: an effect
        -- below 0 is rounding (about 1e-16), read as 0
        case when raw_removal_effect < 0 then 0 else raw_removal_effect end as removal_effect
    from effects

),

final as (

    select
        -- ids
        channel,

        -- numerics
        state_index,
        conversion_probability,
        conversion_probability_without_channel,
        removal_effect,
        removal_effect / nullif(sum(removal_effect) over (), 0) as removal_share

    from clamped

)

select * from final
