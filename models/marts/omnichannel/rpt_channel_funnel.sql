{#-
    The stage funnel of each channel's journeys (issue 5, item 3): the
    `all` journey-pattern rows of int_channel_funnel_cut (computed there
    once with rpt_channel_funnel_by_pattern, so the two agree). A channel
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
with

funnel as (

    select * from {{ ref('int_channel_funnel_cut') }}
    where journey_pattern = 'all'

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
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
