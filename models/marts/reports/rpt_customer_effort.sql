{#-
    Customer effort (SPEC 6) by period and channel (and 'all'):
      stated effort: ces_responses and avg_ces (1-7, lower is easier) of CES
        responses by the period of responded_at and the response's channel;
      behavioural effort: each journey's first conversion, assigned to the
        period and channel of that conversion event: touchpoints, sessions,
        channel switches and days it took (int_journey_conversions).
    Every period x channel (channels of CES responses and of first
    conversions) has a row; an average is null when it has nothing to average.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

ces_responses as (

    select * from {{ ref('stg_survey_responses') }}
    where survey_type = 'ces'

),

conversions as (

    select * from {{ ref('int_journey_conversions') }}

),

channels as (

    select channel from ces_responses
    union
    select conversion_channel as channel from conversions

),

ces_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        ces_responses.channel,
        ces_responses.score
    from ces_responses
    inner join periods
        on
            ces_responses.responded_at >= periods.period_start_at
            and ces_responses.responded_at < periods.period_end_at

),

ces_measures as (

    select
        period_grain,
        period_start,
        channel,
        count(*) as ces_responses,
        avg(score) as avg_ces
    from (
        select * from ces_in_periods
        union all
        select
            period_grain,
            period_start,
            'all' as channel,
            score
        from ces_in_periods
    ) as ces_with_all
    group by period_grain, period_start, channel

),

conversions_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        conversions.conversion_channel as channel,
        conversions.touchpoints_to_convert,
        conversions.sessions_to_convert,
        conversions.channel_switches_to_convert,
        conversions.days_to_convert
    from conversions
    inner join periods
        on
            conversions.converted_at >= periods.period_start_at
            and conversions.converted_at < periods.period_end_at

),

conversion_measures as (

    select
        period_grain,
        period_start,
        channel,
        count(*) as journeys_converted,
        avg(cast(touchpoints_to_convert as {{ journeys_type_double() }}))
            as avg_touchpoints_to_convert,
        avg(cast(sessions_to_convert as {{ journeys_type_double() }})) as avg_sessions_to_convert,
        avg(cast(channel_switches_to_convert as {{ journeys_type_double() }}))
            as avg_channel_switches_to_convert,
        avg(days_to_convert) as avg_days_to_convert
    from (
        select * from conversions_in_periods
        union all
        select
            period_grain,
            period_start,
            'all' as channel,
            touchpoints_to_convert,
            sessions_to_convert,
            channel_switches_to_convert,
            days_to_convert
        from conversions_in_periods
    ) as conversions_with_all
    group by period_grain, period_start, channel

),

report_channels as (

    select channel from channels
    union all
    select 'all' as channel

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        channels.channel
    from periods
    cross join report_channels as channels

),

final as (

    select
        -- keys
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.channel,

        -- stated effort
        coalesce(ces_measures.ces_responses, 0) as ces_responses,
        ces_measures.avg_ces,

        -- behavioural effort
        coalesce(conversion_measures.journeys_converted, 0) as journeys_converted,
        conversion_measures.avg_touchpoints_to_convert,
        conversion_measures.avg_sessions_to_convert,
        conversion_measures.avg_channel_switches_to_convert,
        conversion_measures.avg_days_to_convert

    from grid
    left join ces_measures
        on
            grid.period_grain = ces_measures.period_grain
            and grid.period_start = ces_measures.period_start
            and grid.channel = ces_measures.channel
    left join conversion_measures
        on
            grid.period_grain = conversion_measures.period_grain
            and grid.period_start = conversion_measures.period_start
            and grid.channel = conversion_measures.channel

)

select * from final
