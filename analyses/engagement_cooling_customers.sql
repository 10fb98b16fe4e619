-- rpt_engagement: "Which customers are cooling down?"
-- Customers whose weekly engagement score fell the most over the last four
-- weeks (the week holding as_of is scored at as_of), with the weeks between.
with

weekly as (

    select * from {{ ref('rpt_engagement') }}
    where period_grain = 'week'

),

ranked as (

    select
        customer_key,
        segment,
        period_start,
        engagement_score,
        dense_rank() over (order by period_start desc) as weeks_back
    from weekly

),

compared as (

    select
        customer_key,
        segment,
        max(case when weeks_back = 1 then engagement_score end) as score_this_week,
        max(case when weeks_back = 4 then engagement_score end) as score_four_weeks_ago
    from ranked
    where weeks_back <= 4
    group by customer_key, segment

)

select
    customer_key,
    segment,
    score_four_weeks_ago,
    score_this_week,
    score_this_week - score_four_weeks_ago as change_over_four_weeks
from compared
where score_four_weeks_ago is not null
order by change_over_four_weeks asc, customer_key asc
limit 25
