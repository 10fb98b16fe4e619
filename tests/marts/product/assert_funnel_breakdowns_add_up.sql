-- rpt_funnel's breakdowns are additive: every entry belongs to one
-- customer, and a customer has one segment, one first-touch channel and one
-- journey pattern. So per period grain x period x step, the whole-funnel
-- row (segment, first_touch_channel and journey_pattern all `all`) must
-- equal the sum of the segment rows, of the channel rows and of the
-- pattern rows (each with the other two `all`), in entries, entries_reached
-- and customers_reached; and its entries_reached must equal the entries of
-- int_funnel_entry_steps in that period that reached the step. A data
-- value spelled `all` (D190) or a broken grid would break one of these.
-- Returns the period x step rows that do not add up.
with

funnel as (

    select * from {{ ref('rpt_funnel') }}

),

entry_steps as (

    select * from {{ ref('int_funnel_entry_steps') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

whole as (

    select
        period_grain,
        period_start,
        step_number,
        count(*) as whole_rows,
        sum(entries) as entries,
        sum(entries_reached) as entries_reached,
        sum(customers_reached) as customers_reached
    from funnel
    where segment = 'all' and first_touch_channel = 'all' and journey_pattern = 'all'
    group by period_grain, period_start, step_number

),

breakdowns as (

    select
        period_grain,
        period_start,
        step_number,
        case
            when segment <> 'all' then 'segment'
            when first_touch_channel <> 'all' then 'first_touch_channel'
            else 'journey_pattern'
        end as breakdown,
        sum(entries) as entries,
        sum(entries_reached) as entries_reached,
        sum(customers_reached) as customers_reached
    from funnel
    where
        (segment <> 'all' and first_touch_channel = 'all' and journey_pattern = 'all')
        or (segment = 'all' and first_touch_channel <> 'all' and journey_pattern = 'all')
        or (segment = 'all' and first_touch_channel = 'all' and journey_pattern <> 'all')
    group by
        period_grain,
        period_start,
        step_number,
        case
            when segment <> 'all' then 'segment'
            when first_touch_channel <> 'all' then 'first_touch_channel'
            else 'journey_pattern'
        end

),

breakdown_names as (

    select 'segment' as breakdown
    union all
    select 'first_touch_channel' as breakdown
    union all
    select 'journey_pattern' as breakdown

),

reached as (

    select
        periods.period_grain,
        periods.period_start,
        entry_steps.step_number,
        count(*) as entries_reached
    from entry_steps
    inner join periods
        on
            entry_steps.entered_at >= periods.period_start_at
            and entry_steps.entered_at < periods.period_end_at
    group by periods.period_grain, periods.period_start, entry_steps.step_number

),

checked as (

    select
        whole.period_grain,
        whole.period_start,
        whole.step_number,
        breakdown_names.breakdown,
        whole.whole_rows,
        whole.entries,
        coalesce(breakdowns.entries, 0) as breakdown_entries,
        whole.entries_reached,
        coalesce(breakdowns.entries_reached, 0) as breakdown_entries_reached,
        coalesce(reached.entries_reached, 0) as entry_steps_reached,
        whole.customers_reached,
        coalesce(breakdowns.customers_reached, 0) as breakdown_customers_reached
    from whole
    cross join breakdown_names
    left join breakdowns
        on
            whole.period_grain = breakdowns.period_grain
            and whole.period_start = breakdowns.period_start
            and whole.step_number = breakdowns.step_number
            and breakdown_names.breakdown = breakdowns.breakdown
    left join reached
        on
            whole.period_grain = reached.period_grain
            and whole.period_start = reached.period_start
            and whole.step_number = reached.step_number

)

select * from checked
where
    whole_rows <> 1
    or entries <> breakdown_entries
    or entries_reached <> breakdown_entries_reached
    or entries_reached <> entry_steps_reached
    or customers_reached <> breakdown_customers_reached
