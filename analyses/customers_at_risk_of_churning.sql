-- dim_customers.churn_risk: "Which active customers worth keeping are most
-- likely to leave?" Buyers still active at as_of, by churn risk, with what
-- the risk rests on (int_customer_churn_risk: recency, identification,
-- journey stage, purchases) and the recency-only rate for comparison.
with

customers as (

    select * from {{ ref('dim_customers') }}
    where churn_risk is not null and orders > 0

),

risks as (

    select * from {{ ref('int_customer_churn_risk') }}

)

select
    customers.customer_key,
    customers.segment,
    customers.current_stage,
    customers.orders,
    customers.revenue,
    round(risks.recency_days, 1) as recency_days,
    round(customers.churn_risk, 3) as churn_risk,
    round(risks.recency_churn_rate, 3) as recency_churn_rate,
    risks.history_cases
from customers
inner join risks
    on customers.customer_key = risks.customer_key
order by customers.churn_risk desc, customers.revenue desc, customers.customer_key asc
