-- rpt_customer_effort: "Which channel makes buying hardest, by what
-- customers say and by what they do?"
-- Over the whole history: stated effort (CES, lower is easier) beside the
-- behavioural effort of first conversions closed on each channel.
select
    channel,
    sum(ces_responses) as ces_responses,
    round(sum(avg_ces * ces_responses) / nullif(sum(ces_responses), 0), 2) as avg_ces,
    sum(journeys_converted) as journeys_converted,
    round(
        sum(avg_touchpoints_to_convert * journeys_converted)
        / nullif(sum(journeys_converted), 0), 1
    ) as avg_touchpoints_to_convert,
    round(
        sum(avg_days_to_convert * journeys_converted)
        / nullif(sum(journeys_converted), 0), 1
    ) as avg_days_to_convert
from {{ ref('rpt_customer_effort') }}
where period_grain = 'month'
group by channel
order by avg_ces desc
