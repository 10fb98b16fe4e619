-- rpt_channel_attribution: "Which channels earn our purchases, and how much
-- does the answer depend on the model?"
-- Each channel's share of conversions (%) under the six models side by
-- side, biggest Markov share first.
with

attribution as (

    select * from {{ ref('rpt_channel_attribution') }}
    where channel <> 'all'

)

select
    channel,
    round(100 * sum(case when model = 'first_touch' then conversion_share end), 1)
        as first_touch_pct,
    round(100 * sum(case when model = 'last_touch' then conversion_share end), 1)
        as last_touch_pct,
    round(100 * sum(case when model = 'linear' then conversion_share end), 1) as linear_pct,
    round(100 * sum(case when model = 'position_based' then conversion_share end), 1)
        as position_based_pct,
    round(100 * sum(case when model = 'time_decay' then conversion_share end), 1)
        as time_decay_pct,
    round(100 * sum(case when model = 'markov' then conversion_share end), 1) as markov_pct,
    round(sum(case when model = 'markov' then attributed_revenue end), 0) as markov_revenue
from attribution
group by channel
order by markov_pct desc
