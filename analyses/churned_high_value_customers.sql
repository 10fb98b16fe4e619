-- dim_customers: "Which of our best customers have churned, and where did
-- they come from?" Top churned customers by revenue.
select
    customer_key,
    segment,
    acquisition_channel,
    orders,
    revenue,
    last_seen_at,
    churned_at
from {{ ref('dim_customers') }}
where is_churned and orders > 0
order by revenue desc
limit 25
