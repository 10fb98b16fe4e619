-- rpt_channel_funnel: "Do journeys that touch one channel get further than
-- journeys that touch another?"
-- Over every journey cohort (periods add up): the share of the journeys each
-- channel touched that reached intent, conversion and advocacy. A journey
-- counts for every channel it touched, so channels do not add up to 'all'.
select
    channel,
    sum(journeys_touched) as journeys_touched,
    round(
        cast(sum(journeys_reached_intent) as double precision)
        / nullif(sum(journeys_touched), 0), 3
    ) as share_reached_intent,
    round(
        cast(sum(journeys_converted) as double precision)
        / nullif(sum(journeys_touched), 0), 3
    ) as share_converted,
    round(
        cast(sum(journeys_reached_advocacy) as double precision)
        / nullif(sum(journeys_touched), 0), 3
    ) as share_reached_advocacy,
    round(cast(sum(revenue) as numeric), 2) as revenue_of_touched_journeys
from {{ ref('rpt_channel_funnel') }}
where period_grain = 'month'
group by channel
order by share_converted desc nulls last
