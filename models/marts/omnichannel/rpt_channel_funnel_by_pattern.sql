{#-
    rpt_channel_funnel cut by journey pattern (issue 8, item 4: every funnel
    mart can be cut by journey_pattern): per period grain x period (journey
    start) x journey_pattern x channel, the journeys the channel touched and
    how far they got, exactly as rpt_channel_funnel counts them. A journey
    counts under its customer's pattern at as_of
    (dim_customers.journey_pattern; `unclassified` without one), as
    rpt_stage_progression_by_pattern places customers (D150). The `all`
    pattern rows are rpt_channel_funnel's rows (one computation,
    int_channel_funnel_cut), and each channel's pattern rows add up to its
    `all` row: a journey has one customer and so one pattern. Every period
    x pattern x touchpoint channel has a row.
-#}
with

funnel as (

    select * from {{ ref('int_channel_funnel_cut') }}

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        journey_pattern,
        channel,

        -- journeys touched and how far they got
        journeys_touched,
        journeys_reached_awareness,
        journeys_reached_consideration,
        journeys_reached_intent,
        journeys_reached_conversion,
        journeys_reached_retention,
        journeys_reached_advocacy,

        -- what they brought
        journeys_converted,
        conversions,
        revenue,
        conversion_rate

    from funnel

)

select * from final
