-- fct_conversion_paths x fct_attribution_credits: "Which touches of this
-- purchase earned the credit, under each model?"
-- The drill-down from a conversion to its path: join on conversion_event_id;
-- touch_position i is element i of channel_list (1-based). Every rule-based
-- credit column sums to 1 per conversion. Markov credit is chain-wide, per
-- channel, and is in rpt_channel_attribution only (DECISIONLOG D184).
-- The latest 10 conversions with a path of two or more touches:
with

conversion_paths as (

    select * from {{ ref('fct_conversion_paths') }}
    where path_length >= 2
    order by converted_at desc, conversion_event_id asc
    limit 10

),

credits as (

    select * from {{ ref('fct_attribution_credits') }}

)

select
    conversion_paths.conversion_event_id,
    conversion_paths.converted_at,
    conversion_paths.revenue,
    conversion_paths.channel_list,
    credits.touch_position,
    credits.channel,
    credits.touch_event_type,
    round(credits.days_before_conversion, 2) as days_before_conversion,
    round(credits.first_touch_credit, 3) as first_touch,
    round(credits.last_touch_credit, 3) as last_touch,
    round(credits.linear_credit, 3) as linear,
    round(credits.position_based_credit, 3) as position_based,
    round(credits.time_decay_credit, 3) as time_decay
from conversion_paths
inner join credits
    on conversion_paths.conversion_event_id = credits.conversion_event_id
order by
    conversion_paths.converted_at desc,
    conversion_paths.conversion_event_id asc,
    credits.touch_position asc
