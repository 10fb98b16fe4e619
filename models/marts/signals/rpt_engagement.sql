{#-
    Engagement score (SPEC 6) per customer over time: one row per customer,
    period grain and period, from the period holding the customer's first
    event to the period holding as_of. Each period is scored at its end, or
    at as_of for the period holding it (scored_at): the sum of the signed
    signal weights of the customer's events in [scored_at -
    engagement_window_days, scored_at] that lie before the period end, the
    same closed window dim_customers.engagement_score uses at as_of (D50).
    Beside it, the period's own activity: its events and their positive and
    negative weights.
-#}
{%- set engagement_window_days = journeys_positive_number_var('engagement_window_days', 30) -%}
{#- An event counts in the window of its own period and of later periods
    ending at most engagement_window_days after it: at most
    ceil(window / shortest period length) later periods. -#}
{%- set shortest_period_days = {'week': 7, 'month': 28} -%}
{%- set offsets = {} -%}
{%- for grain in journeys_period_grains() -%}
    {%- set shortest = shortest_period_days.get(grain, 1) -%}
    {%- set steps = (engagement_window_days / shortest) | round(0, 'ceil') | int -%}
    {%- do offsets.update({grain: steps}) -%}
{%- endfor -%}
{%- set max_offset = offsets.values() | max -%}

with

events as (

    select * from {{ ref('fct_events') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

integers as (

    {{ journeys_integers(max_offset | string | length) }}

),

-- each period's scoring instant: its end, or as_of inside the last period
scored_periods as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.period_start_at,
        periods.period_end_at,
        case
            when periods.period_end_at > evaluation.as_of_at then evaluation.as_of_at
            else periods.period_end_at
        end as scored_at
    from periods
    cross join evaluation

),

-- every event once per grain, with the start of the period holding it
events_in_periods as (

    {%- for grain in journeys_period_grains() %}
        select
            '{{ grain }}' as period_grain,
            customer_key,
            occurred_at,
            signal_polarity,
            {{ journeys_signed_signal_weight('signal_polarity', 'signal_weight') }}
                as signed_weight,
            {{ journeys_signed_signal_weight('signal_polarity', 'signal_weight', 'positive') }}
                as positive_weight,
            {{ journeys_signed_signal_weight('signal_polarity', 'signal_weight', 'negative') }}
                as negative_weight,
            cast({{ dbt.date_trunc(grain, 'occurred_at') }} as {{ dbt.type_timestamp() }})
                as event_period_start_at
        from events
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

period_activity as (

    select
        scored_periods.period_grain,
        scored_periods.period_start,
        events_in_periods.customer_key,
        count(*) as period_event_count,
        sum(case when events_in_periods.signal_polarity = 'positive' then 1 else 0 end)
            as period_positive_events,
        sum(case when events_in_periods.signal_polarity = 'negative' then 1 else 0 end)
            as period_negative_events,
        sum(events_in_periods.positive_weight) as period_positive_weight,
        sum(events_in_periods.negative_weight) as period_negative_weight
    from events_in_periods
    inner join scored_periods
        on
            events_in_periods.period_grain = scored_periods.period_grain
            and events_in_periods.event_period_start_at = scored_periods.period_start_at
    group by
        scored_periods.period_grain,
        scored_periods.period_start,
        events_in_periods.customer_key

),

-- each signal event paired with its own period and the later periods whose
-- window it may fall in (equi-join candidates, filtered exactly below)
window_candidates as (

    {%- for grain in journeys_period_grains() %}
        select
            events_in_periods.period_grain,
            events_in_periods.customer_key,
            events_in_periods.occurred_at,
            events_in_periods.signed_weight,
            events_in_periods.positive_weight,
            events_in_periods.negative_weight,
            {{ dbt.dateadd(grain, 'integers.n', 'events_in_periods.event_period_start_at') }}
                as candidate_period_start_at
        from events_in_periods
        cross join integers
        where
            events_in_periods.period_grain = '{{ grain }}'
            and events_in_periods.signal_polarity in ('positive', 'negative')
            and integers.n <= {{ offsets[grain] }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

window_sums as (

    select
        scored_periods.period_grain,
        scored_periods.period_start,
        window_candidates.customer_key,
        sum(window_candidates.signed_weight) as engagement_score,
        sum(window_candidates.positive_weight) as window_positive_weight,
        sum(window_candidates.negative_weight) as window_negative_weight
    from window_candidates
    inner join scored_periods
        on
            window_candidates.period_grain = scored_periods.period_grain
            and window_candidates.candidate_period_start_at = scored_periods.period_start_at
    where
        window_candidates.occurred_at
        >= {{ dbt.dateadd('day', -engagement_window_days, 'scored_periods.scored_at') }}
        and window_candidates.occurred_at <= scored_periods.scored_at
        and window_candidates.occurred_at < scored_periods.period_end_at
    group by
        scored_periods.period_grain,
        scored_periods.period_start,
        window_candidates.customer_key

),

-- every period from the one holding the customer's first event
grid as (

    select
        customers.customer_key,
        customers.segment,
        scored_periods.period_grain,
        scored_periods.period_start,
        scored_periods.period_end,
        scored_periods.period_end_at,
        scored_periods.scored_at
    from customers
    inner join scored_periods
        on customers.first_seen_at < scored_periods.period_end_at

),

scored as (

    select
        grid.customer_key,
        grid.segment,
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.period_end_at,
        grid.scored_at,
        coalesce(window_sums.engagement_score, 0) as engagement_score,
        coalesce(window_sums.window_positive_weight, 0) as window_positive_weight,
        coalesce(window_sums.window_negative_weight, 0) as window_negative_weight,
        coalesce(period_activity.period_event_count, 0) as period_event_count,
        coalesce(period_activity.period_positive_events, 0) as period_positive_events,
        coalesce(period_activity.period_negative_events, 0) as period_negative_events,
        coalesce(period_activity.period_positive_weight, 0) as period_positive_weight,
        coalesce(period_activity.period_negative_weight, 0) as period_negative_weight
    from grid
    left join window_sums
        on
            grid.customer_key = window_sums.customer_key
            and grid.period_grain = window_sums.period_grain
            and grid.period_start = window_sums.period_start
    left join period_activity
        on
            grid.customer_key = period_activity.customer_key
            and grid.period_grain = period_activity.period_grain
            and grid.period_start = period_activity.period_start

),

trended as (

    select
        *,
        lag(engagement_score) over (
            partition by customer_key, period_grain order by period_start
        ) as previous_engagement_score
    from scored

),

final as (

    select
        -- keys
        customer_key,
        period_grain,
        period_start,
        period_end,

        -- strings
        segment,

        -- measures
        cast(engagement_score as {{ journeys_type_double() }}) as engagement_score,
        cast(window_positive_weight as {{ journeys_type_double() }}) as window_positive_weight,
        cast(window_negative_weight as {{ journeys_type_double() }}) as window_negative_weight,
        cast(previous_engagement_score as {{ journeys_type_double() }})
            as previous_engagement_score,
        cast(engagement_score - previous_engagement_score as {{ journeys_type_double() }})
            as engagement_score_change,
        cast(period_event_count as bigint) as period_event_count,
        cast(period_positive_events as bigint) as period_positive_events,
        cast(period_negative_events as bigint) as period_negative_events,
        cast(period_positive_weight as {{ journeys_type_double() }}) as period_positive_weight,
        cast(period_negative_weight as {{ journeys_type_double() }}) as period_negative_weight,

        -- booleans
        scored_at < period_end_at as is_partial_period,

        -- timestamps
        scored_at,
        {{ dbt.dateadd('day', -engagement_window_days, 'scored_at') }} as window_start_at

    from trended

)

select * from final
