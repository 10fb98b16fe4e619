{#-
    One row per customer, period grain and period of the report spine in
    which the customer had an event (issue 8, item 3), with the period's
    position in the spine (period_index, 1 = the first period of the grain),
    the days active in it and whether they purchased in it.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

active_days as (

    select * from {{ ref('int_customer_active_days') }}

),

indexed_periods as (

    select
        period_grain,
        period_start,
        row_number() over (partition by period_grain order by period_start) as period_index
    from periods

),

days_in_grains as (

    select
        customer_key,
        'week' as period_grain,
        week_start as period_start,
        purchases
    from active_days
    union all
    select
        customer_key,
        'month' as period_grain,
        month_start as period_start,
        purchases
    from active_days

),

final as (

    select
        -- keys
        days_in_grains.customer_key,
        days_in_grains.period_grain,
        days_in_grains.period_start,
        indexed_periods.period_index,

        -- counts
        count(*) as active_days,
        sum(days_in_grains.purchases) as purchases,

        -- booleans
        sum(days_in_grains.purchases) > 0 as has_purchase

    from days_in_grains
    inner join indexed_periods
        on
            days_in_grains.period_grain = indexed_periods.period_grain
            and days_in_grains.period_start = indexed_periods.period_start
    group by
        days_in_grains.customer_key,
        days_in_grains.period_grain,
        days_in_grains.period_start,
        indexed_periods.period_index

)

select * from final
