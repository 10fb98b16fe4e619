-- rpt_trend_alerts: "Which changes are real, and which are bad news?"
-- The adverse alerts of the last three months, most significant first.
with

alerts as (

    select * from {{ ref('rpt_trend_alerts') }}

),

latest as (

    select max(period_start) as latest_period_start from alerts

),

recent as (

    select
        alerts.period_grain,
        alerts.period_start,
        alerts.metric,
        alerts.metric_detail,
        alerts.breakdown_value,
        alerts.p_value,
        alerts.description
    from alerts
    cross join latest
    where
        alerts.is_adverse
        and alerts.period_start
        >= {{ dbt.dateadd('month', -3, 'latest.latest_period_start') }}

)

select * from recent
order by p_value asc, period_start desc
