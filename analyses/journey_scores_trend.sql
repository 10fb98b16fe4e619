-- rpt_journey_scores: "All things considered, is the customer journey
-- getting better month over month?"
-- The two composite scores for all channels, each beside its inputs. The
-- scores compare periods of one grain; they are not absolute measures.
select
    period_start,
    round(cast(csat as numeric), 3) as csat,
    round(cast(ease as numeric), 3) as ease,
    round(cast(cac as numeric), 2) as cac,
    round(cast(churn_rate as numeric), 3) as churn_rate,
    round(cast(clv as numeric), 2) as clv,
    round(cast(friction_points as numeric), 3) as friction_points,
    round(cast(customer_journey_success_score as numeric), 5) as customer_journey_success_score,
    round(cast(journey_experience_success as numeric), 2) as journey_experience_success
from {{ ref('rpt_journey_scores') }}
where period_grain = 'month' and channel = 'all'
order by period_start
