{#-
    Stickiness (issue 8, item 3): how many days of each period customers
    were active (UTC days with at least one event), weeks and months. One row
    per period x active_days from 1 to the days of the period (7 for a
    week, 28-31 for a month); the last period may be partial.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

active_periods as (

    select * from {{ ref('int_customer_active_periods') }}

),

integers as (

    {{ journeys_integers(2) }}

),

day_counts as (

    select
        period_grain,
        period_start,
        active_days,
        count(*) as customers
    from active_periods
    group by period_grain, period_start, active_days

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        integers.n as active_days
    from periods
    inner join integers
        on
            integers.n >= 1
            and integers.n
            <= {{ journeys_seconds_between('periods.period_start_at', 'periods.period_end_at') }}
            / 86400

),

filled as (

    select
        grid.*,
        coalesce(day_counts.customers, 0) as customers
    from grid
    left join day_counts
        on
            grid.period_grain = day_counts.period_grain
            and grid.period_start = day_counts.period_start
            and grid.active_days = day_counts.active_days

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        cast(active_days as bigint) as active_days,

        -- counts
        cast(customers as bigint) as customers,
        cast(sum(customers) over (partition by period_grain, period_start) as bigint)
            as customers_active,
        cast(sum(customers) over (
            partition by period_grain, period_start
            order by active_days desc
            rows between unbounded preceding and current row
        ) as bigint) as customers_active_at_least,

        -- rates
        cast(customers as {{ journeys_type_double() }})
        / nullif(sum(customers) over (partition by period_grain, period_start), 0)
            as share_of_active_customers

    from filled

)

select * from final
