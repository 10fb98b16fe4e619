{#-
    The channel funnel (issue 5, item 3) computed once for rpt_channel_funnel
    (its `all` rows) and rpt_channel_funnel_by_pattern (every row), so their
    numbers agree by construction (as int_stage_progression_rated does for
    stage progression, DECISIONLOG D150, D192). A channel touches a journey
    when the journey holds at least one touchpoint on it; channel `all` is
    every journey with at least one touchpoint. Journeys belong to the
    period in which they started (a cohort: each journey is counted in
    exactly one period, so periods add up; the latest cohorts are still
    open and can progress further). journey_pattern is the journey's
    customer's pattern at as_of (int_customer_journey_patterns,
    `unclassified` without one); `all` is every journey.

    Per period grain x period x journey_pattern x channel: journeys
    touched, how many of them reached each stage or a later one (journey
    max stage; a skip reaches the stages it skipped), how many converted,
    their conversion events and revenue. A journey counts in full for every
    channel that touched it, so channel rows do not add up to channel
    `all`; a journey has one pattern, so pattern rows add up to pattern
    `all`. Every period x pattern (of some customer, and `all`) x
    touchpoint channel has a row.
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

patterns as (

    select * from {{ ref('int_customer_journey_patterns') }}

),

-- each journey under its customer's pattern and under `all`
journey_patterns as (

    select
        journeys.journey_id,
        coalesce(patterns.journey_pattern, 'unclassified') as journey_pattern
    from journeys
    left join patterns
        on journeys.customer_key = patterns.customer_key
    union all
    select
        journey_id,
        'all' as journey_pattern
    from journeys

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
        journey_patterns.journey_pattern,
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
    inner join journey_patterns
        on journeys_in_periods.journey_id = journey_patterns.journey_id
    cross join stage_orders
    group by
        journeys_in_periods.period_grain,
        journeys_in_periods.period_start,
        journey_patterns.journey_pattern,
        touched_journeys.channel

),

channels as (

    select distinct channel from touched_journeys

),

-- every pattern some customer has today (`unclassified` too when a
-- journey's customer has none), and `all`
pattern_values as (

    select journey_pattern from patterns
    union
    select journey_pattern from journey_patterns

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        pattern_values.journey_pattern,
        channels.channel
    from periods
    cross join pattern_values
    cross join channels

),

final as (

    select
        -- keys
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.journey_pattern,
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
            and grid.journey_pattern = measures.journey_pattern
            and grid.channel = measures.channel

)

select * from final
