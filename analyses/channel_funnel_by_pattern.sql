-- rpt_channel_funnel cut by journey pattern: "Which channels do our
-- researchers' journeys run through, and how far do those journeys get?"
-- The channel funnel (journeys touched by a channel, how many reached
-- intent and conversion) per journey pattern (dim_customers.journey_pattern,
-- the customer's pattern today), month by month. Every journey belongs to
-- one customer and so to one pattern: summed over patterns, each channel's
-- figures equal rpt_channel_funnel's, and each row equals the mart
-- rpt_channel_funnel_by_pattern's (tests/pytest/test_analyses_and_cli.py):
-- this is the long way round, kept as an independent check of that mart.
with

journeys as (

    select * from {{ ref('fct_journeys') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

intent as (

    select stage_order from {{ ref('journey_stages') }}
    where stage = 'intent'

),

journey_channels as (

    select distinct
        journey_id,
        channel
    from events
    where is_touchpoint

)

select
    {{ dbt.date_trunc('month', 'journeys.started_at') }} as period_start,
    coalesce(customers.journey_pattern, 'unclassified') as journey_pattern,
    journey_channels.channel,
    count(*) as journeys_touched,
    sum(
        case when coalesce(journeys.max_stage_order, 0) >= intent.stage_order then 1 else 0 end
    ) as journeys_reached_intent,
    sum(case when journeys.is_converted then 1 else 0 end) as journeys_converted,
    sum(journeys.revenue) as revenue
from journeys
inner join journey_channels
    on journeys.journey_id = journey_channels.journey_id
left join customers
    on journeys.customer_key = customers.customer_key
cross join intent
group by 1, 2, 3
order by 1, 2, 3
