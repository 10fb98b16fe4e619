-- fct_customer_signals: "How many customers show intent or friction right
-- now, in each segment?" Counts of each flag at as_of.
select
    segment,
    count(*) as customers,
    sum(case when has_open_cart then 1 else 0 end) as open_carts,
    sum(case when has_unpurchased_checkout then 1 else 0 end) as unpurchased_checkouts,
    sum(case when has_repeated_support_contacts then 1 else 0 end) as repeated_support,
    sum(case when has_checkout_error then 1 else 0 end) as checkout_errors,
    sum(case when has_return_request then 1 else 0 end) as return_requests,
    sum(case when is_engagement_falling then 1 else 0 end) as engagement_falling,
    sum(case when is_churned then 1 else 0 end) as churned
from {{ ref('fct_customer_signals') }}
group by segment
order by customers desc, segment asc
