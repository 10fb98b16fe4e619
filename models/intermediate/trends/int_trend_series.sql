{#-
    Every proportion the trend alerts watch, one row per metric, detail,
    breakdown, period grain and period, as successes out of trials (the
    z-test needs the counts, not only the rate):
      progression_rate (rpt_stage_progression, per segment, detail "A -> B"):
        customers_progressed / customers_at_start;
      churn_rate (rpt_churn, per segment): customers_churned /
        customers_active_at_start;
      csat (rpt_satisfaction, per channel): csat_satisfied_responses /
        csat_responses;
      conversion_rate (rpt_channel_funnel, per channel, journeys by the
        period they started in): journeys_converted / journeys_touched.
    is_testable: the period is complete (it ends at or before as_of; a
    partial period would compare a shorter span with whole ones), and for
    conversion_rate the cohort is mature as well (it ended at least
    journey_timeout_days before as_of, so its journeys had time to convert).
-#}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}

with

evaluation as (

    select * from {{ ref('int_evaluation_instant') }}

),

stage_progression as (

    select * from {{ ref('rpt_stage_progression') }}

),

churn as (

    select * from {{ ref('rpt_churn') }}

),

satisfaction as (

    select * from {{ ref('rpt_satisfaction') }}

),

channel_funnel as (

    select * from {{ ref('rpt_channel_funnel') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

series as (

    select
        'progression_rate' as metric,
        from_stage || ' -> ' || to_stage as metric_detail,
        'segment' as breakdown,
        segment as breakdown_value,
        period_grain,
        period_start,
        customers_progressed as successes,
        customers_at_start as trials
    from stage_progression

    union all

    select
        'churn_rate' as metric,
        '' as metric_detail,
        'segment' as breakdown,
        segment as breakdown_value,
        period_grain,
        period_start,
        customers_churned as successes,
        customers_active_at_start as trials
    from churn

    union all

    select
        'csat' as metric,
        '' as metric_detail,
        'channel' as breakdown,
        channel as breakdown_value,
        period_grain,
        period_start,
        coalesce(csat_satisfied_responses, 0) as successes,
        csat_responses as trials
    from satisfaction

    union all

    select
        'conversion_rate' as metric,
        '' as metric_detail,
        'channel' as breakdown,
        channel as breakdown_value,
        period_grain,
        period_start,
        journeys_converted as successes,
        journeys_touched as trials
    from channel_funnel

),

final as (

    select
        -- keys
        series.metric,
        series.metric_detail,
        series.breakdown,
        series.breakdown_value,
        series.period_grain,
        series.period_start,
        periods.period_end,

        -- measures
        cast(series.successes as {{ dbt.type_int() }}) as successes,
        cast(series.trials as {{ dbt.type_int() }}) as trials,
        cast(series.successes as {{ journeys_type_double() }})
        / nullif(series.trials, 0) as rate,

        -- booleans
        coalesce(
            periods.period_end_at <= evaluation.as_of_at
            and (
                series.metric <> 'conversion_rate'
                or {{ dbt.dateadd('day', journey_timeout_days, 'periods.period_end_at') }}
                <= evaluation.as_of_at
            ),
            false
        ) as is_testable

    from series
    inner join periods
        on
            series.period_grain = periods.period_grain
            and series.period_start = periods.period_start
    cross join evaluation

)

select * from final
