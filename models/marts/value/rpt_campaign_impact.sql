{#-
    Did a campaign move journeys along? (issue 5, item 7). Per campaign and
    phase ('before', 'during'), the stage progression of the journeys of the
    customers it touched against comparable journeys of customers it did
    not touch, in the same weeks.

    Campaign window: [started_at, ended_at); an ended_at at midnight is a
    date and the campaign runs through that day (window end + 1 day); a
    missing bound is open.
    Audience: customers with an event carrying the campaign_id inside the
    window.
    Phases, in ISO weeks of the report spine: 'during' = the weeks that
    overlap the window; 'before' = as many weeks immediately before the
    first 'during' week (fewer when the spine starts later).
    Unit: a journey-week, a journey with at least one event in the week.
    Its starting stage is the journey's stage at the week's start (0 when
    it had no staged event yet, e.g. a journey that starts in the week); it
    progressed when the journey's stage at the week's end is higher (the
    next stage or beyond, as in SPR).
    Touched: journey-weeks of audience customers; comparable: journey-weeks
    of all other customers in the same week with the same starting stage.
    Each (week, starting stage) stratum holding touched journey-weeks is
    matched with its comparable ones; strata without any comparable are
    left out of the rates (unmatched_journey_weeks). The comparable rate is
    the comparable strata's rates weighted by the touched journey-weeks in
    each (so both groups have the same mix of weeks and stages), and
    progression_lift = touched rate - comparable rate. On the 'during' row,
    lift_change_from_before = during lift - before lift (the lift beyond
    any gap the audience already had before the campaign).
    Every campaign has a 'before' and a 'during' row.
-#}
with

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

weeks as (

    select
        period_start,
        period_end,
        period_start_at,
        period_end_at,
        row_number() over (order by period_start) as week_number
    from periods
    where period_grain = 'week'

),

campaign_windows as (

    select
        campaign_id,
        campaign_name,
        channel,
        started_at,
        ended_at,
        started_at as window_started_at,
        case
            when ended_at = {{ dbt.date_trunc('day', 'ended_at') }}
                then {{ dbt.dateadd('day', 1, 'ended_at') }}
            else ended_at
        end as window_ended_at
    from campaigns

),

during_weeks as (

    select
        campaign_windows.campaign_id,
        weeks.week_number
    from campaign_windows
    inner join weeks
        on
            (
                campaign_windows.window_started_at is null
                or campaign_windows.window_started_at < weeks.period_end_at
            )
            and (
                campaign_windows.window_ended_at is null
                or campaign_windows.window_ended_at > weeks.period_start_at
            )

),

campaign_spans as (

    select
        campaign_id,
        min(week_number) as first_week_number,
        count(*) as week_count
    from during_weeks
    group by campaign_id

),

campaign_weeks as (

    select
        campaign_id,
        'during' as phase,
        week_number
    from during_weeks

    union all

    select
        campaign_spans.campaign_id,
        'before' as phase,
        weeks.week_number
    from campaign_spans
    inner join weeks
        on
            weeks.week_number >= campaign_spans.first_week_number - campaign_spans.week_count
            and campaign_spans.first_week_number > weeks.week_number

),

-- one row per journey and week with an event: stage at the week's end
journey_week_ends as (

    select
        events.journey_id,
        events.customer_key,
        weeks.week_number,
        max(coalesce(events.journey_stage_order, 0)) as ending_stage_order
    from events
    inner join weeks
        on
            events.occurred_at >= weeks.period_start_at
            and events.occurred_at < weeks.period_end_at
    group by events.journey_id, events.customer_key, weeks.week_number

),

-- the stage at a week's start is the stage at the end of the journey's
-- previous active week (nothing happened in between)
journey_weeks as (

    select
        journey_id,
        customer_key,
        week_number,
        starting_stage_order,
        case when ending_stage_order > starting_stage_order then 1 else 0 end as has_progressed
    from (
        select
            *,
            coalesce(
                lag(ending_stage_order) over (partition by journey_id order by week_number),
                0
            ) as starting_stage_order
        from journey_week_ends
    ) as with_starting_stage

),

strata_totals as (

    select
        week_number,
        starting_stage_order,
        count(*) as journey_weeks,
        sum(has_progressed) as progressed
    from journey_weeks
    group by week_number, starting_stage_order

),

audiences as (

    select distinct
        campaign_windows.campaign_id,
        events.customer_key
    from events
    inner join campaign_windows
        on
            events.campaign_id = campaign_windows.campaign_id
            and (
                campaign_windows.window_started_at is null
                or events.occurred_at >= campaign_windows.window_started_at
            )
            and (
                campaign_windows.window_ended_at is null
                or events.occurred_at < campaign_windows.window_ended_at
            )

),

touched_strata as (

    select
        campaign_weeks.campaign_id,
        campaign_weeks.phase,
        journey_weeks.week_number,
        journey_weeks.starting_stage_order,
        count(*) as journey_weeks,
        sum(journey_weeks.has_progressed) as progressed
    from audiences
    inner join journey_weeks
        on audiences.customer_key = journey_weeks.customer_key
    inner join campaign_weeks
        on
            audiences.campaign_id = campaign_weeks.campaign_id
            and journey_weeks.week_number = campaign_weeks.week_number
    group by
        campaign_weeks.campaign_id,
        campaign_weeks.phase,
        journey_weeks.week_number,
        journey_weeks.starting_stage_order

),

matched_strata as (

    select
        touched_strata.campaign_id,
        touched_strata.phase,
        touched_strata.journey_weeks as touched_journey_weeks,
        touched_strata.progressed as touched_progressed,
        strata_totals.journey_weeks - touched_strata.journey_weeks as comparable_journey_weeks,
        strata_totals.progressed - touched_strata.progressed as comparable_progressed
    from touched_strata
    inner join strata_totals
        on
            touched_strata.week_number = strata_totals.week_number
            and touched_strata.starting_stage_order = strata_totals.starting_stage_order

),

phase_measures as (

    select
        campaign_id,
        phase,
        sum(case when comparable_journey_weeks > 0 then touched_journey_weeks else 0 end)
            as touched_journey_weeks,
        sum(case when comparable_journey_weeks > 0 then touched_progressed else 0 end)
            as touched_progressed,
        sum(case when comparable_journey_weeks = 0 then touched_journey_weeks else 0 end)
            as unmatched_journey_weeks,
        sum(comparable_journey_weeks) as comparable_journey_weeks,
        sum(comparable_progressed) as comparable_progressed,
        -- progressions the touched journey-weeks would show at the
        -- comparable rate of their own stratum
        sum(
            case
                when comparable_journey_weeks > 0
                    then touched_journey_weeks * cast(comparable_progressed as {{
                        journeys_type_double() }}) / comparable_journey_weeks
            end
        ) as expected_progressed
    from matched_strata
    group by campaign_id, phase

),

phase_windows as (

    select
        campaign_weeks.campaign_id,
        campaign_weeks.phase,
        min(weeks.period_start) as window_start,
        max(weeks.period_end) as window_end,
        count(*) as weeks
    from campaign_weeks
    inner join weeks
        on campaign_weeks.week_number = weeks.week_number
    group by campaign_weeks.campaign_id, campaign_weeks.phase

),

audience_sizes as (

    select
        campaign_id,
        count(*) as audience_customers
    from audiences
    group by campaign_id

),

phases as (

    select 'before' as phase
    union all
    select 'during' as phase

),

rated as (

    select
        campaign_windows.campaign_id,
        phases.phase,
        campaign_windows.campaign_name,
        campaign_windows.channel,
        campaign_windows.started_at,
        campaign_windows.ended_at,
        phase_windows.window_start,
        phase_windows.window_end,
        coalesce(phase_windows.weeks, 0) as weeks,
        coalesce(audience_sizes.audience_customers, 0) as audience_customers,
        coalesce(phase_measures.touched_journey_weeks, 0) as touched_journey_weeks,
        coalesce(phase_measures.touched_progressed, 0) as touched_progressed,
        cast(phase_measures.touched_progressed as {{ journeys_type_double() }})
        / nullif(phase_measures.touched_journey_weeks, 0) as touched_progression_rate,
        coalesce(phase_measures.unmatched_journey_weeks, 0) as unmatched_journey_weeks,
        coalesce(phase_measures.comparable_journey_weeks, 0) as comparable_journey_weeks,
        coalesce(phase_measures.comparable_progressed, 0) as comparable_progressed,
        phase_measures.expected_progressed
        / nullif(phase_measures.touched_journey_weeks, 0) as comparable_progression_rate
    from campaign_windows
    cross join phases
    left join phase_windows
        on
            campaign_windows.campaign_id = phase_windows.campaign_id
            and phases.phase = phase_windows.phase
    left join phase_measures
        on
            campaign_windows.campaign_id = phase_measures.campaign_id
            and phases.phase = phase_measures.phase
    left join audience_sizes
        on campaign_windows.campaign_id = audience_sizes.campaign_id

),

lifted as (

    select
        *,
        touched_progression_rate - comparable_progression_rate as progression_lift
    from rated

),

final as (

    select
        -- keys
        campaign_id,
        phase,

        -- campaign
        campaign_name,
        channel,
        started_at,
        ended_at,

        -- phase window (ISO weeks)
        window_start,
        window_end,
        cast(weeks as bigint) as weeks,

        -- touched and comparable journey-weeks
        cast(audience_customers as bigint) as audience_customers,
        cast(touched_journey_weeks as bigint) as touched_journey_weeks,
        cast(touched_progressed as bigint) as touched_progressed,
        touched_progression_rate,
        cast(unmatched_journey_weeks as bigint) as unmatched_journey_weeks,
        cast(comparable_journey_weeks as bigint) as comparable_journey_weeks,
        cast(comparable_progressed as bigint) as comparable_progressed,
        comparable_progression_rate,

        -- lift
        progression_lift,
        case
            when phase = 'during'
                then progression_lift - max(
                    case when phase = 'before' then progression_lift end
                ) over (partition by campaign_id)
        end as lift_change_from_before

    from lifted

)

select * from final
