-- rpt_retention: "Of the customers first seen in each month, how many come
-- back 1, 2 and 3 months later?"
-- Monthly first-seen cohorts: retention on month N and on month N or later.
select
    cohort_period_start,
    cohort_customers,
    max(case when period_number = 1 then round(cast(retention_on as numeric), 3) end)
        as retained_on_month_1,
    max(case when period_number = 2 then round(cast(retention_on as numeric), 3) end)
        as retained_on_month_2,
    max(case when period_number = 3 then round(cast(retention_on as numeric), 3) end)
        as retained_on_month_3,
    max(case when period_number = 1 then round(cast(retention_on_or_after as numeric), 3) end)
        as retained_on_or_after_month_1
from {{ ref('rpt_retention') }}
where cohort_type = 'first_seen' and period_grain = 'month'
group by cohort_period_start, cohort_customers
order by cohort_period_start
