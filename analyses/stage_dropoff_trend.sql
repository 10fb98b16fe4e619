-- rpt_stage_progression: "Where do customers drop off before checkout, and
-- is it getting better month over month?"
-- The funnel pairs up to intent -> conversion, latest months first; a
-- negative progression_rate_change is a stage losing more customers than
-- the month before.
select
    period_start,
    from_stage,
    to_stage,
    customers_at_start,
    customers_progressed,
    round(100 * progression_rate, 1) as progression_pct,
    round(100 * progression_rate_change, 1) as change_pts
from {{ ref('rpt_stage_progression') }}
where
    period_grain = 'month'
    and segment = 'all'
    and from_stage in ('awareness', 'consideration', 'intent')
order by period_start desc, customers_at_start desc
