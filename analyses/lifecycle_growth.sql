-- rpt_lifecycle: "Is the active base growing, and is it growth from new
-- customers, returning ones or win-backs?"
select
    period_start,
    customers_active,
    customers_new,
    customers_returning,
    customers_resurrecting,
    -customers_dormant as customers_lost,
    round(cast(quick_ratio as numeric), 2) as quick_ratio
from {{ ref('rpt_lifecycle') }}
where period_grain = 'month'
order by period_start
