{#-
    Churn (SPEC 6) per period grain, period and segment (and 'all'):
    customers active at the period start (latest event strictly before it at
    most churn_inactivity_days earlier), churn instants inside
    [period_start, period_end), and churn_rate = churned / active_at_start
    (null when no customer was active). Every period x segment has a row.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

period_starts as (

    select * from {{ ref('int_customer_period_starts') }}
    where is_active_at_start

),

churn_instants as (

    select * from {{ ref('int_churn_instants') }}

),

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

segments as (

    select distinct segment from customers

),

active_at_start as (

    select
        period_starts.period_grain,
        period_starts.period_start,
        customers.segment,
        count(*) as customers_active_at_start
    from period_starts
    inner join customers
        on period_starts.customer_key = customers.customer_key
    group by period_starts.period_grain, period_starts.period_start, customers.segment

),

churned as (

    select
        periods.period_grain,
        periods.period_start,
        customers.segment,
        count(*) as customers_churned
    from churn_instants
    inner join periods
        on
            churn_instants.churned_at >= periods.period_start_at
            and churn_instants.churned_at < periods.period_end_at
    inner join customers
        on churn_instants.customer_key = customers.customer_key
    group by periods.period_grain, periods.period_start, customers.segment

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        segments.segment
    from periods
    cross join segments

),

by_segment as (

    select
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.segment,
        coalesce(active_at_start.customers_active_at_start, 0) as customers_active_at_start,
        coalesce(churned.customers_churned, 0) as customers_churned
    from grid
    left join active_at_start
        on
            grid.period_grain = active_at_start.period_grain
            and grid.period_start = active_at_start.period_start
            and grid.segment = active_at_start.segment
    left join churned
        on
            grid.period_grain = churned.period_grain
            and grid.period_start = churned.period_start
            and grid.segment = churned.segment

),

rolled_up as (

    select * from by_segment

    union all

    select
        period_grain,
        period_start,
        period_end,
        'all' as segment,
        sum(customers_active_at_start) as customers_active_at_start,
        sum(customers_churned) as customers_churned
    from by_segment
    group by period_grain, period_start, period_end

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        segment,

        -- measures
        customers_active_at_start,
        customers_churned,
        cast(customers_churned as {{ journeys_type_double() }})
        / nullif(customers_active_at_start, 0) as churn_rate

    from rolled_up

)

select * from final
