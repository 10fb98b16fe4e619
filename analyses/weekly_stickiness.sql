-- rpt_stickiness: "How many days a week are our active customers active?"
-- Share of each week's active customers by days active, over all weeks.
select
    active_days,
    sum(customers) as customer_weeks,
    round(
        cast(sum(customers) as double precision)
        / nullif(sum(sum(customers)) over (), 0), 3
    ) as share_of_active_customer_weeks
from {{ ref('rpt_stickiness') }}
where period_grain = 'week'
group by active_days
order by active_days
