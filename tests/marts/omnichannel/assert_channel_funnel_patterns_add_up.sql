-- rpt_channel_funnel_by_pattern is additive over patterns and agrees with
-- rpt_channel_funnel: a journey has one customer and so one pattern, so per
-- period grain x period x channel, the pattern rows (journey_pattern not
-- `all`) add up to the `all` pattern row in every count and in revenue,
-- and the `all` pattern row equals rpt_channel_funnel's row. Returns the
-- period x channel rows that do not (revenue within a relative 1e-9).
{%- set counts = ['journeys_touched', 'journeys_reached_awareness',
                  'journeys_reached_consideration', 'journeys_reached_intent',
                  'journeys_reached_conversion', 'journeys_reached_retention',
                  'journeys_reached_advocacy', 'journeys_converted', 'conversions'] %}
with

by_pattern as (

    select * from {{ ref('rpt_channel_funnel_by_pattern') }}

),

funnel as (

    select * from {{ ref('rpt_channel_funnel') }}

),

summed as (

    select
        period_grain,
        period_start,
        channel,
        sum(case when journey_pattern = 'all' then 1 else 0 end) as all_rows,
        {%- for column in counts %}
            sum(case when journey_pattern <> 'all' then {{ column }} else 0 end)
                as pattern_{{ column }},
            sum(case when journey_pattern = 'all' then {{ column }} else 0 end)
                as all_{{ column }},
        {%- endfor %}
        sum(case when journey_pattern <> 'all' then revenue else 0 end) as pattern_revenue,
        sum(case when journey_pattern = 'all' then revenue else 0 end) as all_revenue
    from by_pattern
    group by period_grain, period_start, channel

),

checked as (

    select
        summed.*,
        funnel.channel as funnel_channel,
        {%- for column in counts %}
            funnel.{{ column }} as funnel_{{ column }},
        {%- endfor %}
        funnel.revenue as funnel_revenue
    from summed
    full outer join funnel
        on
            summed.period_grain = funnel.period_grain
            and summed.period_start = funnel.period_start
            and summed.channel = funnel.channel

)

select * from checked
where
    channel is null
    or funnel_channel is null
    or all_rows <> 1
    {%- for column in counts %}
        or pattern_{{ column }} <> all_{{ column }}
        or all_{{ column }} <> funnel_{{ column }}
    {%- endfor %}
    or abs(pattern_revenue - all_revenue) > 1e-9 * (abs(all_revenue) + 1)
    or abs(all_revenue - funnel_revenue) > 1e-9 * (abs(all_revenue) + 1)
