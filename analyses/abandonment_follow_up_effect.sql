-- rpt_abandonment_recovery: "Do customers who get a follow-up email within
-- 24 hours of leaving a cart come back and buy more often?"
-- Every month pooled (each customer once per month), all segments: counts,
-- rates and the differences followed up - not followed up. Pending
-- abandonments (recovery window still open) are not in either group.
with

months as (

    select * from {{ ref('rpt_abandonment_recovery') }}
    where period_grain = 'month' and segment = 'all'

),

pooled as (

    select
        sum(abandoning_customers) as abandonments,
        sum(pending_customers) as pending,
        sum(followed_up_customers) as followed_up,
        sum(followed_up_returned) as followed_up_returned,
        sum(followed_up_purchased) as followed_up_purchased,
        sum(not_followed_up_customers) as not_followed_up,
        sum(not_followed_up_returned) as not_followed_up_returned,
        sum(not_followed_up_purchased) as not_followed_up_purchased
    from months

)

select
    abandonments,
    pending,
    followed_up,
    not_followed_up,
    round(100.0 * followed_up_returned / nullif(followed_up, 0), 1) as followed_up_return_pct,
    round(100.0 * not_followed_up_returned / nullif(not_followed_up, 0), 1)
        as not_followed_up_return_pct,
    round(100.0 * followed_up_purchased / nullif(followed_up, 0), 1)
        as followed_up_purchase_pct,
    round(100.0 * not_followed_up_purchased / nullif(not_followed_up, 0), 1)
        as not_followed_up_purchase_pct
from pooled
