{#-
    Lifecycle of active customers per period (issue 8, item 3), weeks and
    months; active = at least one event in the period:
    - new: active, and this is the first period they were ever active;
    - returning: active in this period and in the previous one;
    - resurrecting: active, not in the previous period, but in an earlier one;
    - dormant: active in the previous period, not in this one (counted in
      this period, as a positive number).
    Every period of the spine has a row.
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

sequenced as (

    select
        customer_key,
        period_grain,
        period_index,
        lag(period_index) over (
            partition by customer_key, period_grain order by period_index
        ) as previous_active_index,
        lead(period_index) over (
            partition by customer_key, period_grain order by period_index
        ) as next_active_index
    from active_periods

),

states as (

    select
        period_grain,
        period_index,
        case
            when previous_active_index is null then 'new'
            when previous_active_index = period_index - 1 then 'returning'
            else 'resurrecting'
        end as lifecycle_state
    from sequenced
    union all
    -- the period after an active one without activity: dormant there
    select
        period_grain,
        period_index + 1 as period_index,
        'dormant' as lifecycle_state
    from sequenced
    where next_active_index is null or next_active_index > period_index + 1

),

counted as (

    select
        period_grain,
        period_index,
        sum(case when lifecycle_state = 'new' then 1 else 0 end) as customers_new,
        sum(case when lifecycle_state = 'returning' then 1 else 0 end) as customers_returning,
        sum(case when lifecycle_state = 'resurrecting' then 1 else 0 end)
            as customers_resurrecting,
        sum(case when lifecycle_state = 'dormant' then 1 else 0 end) as customers_dormant
    from states
    group by period_grain, period_index

),

final as (

    select
        -- keys
        indexed_periods.period_grain,
        indexed_periods.period_start,
        indexed_periods.period_end,

        -- counts
        cast(
            coalesce(counted.customers_new, 0)
            + coalesce(counted.customers_returning, 0)
            + coalesce(counted.customers_resurrecting, 0) as bigint
        ) as customers_active,
        cast(coalesce(counted.customers_new, 0) as bigint) as customers_new,
        cast(coalesce(counted.customers_returning, 0) as bigint) as customers_returning,
        cast(coalesce(counted.customers_resurrecting, 0) as bigint)
            as customers_resurrecting,
        cast(coalesce(counted.customers_dormant, 0) as bigint) as customers_dormant,

        -- rates
        cast(
            coalesce(counted.customers_new, 0) + coalesce(counted.customers_resurrecting, 0)
            as {{ journeys_type_double() }}
        ) / nullif(counted.customers_dormant, 0) as quick_ratio

    from indexed_periods
    left join counted
        on
            indexed_periods.period_grain = counted.period_grain
            and indexed_periods.period_index = counted.period_index

)

select * from final
