-- rpt_customer_lifetime_value: "What is a customer of each segment worth
-- over their lifetime, and why?"
-- CLV beside its three terms, highest first ('all' is every customer).
select
    segment,
    purchasers,
    purchases,
    round(cast(average_purchase_value as numeric), 2) as average_purchase_value,
    round(cast(purchase_frequency_per_year as numeric), 2) as purchases_per_year,
    round(cast(average_lifespan_years as numeric), 3) as average_lifespan_years,
    round(cast(clv as numeric), 2) as clv
from {{ ref('rpt_customer_lifetime_value') }}
order by clv desc nulls last
