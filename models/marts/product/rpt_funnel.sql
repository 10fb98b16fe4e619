{#-
    The ordered conversion funnel of the funnel_steps seed (issue 8, item
    1), with a conversion window (entries and step matching:
    int_funnel_entry_steps). Entries belong to the period of their first
    step. Per period grain x period x step, one breakdown at a time: by
    segment, by first-touch channel (dim_customers.acquisition_channel) or
    by journey pattern, each other dimension `all`; the row with all three
    `all` is the whole funnel. Every period x group x step has a row.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

entry_steps as (

    select * from {{ ref('int_funnel_entry_steps') }}

),

steps as (

    select * from {{ ref('funnel_steps') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

patterns as (

    select * from {{ ref('int_customer_journey_patterns') }}

),

customer_groups as (

    select
        customers.customer_key,
        customers.segment,
        coalesce(customers.acquisition_channel, 'unknown') as first_touch_channel,
        coalesce(patterns.journey_pattern, 'unclassified') as journey_pattern
    from customers
    left join patterns
        on customers.customer_key = patterns.customer_key

),

-- each customer in the four breakdowns: by segment, by channel, by pattern
-- and in the whole funnel
customer_breakdowns as (

    select
        customer_key,
        segment,
        'all' as first_touch_channel,
        'all' as journey_pattern
    from customer_groups
    union all
    select
        customer_key,
        'all' as segment,
        first_touch_channel,
        'all' as journey_pattern
    from customer_groups
    union all
    select
        customer_key,
        'all' as segment,
        'all' as first_touch_channel,
        journey_pattern
    from customer_groups
    union all
    select
        customer_key,
        'all' as segment,
        'all' as first_touch_channel,
        'all' as journey_pattern
    from customer_groups

),

measures as (

    select
        periods.period_grain,
        periods.period_start,
        customer_breakdowns.segment,
        customer_breakdowns.first_touch_channel,
        customer_breakdowns.journey_pattern,
        entry_steps.step_number,
        count(*) as entries_reached,
        count(distinct entry_steps.customer_key) as customers_reached,
        {{ journeys_median('entry_steps.seconds_from_previous_step') }}
            as median_seconds_from_previous_step,
        avg(entry_steps.seconds_from_previous_step) as mean_seconds_from_previous_step,
        {{ journeys_median('entry_steps.seconds_from_entry') }} as median_seconds_from_entry
    from entry_steps
    inner join periods
        on
            entry_steps.entered_at >= periods.period_start_at
            and entry_steps.entered_at < periods.period_end_at
    inner join customer_breakdowns
        on entry_steps.customer_key = customer_breakdowns.customer_key
    group by
        periods.period_grain,
        periods.period_start,
        customer_breakdowns.segment,
        customer_breakdowns.first_touch_channel,
        customer_breakdowns.journey_pattern,
        entry_steps.step_number

),

breakdowns as (

    select distinct
        segment,
        first_touch_channel,
        journey_pattern
    from customer_breakdowns

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        breakdowns.segment,
        breakdowns.first_touch_channel,
        breakdowns.journey_pattern,
        steps.step_number,
        steps.event_type as step_event_type
    from periods
    cross join breakdowns
    cross join steps

),

filled as (

    select
        grid.*,
        coalesce(measures.entries_reached, 0) as entries_reached,
        coalesce(measures.customers_reached, 0) as customers_reached,
        measures.median_seconds_from_previous_step,
        measures.mean_seconds_from_previous_step,
        measures.median_seconds_from_entry
    from grid
    left join measures
        on
            grid.period_grain = measures.period_grain
            and grid.period_start = measures.period_start
            and grid.segment = measures.segment
            and grid.first_touch_channel = measures.first_touch_channel
            and grid.journey_pattern = measures.journey_pattern
            and grid.step_number = measures.step_number

),

with_funnel as (

    select
        *,
        max(case when step_number = 1 then entries_reached end) over (
            partition by
                period_grain, period_start, segment, first_touch_channel, journey_pattern
        ) as entries,
        lag(entries_reached) over (
            partition by
                period_grain, period_start, segment, first_touch_channel, journey_pattern
            order by step_number
        ) as entries_reached_previous_step
    from filled

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        segment,
        first_touch_channel,
        journey_pattern,
        cast(step_number as bigint) as step_number,
        step_event_type,

        -- counts
        cast(entries as bigint) as entries,
        cast(entries_reached as bigint) as entries_reached,
        cast(customers_reached as bigint) as customers_reached,

        -- conversion
        cast(entries_reached as {{ journeys_type_double() }})
        / nullif(entries, 0) as conversion_from_first_step,
        cast(entries_reached as {{ journeys_type_double() }})
        / nullif(entries_reached_previous_step, 0) as conversion_from_previous_step,

        -- time to convert (entries that reached the step)
        cast(median_seconds_from_previous_step as {{ journeys_type_double() }})
            as median_seconds_from_previous_step,
        cast(mean_seconds_from_previous_step as {{ journeys_type_double() }})
            as mean_seconds_from_previous_step,
        cast(median_seconds_from_entry as {{ journeys_type_double() }}) as median_seconds_from_entry

    from with_funnel

)

select * from final
