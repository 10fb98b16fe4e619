-- fct_attribution_credits: "Which campaigns earned last quarter's revenue?"
-- Conversions and revenue credited to each touch's campaign (position-based
-- and time-decay credit) by month of conversion, over the last three months
-- of conversions; touches without a campaign are grouped by channel.
with

credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

latest as (

    select max(converted_at) as last_converted_at from credits

)

select
    {{ dbt.date_trunc('month', 'credits.converted_at') }} as conversion_month,
    coalesce(credits.touch_campaign_id, '(no campaign: ' || credits.channel || ')')
        as campaign,
    round(sum(credits.position_based_credit), 2) as position_based_conversions,
    round(sum(credits.position_based_credit * coalesce(credits.revenue, 0)), 0)
        as position_based_revenue,
    round(sum(credits.time_decay_credit), 2) as time_decay_conversions,
    round(sum(credits.time_decay_credit * coalesce(credits.revenue, 0)), 0)
        as time_decay_revenue
from credits
cross join latest
where credits.converted_at > {{ dbt.dateadd('month', -3, 'latest.last_converted_at') }}
group by conversion_month, campaign
order by conversion_month desc, position_based_revenue desc
