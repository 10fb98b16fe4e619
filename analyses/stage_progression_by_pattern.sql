-- rpt_stage_progression_by_pattern: "Do researchers get from consideration
-- to intent as often as impulse buyers, and did that change last month?"
-- The latest month's consideration -> intent rate per journey pattern (the
-- customers' pattern today), `all` customers first, then the patterns by
-- rate, with the change from the month before; patterns with nobody at
-- consideration are left out.
with

progression as (

    select * from {{ ref('rpt_stage_progression_by_pattern') }}
    where period_grain = 'month'

),

latest_month as (

    select max(period_start) as period_start
    from progression

)

select
    progression.journey_pattern,
    progression.period_start,
    progression.customers_at_start,
    progression.customers_progressed,
    round(100 * progression.progression_rate, 1) as progression_pct,
    round(100 * progression.progression_rate_change, 1) as change_pts
from progression
inner join latest_month
    on progression.period_start = latest_month.period_start
where
    progression.from_stage = 'consideration'
    and progression.customers_at_start > 0
order by
    case when progression.journey_pattern = 'all' then 0 else 1 end asc,
    progression.progression_rate desc,
    progression.journey_pattern asc
