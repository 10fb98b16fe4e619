{#-
    churn_risk per customer_key: the probability that a customer active at
    as_of churns within churn_inactivity_days (SPEC 6: no event follows the
    latest one within that many days), from an empirical model of recency,
    frequency and engagement estimated on the customer's own history.
    For the lead's dim_customers: left join on customer_key, column churn_risk.

    Features at an instant s, from events at or before s:
      recency_days: days since the latest event (active: at most
        churn_inactivity_days);
      frequency: events in [s - churn_inactivity_days, s];
      engagement: positive minus negative signal_weight in
        [s - engagement_window_days, s] (SPEC's engagement score at s).
    Bins: recency in 6 equal slices of churn_inactivity_days; frequency
    1, 2-3, 4-7, 8-15, 16+; engagement <= 0, (0, 2], (2, 5], > 5.
    History: every month start s (int_periods_enumerated) after the first
    event with s + churn_inactivity_days <= as_of, so the outcome is known by
    as_of; each customer active at s is one case; churned when no event
    follows the latest one within churn_inactivity_days.
    Rates, shrunk so that thin cells lean on coarser ones (weight m =
    churn_risk_smoothing pseudo-cases):
      overall_churn_rate = churned / cases;
      recency_churn_rate = (churned_r + m overall) / (cases_r + m), the
        naive recency-only baseline;
      churn_risk = (churned_cell + m recency rate) / (cases_cell + m).
    Customers not active at as_of (churned already, or no event by as_of):
    churn_risk null.
-#}
{%- set churn_days = journeys_positive_number_var('churn_inactivity_days', 90) -%}
{%- set engagement_days = journeys_positive_number_var('engagement_window_days', 30) -%}
{%- set smoothing = journeys_positive_number_var('churn_risk_smoothing', 20, allow_zero=true) -%}

with

events as (

    select * from {{ ref('fct_events') }}

),

evaluation as (

    select * from {{ ref('int_evaluation_instant') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

customers as (

    select distinct customer_key from events

),

instants as (

    select
        periods.period_start_at as instant_at,
        false as is_scoring
    from periods
    cross join evaluation
    where
        periods.period_grain = 'month'
        and periods.period_start_at > evaluation.first_event_at
        and {{ dbt.dateadd('day', churn_days, 'periods.period_start_at') }} <= evaluation.as_of_at

    union all

    select
        as_of_at as instant_at,
        true as is_scoring
    from evaluation

),

events_sequenced as (

    select
        customer_key,
        occurred_at,
        event_id,
        -- an exact decimal: the sum's bin must not depend on the engine's
        -- order of adding doubles (5.000000000000001 is not 5)
        {{ journeys_signed_signal_weight('signal_polarity', 'signal_weight') }} as signed_weight,
        lead(occurred_at) over (
            partition by customer_key order by occurred_at, event_id
        ) as next_event_at
    from events

),

windowed as (

    select
        instants.instant_at,
        instants.is_scoring,
        events_sequenced.customer_key,
        events_sequenced.occurred_at,
        events_sequenced.next_event_at,
        events_sequenced.signed_weight,
        row_number() over (
            partition by instants.instant_at, events_sequenced.customer_key
            order by events_sequenced.occurred_at desc, events_sequenced.event_id desc
        ) as recency_rank
    from instants
    inner join events_sequenced
        on
            instants.instant_at >= events_sequenced.occurred_at
            and {{ dbt.dateadd('day', -churn_days, 'instants.instant_at') }}
            <= events_sequenced.occurred_at

),

features as (

    select
        instant_at,
        is_scoring,
        customer_key,
        max(occurred_at) as last_event_at,
        count(*) as frequency,
        sum(
            case
                when occurred_at >= {{ dbt.dateadd('day', -engagement_days, 'instant_at') }}
                    then signed_weight
                else 0
            end
        ) as engagement,
        max(case when recency_rank = 1 then next_event_at end) as next_event_at
    from windowed
    group by instant_at, is_scoring, customer_key

),

binned as (

    select
        *,
        {{ journeys_seconds_between('last_event_at', 'instant_at') }} / 86400.0 as recency_days,
        least(
            floor(
                {{ journeys_seconds_between('last_event_at', 'instant_at') }}
                / (86400.0 * {{ churn_days }} / 6)
            ),
            5
        ) as recency_bin,
        case
            when frequency >= 16 then 4
            when frequency >= 8 then 3
            when frequency >= 4 then 2
            when frequency >= 2 then 1
            else 0
        end as frequency_bin,
        case
            when engagement > 5 then 3
            when engagement > 2 then 2
            when engagement > 0 then 1
            else 0
        end as engagement_bin,
        case
            when
                next_event_at is null
                or next_event_at > {{ dbt.dateadd('day', churn_days, 'last_event_at') }}
                then 1
            else 0
        end as has_churned
    from features

),

history as (

    select * from binned
    where not is_scoring

),

overall as (

    select
        cast(sum(has_churned) as {{ journeys_type_double() }})
        / nullif(count(*), 0) as overall_churn_rate
    from history

),

recency_rates as (

    select
        history.recency_bin,
        (sum(history.has_churned) + {{ smoothing }} * max(overall.overall_churn_rate))
        / (count(*) + {{ smoothing }}) as recency_churn_rate
    from history
    cross join overall
    group by history.recency_bin

),

cell_counts as (

    select
        recency_bin,
        frequency_bin,
        engagement_bin,
        count(*) as history_cases,
        sum(has_churned) as history_churned
    from history
    group by recency_bin, frequency_bin, engagement_bin

),

scored as (

    select
        binned.customer_key,
        binned.last_event_at,
        binned.recency_days,
        binned.frequency,
        binned.engagement,
        binned.recency_bin,
        binned.frequency_bin,
        binned.engagement_bin,
        coalesce(cell_counts.history_cases, 0) as history_cases,
        coalesce(cell_counts.history_churned, 0) as history_churned,
        coalesce(recency_rates.recency_churn_rate, overall.overall_churn_rate)
            as recency_churn_rate,
        (
            coalesce(cell_counts.history_churned, 0)
            + {{ smoothing }}
            * coalesce(recency_rates.recency_churn_rate, overall.overall_churn_rate)
        )
        / nullif(coalesce(cell_counts.history_cases, 0) + {{ smoothing }}, 0) as churn_risk
    from binned
    cross join overall
    left join recency_rates
        on binned.recency_bin = recency_rates.recency_bin
    left join cell_counts
        on
            binned.recency_bin = cell_counts.recency_bin
            and binned.frequency_bin = cell_counts.frequency_bin
            and binned.engagement_bin = cell_counts.engagement_bin
    where binned.is_scoring

),

final as (

    select
        -- ids
        customers.customer_key,

        -- numerics
        cast(scored.churn_risk as {{ journeys_type_double() }}) as churn_risk,
        cast(scored.recency_churn_rate as {{ journeys_type_double() }}) as recency_churn_rate,
        cast(scored.recency_days as {{ journeys_type_double() }}) as recency_days,
        cast(scored.frequency as {{ dbt.type_int() }}) as frequency,
        cast(scored.engagement as {{ journeys_type_double() }}) as engagement,
        cast(scored.recency_bin as {{ dbt.type_int() }}) as recency_bin,
        cast(scored.frequency_bin as {{ dbt.type_int() }}) as frequency_bin,
        cast(scored.engagement_bin as {{ dbt.type_int() }}) as engagement_bin,
        cast(scored.history_cases as {{ dbt.type_int() }}) as history_cases,
        cast(scored.history_churned as {{ dbt.type_int() }}) as history_churned,

        -- booleans
        scored.customer_key is not null as is_active_at_as_of,

        -- timestamps
        scored.last_event_at

    from customers
    left join scored
        on customers.customer_key = scored.customer_key

)

select * from final
