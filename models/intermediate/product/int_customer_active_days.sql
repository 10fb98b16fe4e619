{#-
    One row per customer and UTC day with at least one event (issue 8,
    item 3): the base of retention, lifecycle and stickiness, read in one
    pass over the events. The day's ISO week (Monday) and month are given
    so that reports join their periods on equality.
-#}
with

events as (

    select * from {{ ref('fct_events') }}

),

days as (

    select
        customer_key,
        cast(occurred_at as date) as activity_date,
        count(*) as events,
        sum(case when is_conversion then 1 else 0 end) as purchases
    from events
    group by customer_key, cast(occurred_at as date)

),

final as (

    select
        -- keys
        customer_key,
        activity_date,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date) as week_start,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start,

        -- counts
        events,
        purchases

    from days

)

select * from final
