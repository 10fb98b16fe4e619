-- rpt_churn: "Is churn rising in any segment?"
-- Monthly churn rate per segment beside the previous month's.
with

churn as (

    select * from {{ ref('rpt_churn') }}
    where period_grain = 'month'

),

trended as (

    select
        period_start,
        segment,
        customers_active_at_start,
        customers_churned,
        churn_rate,
        lag(churn_rate) over (partition by segment order by period_start)
            as previous_churn_rate
    from churn

)

select
    period_start,
    segment,
    customers_active_at_start,
    customers_churned,
    round(100 * churn_rate, 1) as churn_pct,
    round(100 * (churn_rate - previous_churn_rate), 1) as change_pts
from trended
order by period_start desc, segment asc
