{#-
    Retention cohorts (issue 8, item 3), for weeks and months.
    - cohort_type `first_seen`: customers by the period of their first
      event; they are retained in a period when they have any event in it.
    - cohort_type `first_purchase`: customers by the period of their first
      purchase (is_conversion event); retained when they purchase in it.
    period_number N counts periods of the grain after the cohort's (0 = the
    cohort period itself). `on`: retained in period N exactly; `on or
    after`: retained in period N or any later one (unbounded retention).
    Every cohort period of the spine x every N up to the period of as_of
    has a row.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

active_periods as (

    select * from {{ ref('int_customer_active_periods') }}

),

indexed_periods as (

    select
        period_grain,
        period_start,
        period_end,
        row_number() over (partition by period_grain order by period_start) as period_index
    from periods

),

activity as (

    select
        'first_seen' as cohort_type,
        customer_key,
        period_grain,
        period_index
    from active_periods
    union all
    select
        'first_purchase' as cohort_type,
        customer_key,
        period_grain,
        period_index
    from active_periods
    where has_purchase

),

customer_cohorts as (

    select
        cohort_type,
        customer_key,
        period_grain,
        min(period_index) as cohort_index,
        max(period_index) as last_index
    from activity
    group by cohort_type, customer_key, period_grain

),

-- customers active exactly N periods after their cohort's
retained_on as (

    select
        activity.cohort_type,
        activity.period_grain,
        customer_cohorts.cohort_index,
        activity.period_index - customer_cohorts.cohort_index as period_number,
        count(*) as customers_on
    from activity
    inner join customer_cohorts
        on
            activity.cohort_type = customer_cohorts.cohort_type
            and activity.customer_key = customer_cohorts.customer_key
            and activity.period_grain = customer_cohorts.period_grain
    group by
        activity.cohort_type,
        activity.period_grain,
        customer_cohorts.cohort_index,
        activity.period_index - customer_cohorts.cohort_index

),

-- customers whose last active period is N periods after their cohort's
last_active as (

    select
        cohort_type,
        period_grain,
        cohort_index,
        last_index - cohort_index as period_number,
        count(*) as customers_last_active
    from customer_cohorts
    group by cohort_type, period_grain, cohort_index, last_index - cohort_index

),

cohort_types as (

    select 'first_seen' as cohort_type
    union all
    select 'first_purchase' as cohort_type

),

grid as (

    select
        cohort_types.cohort_type,
        cohort_periods.period_grain,
        cohort_periods.period_start as cohort_period_start,
        cohort_periods.period_index as cohort_index,
        later_periods.period_index - cohort_periods.period_index as period_number,
        later_periods.period_start,
        later_periods.period_end
    from cohort_types
    cross join indexed_periods as cohort_periods
    inner join indexed_periods as later_periods
        on
            cohort_periods.period_grain = later_periods.period_grain
            and cohort_periods.period_index <= later_periods.period_index

),

filled as (

    select
        grid.*,
        coalesce(retained_on.customers_on, 0) as customers_retained_on,
        sum(coalesce(last_active.customers_last_active, 0)) over (
            partition by grid.cohort_type, grid.period_grain, grid.cohort_index
            order by grid.period_number desc
            rows between unbounded preceding and current row
        ) as customers_retained_on_or_after
    from grid
    left join retained_on
        on
            grid.cohort_type = retained_on.cohort_type
            and grid.period_grain = retained_on.period_grain
            and grid.cohort_index = retained_on.cohort_index
            and grid.period_number = retained_on.period_number
    left join last_active
        on
            grid.cohort_type = last_active.cohort_type
            and grid.period_grain = last_active.period_grain
            and grid.cohort_index = last_active.cohort_index
            and grid.period_number = last_active.period_number

),

with_cohort_size as (

    select
        *,
        max(case when period_number = 0 then customers_retained_on end) over (
            partition by cohort_type, period_grain, cohort_index
        ) as cohort_customers
    from filled

),

final as (

    select
        -- keys
        cohort_type,
        period_grain,
        cohort_period_start,
        cast(period_number as bigint) as period_number,
        period_start,
        period_end,

        -- counts
        cast(cohort_customers as bigint) as cohort_customers,
        cast(customers_retained_on as bigint) as customers_retained_on,
        cast(customers_retained_on_or_after as bigint) as customers_retained_on_or_after,

        -- rates
        cast(customers_retained_on as {{ journeys_type_double() }})
        / nullif(cohort_customers, 0) as retention_on,
        cast(customers_retained_on_or_after as {{ journeys_type_double() }})
        / nullif(cohort_customers, 0) as retention_on_or_after

    from with_cohort_size

)

select * from final
