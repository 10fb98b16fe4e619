-- D50: the engagement score has one definition. fct_customer_signals and the
-- row of rpt_engagement holding as_of (scored at as_of) must carry
-- dim_customers.engagement_score (events in [as_of - window, as_of]).
-- Returns the customers where they disagree (beyond floating-point noise).
select
    dim_customers.customer_key,
    dim_customers.engagement_score as dim_customers_score,
    fct_customer_signals.engagement_score as signals_score,
    rpt_engagement.period_grain,
    rpt_engagement.engagement_score as report_score
from {{ ref('dim_customers') }} as dim_customers
left join {{ ref('fct_customer_signals') }} as fct_customer_signals
    on dim_customers.customer_key = fct_customer_signals.customer_key
left join {{ ref('rpt_engagement') }} as rpt_engagement
    on
        dim_customers.customer_key = rpt_engagement.customer_key
        and rpt_engagement.is_partial_period
where
    fct_customer_signals.customer_key is null
    or abs(dim_customers.engagement_score - fct_customer_signals.engagement_score) > 0.000001
    or abs(dim_customers.engagement_score - rpt_engagement.engagement_score) > 0.000001
