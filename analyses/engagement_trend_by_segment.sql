-- rpt_engagement_by_segment: "Is engagement rising or falling in each
-- segment, week over week?" The latest twelve weeks: mean score, its
-- change, and the share of customers scoring above zero.
with

weekly as (

    select
        *,
        dense_rank() over (order by period_start desc) as weeks_back
    from {{ ref('rpt_engagement_by_segment') }}
    where period_grain = 'week'

)

select
    period_start,
    segment,
    customers,
    round(avg_engagement_score, 2) as avg_engagement_score,
    round(avg_engagement_score_change, 2) as change_vs_previous_week,
    round(100.0 * engaged_customers / nullif(customers, 0), 1) as engaged_pct
from weekly
where weeks_back <= 12
order by period_start desc, segment asc
