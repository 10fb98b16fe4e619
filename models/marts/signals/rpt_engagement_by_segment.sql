{#-
    rpt_engagement rolled up per period grain, period and segment (and
    'all'), so a BI tool can chart engagement trends without scanning every
    customer: how many customers existed, were active, scored above or
    below zero, their mean score and its change from the previous period,
    and the period's own activity. Every period x segment has a row.
-#}
with

engagement as (

    select * from {{ ref('rpt_engagement') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

report_segments as (

    select distinct segment from customers
    union all
    select 'all' as segment

),

with_all_segment as (

    select
        period_grain,
        period_start,
        segment,
        engagement_score,
        period_event_count,
        period_positive_weight,
        period_negative_weight
    from engagement

    union all

    select
        period_grain,
        period_start,
        'all' as segment,
        engagement_score,
        period_event_count,
        period_positive_weight,
        period_negative_weight
    from engagement

),

measures as (

    select
        period_grain,
        period_start,
        segment,
        count(*) as customers,
        sum(case when period_event_count > 0 then 1 else 0 end) as active_customers,
        sum(case when engagement_score > 0 then 1 else 0 end) as engaged_customers,
        sum(case when engagement_score < 0 then 1 else 0 end) as disengaged_customers,
        -- scores and weights are sums of 6-decimal weights: summed back as
        -- exact decimals, so totals carry no floating-point noise, and the
        -- mean is one double division (avg of a decimal rounds differently
        -- on each engine)
        cast(
            sum(cast(engagement_score as {{ dbt.type_numeric() }}))
            as {{ journeys_type_double() }}
        ) / count(*) as avg_engagement_score,
        sum(period_event_count) as period_event_count,
        cast(
            sum(cast(period_positive_weight as {{ dbt.type_numeric() }}))
            as {{ journeys_type_double() }}
        ) as period_positive_weight,
        cast(
            sum(cast(period_negative_weight as {{ dbt.type_numeric() }}))
            as {{ journeys_type_double() }}
        ) as period_negative_weight
    from with_all_segment
    group by period_grain, period_start, segment

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        report_segments.segment
    from periods
    cross join report_segments

),

filled as (

    select
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.segment,
        coalesce(measures.customers, 0) as customers,
        coalesce(measures.active_customers, 0) as active_customers,
        coalesce(measures.engaged_customers, 0) as engaged_customers,
        coalesce(measures.disengaged_customers, 0) as disengaged_customers,
        measures.avg_engagement_score,
        coalesce(measures.period_event_count, 0) as period_event_count,
        coalesce(measures.period_positive_weight, 0) as period_positive_weight,
        coalesce(measures.period_negative_weight, 0) as period_negative_weight
    from grid
    left join measures
        on
            grid.period_grain = measures.period_grain
            and grid.period_start = measures.period_start
            and grid.segment = measures.segment

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        segment,

        -- measures
        cast(customers as bigint) as customers,
        cast(active_customers as bigint) as active_customers,
        cast(engaged_customers as bigint) as engaged_customers,
        cast(disengaged_customers as bigint) as disengaged_customers,
        avg_engagement_score,
        lag(avg_engagement_score) over (
            partition by period_grain, segment order by period_start
        ) as previous_avg_engagement_score,
        avg_engagement_score
        - lag(avg_engagement_score) over (
            partition by period_grain, segment order by period_start
        ) as avg_engagement_score_change,
        cast(period_event_count as bigint) as period_event_count,
        period_positive_weight,
        period_negative_weight

    from filled

)

select * from final
