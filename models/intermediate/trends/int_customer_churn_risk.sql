{#-
    churn_risk per customer_key: the probability that a customer active at
    as_of churns within churn_inactivity_days (SPEC 6: no event follows the
    latest one within that many days), from an empirical model estimated on
    the customers' own history (DECISIONLOG D125, D140-D144).
    For dim_customers: left join on customer_key, column churn_risk.

    Features at an instant s, from events at or before s only:
      recency_bin: days since the latest event in churn_risk_recency_bins
        (9) equal slices of churn_inactivity_days, 0 first (active: less
        than churn_inactivity_days, as dim_customers.is_churned has it: a
        latest event exactly that many days before s is a churn at s);
      identified_bin: 1 when an event at or before s carried a customer_id
        (a visitor not yet identified is likelier to leave);
      journey_stage_order: the stage the latest journey had reached at its
        latest event (1-6, journey_stages);
      purchased_bin: 1 when the customer converted at or before s.
      frequency (events in [s - churn_inactivity_days, s]) and engagement
      (SPEC's engagement score at s) are reported, not binned (D141).
    History: every month start s (int_periods_enumerated) after the first
    event with s + churn_inactivity_days <= as_of, so the outcome is known by
    as_of; each customer active at s is one case; churned when no event
    follows the latest one within churn_inactivity_days.
    Rates, a smoothing hierarchy (m = churn_risk_smoothing pseudo-cases):
      rate_0 = overall churned / cases;
      rate_k = (churned_k + m rate_(k-1)) / (cases_k + m) in the level-k cell
        of the row, level 1 = recency, 2 = + identified, 3 = + journey
        stage, 4 = + purchased; a cell without history (or m = 0 and no
        cases) takes its parent's rate.
      recency_churn_rate = rate_1 (the naive recency-only baseline);
      churn_risk = rate_4.
    Customers not active at as_of (churned already, or no event by as_of):
    churn_risk null.
-#}
{%- set churn_days = journeys_positive_number_var('churn_inactivity_days', 90) -%}
{%- set engagement_days = journeys_positive_number_var('engagement_window_days', 30) -%}
{%- set smoothing = journeys_positive_number_var('churn_risk_smoothing', 20, allow_zero=true) -%}
{%- set recency_bins = journeys_positive_number_var('churn_risk_recency_bins', 9) -%}
{%- if recency_bins != recency_bins | int -%}
    {{ exceptions.raise_compiler_error(
        "journeys: var churn_risk_recency_bins must be a whole number, got " ~ recency_bins) }}
{%- endif -%}

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
        journey_stage_order,
        max(case when customer_id is not null then 1 else 0 end) over (
            partition by customer_key order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as identified_so_far,
        sum(case when is_conversion then 1 else 0 end) over (
            partition by customer_key order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as conversions_so_far,
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
        events_sequenced.journey_stage_order,
        events_sequenced.identified_so_far,
        events_sequenced.conversions_so_far,
        row_number() over (
            partition by instants.instant_at, events_sequenced.customer_key
            order by events_sequenced.occurred_at desc, events_sequenced.event_id desc
        ) as recency_rank
    from instants
    inner join events_sequenced
        on
            instants.instant_at >= events_sequenced.occurred_at
            -- active at the instant: the latest event less than
            -- churn_inactivity_days before it (exactly that many days
            -- before is a churn instant at the instant: dim_customers.is_churned)
            and {{ dbt.dateadd('day', -churn_days, 'instants.instant_at') }}
            < events_sequenced.occurred_at

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
        max(case when recency_rank = 1 then next_event_at end) as next_event_at,
        max(case when recency_rank = 1 then journey_stage_order end) as journey_stage_order,
        max(case when recency_rank = 1 then identified_so_far end) as identified_bin,
        max(case when recency_rank = 1 then conversions_so_far end) as conversions
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
                / (86400.0 * {{ churn_days }} / {{ recency_bins | int }})
            ),
            {{ (recency_bins | int) - 1 }}
        ) as recency_bin,
        case when conversions > 0 then 1 else 0 end as purchased_bin,
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

-- level 1: recency
cells_1 as (

    select
        recency_bin,
        count(*) as cases,
        sum(has_churned) as churned
    from history
    group by recency_bin

),

-- level 2: + identified
cells_2 as (

    select
        recency_bin,
        identified_bin,
        count(*) as cases,
        sum(has_churned) as churned
    from history
    group by recency_bin, identified_bin

),

-- level 3: + the latest journey's stage
cells_3 as (

    select
        recency_bin,
        identified_bin,
        journey_stage_order,
        count(*) as cases,
        sum(has_churned) as churned
    from history
    group by recency_bin, identified_bin, journey_stage_order

),

-- level 4: + purchased
cells_4 as (

    select
        recency_bin,
        identified_bin,
        journey_stage_order,
        purchased_bin,
        count(*) as cases,
        sum(has_churned) as churned
    from history
    group by recency_bin, identified_bin, journey_stage_order, purchased_bin

),

rated_0 as (

    select
        binned.*,
        overall.overall_churn_rate as rate_0
    from binned
    cross join overall
    where binned.is_scoring

),

-- rate_1: the level-1 cell's rate shrunk towards rate_0; no
-- cases and no smoothing: rate_0 itself
rated_1 as (

    select
        rated_0.*,
        coalesce(cells_1.cases, 0) as cases_1,
        coalesce(cells_1.churned, 0) as churned_1,
        coalesce(
            (coalesce(cells_1.churned, 0) + {{ smoothing }} * rated_0.rate_0)
            / nullif(coalesce(cells_1.cases, 0) + {{ smoothing }}, 0),
            rated_0.rate_0
        ) as rate_1
    from rated_0
    left join cells_1
        on
            rated_0.recency_bin = cells_1.recency_bin

),

-- rate_2: the level-2 cell's rate shrunk towards rate_1; no
-- cases and no smoothing: rate_1 itself
rated_2 as (

    select
        rated_1.*,
        coalesce(cells_2.cases, 0) as cases_2,
        coalesce(cells_2.churned, 0) as churned_2,
        coalesce(
            (coalesce(cells_2.churned, 0) + {{ smoothing }} * rated_1.rate_1)
            / nullif(coalesce(cells_2.cases, 0) + {{ smoothing }}, 0),
            rated_1.rate_1
        ) as rate_2
    from rated_1
    left join cells_2
        on
            rated_1.recency_bin = cells_2.recency_bin
            and rated_1.identified_bin = cells_2.identified_bin

),

-- rate_3: the level-3 cell's rate shrunk towards rate_2; no
-- cases and no smoothing: rate_2 itself
rated_3 as (

    select
        rated_2.*,
        coalesce(cells_3.cases, 0) as cases_3,
        coalesce(cells_3.churned, 0) as churned_3,
        coalesce(
            (coalesce(cells_3.churned, 0) + {{ smoothing }} * rated_2.rate_2)
            / nullif(coalesce(cells_3.cases, 0) + {{ smoothing }}, 0),
            rated_2.rate_2
        ) as rate_3
    from rated_2
    left join cells_3
        on
            rated_2.recency_bin = cells_3.recency_bin
            and rated_2.identified_bin = cells_3.identified_bin
            and rated_2.journey_stage_order = cells_3.journey_stage_order

),

-- rate_4: the level-4 cell's rate shrunk towards rate_3; no
-- cases and no smoothing: rate_3 itself
rated_4 as (

    select
        rated_3.*,
        coalesce(cells_4.cases, 0) as cases_4,
        coalesce(cells_4.churned, 0) as churned_4,
        coalesce(
            (coalesce(cells_4.churned, 0) + {{ smoothing }} * rated_3.rate_3)
            / nullif(coalesce(cells_4.cases, 0) + {{ smoothing }}, 0),
            rated_3.rate_3
        ) as rate_4
    from rated_3
    left join cells_4
        on
            rated_3.recency_bin = cells_4.recency_bin
            and rated_3.identified_bin = cells_4.identified_bin
            and rated_3.journey_stage_order = cells_4.journey_stage_order
            and rated_3.purchased_bin = cells_4.purchased_bin

),

final as (

    select
        -- ids
        customers.customer_key,

        -- numerics
        cast(scored.rate_4 as {{ journeys_type_double() }}) as churn_risk,
        cast(scored.rate_1 as {{ journeys_type_double() }}) as recency_churn_rate,
        cast(scored.recency_days as {{ journeys_type_double() }}) as recency_days,
        cast(scored.frequency as {{ dbt.type_int() }}) as frequency,
        cast(scored.engagement as {{ journeys_type_double() }}) as engagement,
        cast(scored.conversions as {{ dbt.type_int() }}) as conversions,
        cast(scored.recency_bin as {{ dbt.type_int() }}) as recency_bin,
        cast(scored.identified_bin as {{ dbt.type_int() }}) as identified_bin,
        cast(scored.journey_stage_order as {{ dbt.type_int() }}) as journey_stage_order,
        cast(scored.purchased_bin as {{ dbt.type_int() }}) as purchased_bin,
        cast(scored.cases_4 as {{ dbt.type_int() }}) as history_cases,
        cast(scored.churned_4 as {{ dbt.type_int() }}) as history_churned,

        -- booleans
        scored.customer_key is not null as is_active_at_as_of,

        -- timestamps
        scored.last_event_at

    from customers
    left join rated_4 as scored
        on customers.customer_key = scored.customer_key

)

select * from final
