{#-
    The stage funnel of each channel's journeys (issue 5, item 3). A channel
    touches a journey when the journey holds at least one touchpoint on it;
    'all' is every journey with at least one touchpoint. Journeys belong to
    the period in which they started (a cohort: each journey is counted in
    exactly one period, so periods add up; the latest cohorts are still
    open and can progress further).

    Per period grain x period x channel: journeys touched, how many of them
    reached each stage or a later one (journey max stage; a skip reaches
    the stages it skipped), how many converted, their conversion events and
    revenue. A journey counts in full for every channel that touched it, so
    channel rows do not add up to 'all' (attribution is the additive view:
    rpt_channel_attribution). Every period x touchpoint channel has a row.
-#}
{#- The six stages SPEC 2 names (their order comes from the journey_stages seed). -#}
{%- set funnel_stages = ['awareness', 'consideration', 'intent', 'conversion', 'retention',
                         'advocacy'] -%}

with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

journeys as (

    select * from {{ ref('fct_journeys') }}

),

stages as (

    select * from {{ ref('journey_stages') }}

),

journey_channels as (

    select distinct
        journey_id,
        channel
    from events
    where is_touchpoint

),

touched_journeys as (

    select
        journey_id,
        channel
    from journey_channels
    union all
    select distinct
        journey_id,
        'all' as channel
    from journey_channels

),

-- the order of each named stage (from the journey_stages seed)
stage_orders as (

    select
    {%- for stage in funnel_stages %}
            max(case when stage = '{{ stage }}' then stage_order end) as {{ stage }}_order
            {{- ',' if not loop.last }}
    {%- endfor %}
    from stages

),

journeys_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        journeys.journey_id,
        coalesce(journeys.max_stage_order, 0) as max_stage_order,
        journeys.is_converted,
        journeys.conversion_count,
        journeys.revenue
    from journeys
    inner join periods
        on
            journeys.started_at >= periods.period_start_at
            and journeys.started_at < periods.period_end_at

),

measures as (

    select
        journeys_in_periods.period_grain,
        journeys_in_periods.period_start,
        touched_journeys.channel,
        count(*) as journeys_touched,
        {%- for stage in funnel_stages %}
            sum(
                case
                    when journeys_in_periods.max_stage_order >= stage_orders.{{ stage }}_order
                        then 1
                    else 0
                end
            ) as journeys_reached_{{ stage }},
        {%- endfor %}
        sum(case when journeys_in_periods.is_converted then 1 else 0 end) as journeys_converted,
        sum(journeys_in_periods.conversion_count) as conversions,
        sum(journeys_in_periods.revenue) as revenue
    from journeys_in_periods
    inner join touched_journeys
        on journeys_in_periods.journey_id = touched_journeys.journey_id
    cross join stage_orders
    group by
        journeys_in_periods.period_grain,
        journeys_in_periods.period_start,
        touched_journeys.channel

),

channels as (

    select distinct channel from touched_journeys

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        channels.channel
    from periods
    cross join channels

),

final as (

    select
        -- keys
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.channel,

        -- journeys touched and how far they got
        cast(coalesce(measures.journeys_touched, 0) as bigint) as journeys_touched,
        {%- for stage in funnel_stages %}
            cast(coalesce(measures.journeys_reached_{{ stage }}, 0) as bigint)
                as journeys_reached_{{ stage }},
        {%- endfor %}

        -- what they brought
        cast(coalesce(measures.journeys_converted, 0) as bigint) as journeys_converted,
        cast(coalesce(measures.conversions, 0) as bigint) as conversions,
        coalesce(measures.revenue, 0) as revenue,
        cast(measures.journeys_converted as {{ journeys_type_double() }})
        / nullif(measures.journeys_touched, 0) as conversion_rate

    from grid
    left join measures
        on
            grid.period_grain = measures.period_grain
            and grid.period_start = measures.period_start
            and grid.channel = measures.channel

)

select * from final
