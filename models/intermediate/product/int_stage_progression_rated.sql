{#-
    Stage progression rate (SPEC 6), computed once for every breakdown the
    marts cut it by: rpt_stage_progression reads the `segment` rows,
    rpt_stage_progression_by_pattern the `journey_pattern` rows, and both
    the `all` rows (every customer), so their numbers agree by construction.
    Per period grain, period, breakdown, breakdown value and adjacent stage
    pair A -> B:
      customers_at_start: customers whose open journey at the period start
        (latest event strictly before it, at most journey_timeout_days
        earlier) is at stage A, counting only events strictly before it;
      customers_progressed: those whose same journey reaches B or a later
        stage with an event inside [period_start, period_end);
      progression_rate = progressed / at_start (null when at_start = 0), with
      the previous period's rate (same grain, breakdown value and pair).
    A customer is placed by their attributes at as_of: segment from the CRM,
    journey_pattern from int_customer_journey_patterns (`unclassified` when
    missing, as in rpt_funnel; DECISIONLOG D150). Every period x breakdown
    value x pair has a row.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

period_starts as (

    select * from {{ ref('int_customer_period_starts') }}
    where is_journey_open_at_start and journey_stage_order is not null

),

stage_entries as (

    select * from {{ ref('int_journey_stage_entries') }}

),

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

patterns as (

    select * from {{ ref('int_customer_journey_patterns') }}

),

stages as (

    select * from {{ ref('journey_stages') }}

),

stage_pairs as (

    select
        from_stages.stage as from_stage,
        from_stages.stage_order as from_stage_order,
        to_stages.stage as to_stage,
        to_stages.stage_order as to_stage_order
    from stages as from_stages
    inner join stages as to_stages
        on to_stages.stage_order = from_stages.stage_order + 1

),

-- each customer's value in each breakdown; `all` holds every customer
customer_breakdowns as (

    select
        customer_key,
        'all' as breakdown,
        'all' as breakdown_value
    from customers

    union all

    select
        customer_key,
        'segment' as breakdown,
        segment as breakdown_value
    from customers

    union all

    select
        customers.customer_key,
        'journey_pattern' as breakdown,
        coalesce(patterns.journey_pattern, 'unclassified') as breakdown_value
    from customers
    left join patterns
        on customers.customer_key = patterns.customer_key

),

breakdowns as (

    select distinct
        breakdown,
        breakdown_value
    from customer_breakdowns

    union

    -- the `all` rows exist even when there is no customer
    select
        'all' as breakdown,
        'all' as breakdown_value

),

-- one row per customer at stage A at the start of a period, flagged when
-- the same journey reached a later stage before the period ended
at_start as (

    select
        period_starts.period_grain,
        period_starts.period_start,
        period_starts.customer_key,
        period_starts.journey_stage_order as from_stage_order,
        max(case when stage_entries.journey_id is not null then 1 else 0 end)
            as has_progressed
    from period_starts
    left join stage_entries
        on
            period_starts.journey_id = stage_entries.journey_id
            and period_starts.journey_stage_order < stage_entries.stage_order
            and period_starts.period_end_at > stage_entries.entered_at
    group by
        period_starts.period_grain,
        period_starts.period_start,
        period_starts.customer_key,
        period_starts.journey_stage_order

),

counts as (

    select
        at_start.period_grain,
        at_start.period_start,
        customer_breakdowns.breakdown,
        customer_breakdowns.breakdown_value,
        at_start.from_stage_order,
        count(*) as customers_at_start,
        sum(at_start.has_progressed) as customers_progressed
    from at_start
    inner join customer_breakdowns
        on at_start.customer_key = customer_breakdowns.customer_key
    group by
        at_start.period_grain,
        at_start.period_start,
        customer_breakdowns.breakdown,
        customer_breakdowns.breakdown_value,
        at_start.from_stage_order

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        breakdowns.breakdown,
        breakdowns.breakdown_value,
        stage_pairs.from_stage,
        stage_pairs.to_stage,
        stage_pairs.from_stage_order
    from periods
    cross join breakdowns
    cross join stage_pairs

),

rates as (

    select
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.breakdown,
        grid.breakdown_value,
        grid.from_stage,
        grid.to_stage,
        grid.from_stage_order,
        coalesce(counts.customers_at_start, 0) as customers_at_start,
        coalesce(counts.customers_progressed, 0) as customers_progressed,
        cast(counts.customers_progressed as {{ journeys_type_double() }})
        / nullif(counts.customers_at_start, 0) as progression_rate
    from grid
    left join counts
        on
            grid.period_grain = counts.period_grain
            and grid.period_start = counts.period_start
            and grid.breakdown = counts.breakdown
            and grid.breakdown_value = counts.breakdown_value
            and grid.from_stage_order = counts.from_stage_order

),

trended as (

    select
        *,
        lag(progression_rate) over (
            partition by period_grain, breakdown, breakdown_value, from_stage
            order by period_start
        ) as previous_progression_rate
    from rates

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        breakdown,
        breakdown_value,
        from_stage,
        to_stage,

        -- measures
        customers_at_start,
        customers_progressed,
        progression_rate,
        previous_progression_rate,
        progression_rate - previous_progression_rate as progression_rate_change

    from trended

)

select * from final
