{#-
    Satisfaction (SPEC 6) by period of responded_at and the response's
    channel (and 'all'): csat_pct = 100 x csat responses scoring 4 or 5 /
    csat responses; nps = % promoters (9-10) - % detractors (0-6) of nps
    responses. Every period x channel (channels of clean responses) has a row;
    a measure is null when it has no responses.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

responses as (

    select * from {{ ref('stg_survey_responses') }}

),

channels as (

    select distinct channel from responses

),

responses_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        responses.channel,
        responses.survey_type,
        responses.score
    from responses
    inner join periods
        on
            responses.responded_at >= periods.period_start_at
            and responses.responded_at < periods.period_end_at

),

with_all_channel as (

    select * from responses_in_periods
    union all
    select
        period_grain,
        period_start,
        'all' as channel,
        survey_type,
        score
    from responses_in_periods

),

measures as (

    select
        period_grain,
        period_start,
        channel,
        sum(case when survey_type = 'csat' then 1 else 0 end) as csat_responses,
        sum(case when survey_type = 'csat' and score >= 4 then 1 else 0 end)
            as csat_satisfied_responses,
        sum(case when survey_type = 'nps' then 1 else 0 end) as nps_responses,
        sum(case when survey_type = 'nps' and score >= 9 then 1 else 0 end) as nps_promoters,
        sum(case when survey_type = 'nps' and score <= 6 then 1 else 0 end) as nps_detractors
    from with_all_channel
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

        -- measures
        coalesce(measures.csat_responses, 0) as csat_responses,
        coalesce(measures.csat_satisfied_responses, 0) as csat_satisfied_responses,
        cast(100 as {{ journeys_type_double() }}) * measures.csat_satisfied_responses
        / nullif(measures.csat_responses, 0)
            as csat_pct,
        coalesce(measures.nps_responses, 0) as nps_responses,
        coalesce(measures.nps_promoters, 0) as nps_promoters,
        coalesce(measures.nps_detractors, 0) as nps_detractors,
        cast(100 as {{ journeys_type_double() }})
        * (measures.nps_promoters - measures.nps_detractors)
        / nullif(measures.nps_responses, 0) as nps

    from grid
    left join measures
        on
            grid.period_grain = measures.period_grain
            and grid.period_start = measures.period_start
            and grid.channel = measures.channel

)

select * from final
