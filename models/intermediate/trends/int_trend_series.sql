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
    is_warmed_up: the period starts after the data's warm-up for its metric,
    the span after the first event in which the metric cannot yet be what
    it is by definition (DECISIONLOG D170):
      churn_rate: first event + churn_inactivity_days. A churn at c needs an
        event at c - churn_inactivity_days, and "active at start" looks that
        far back, so before then churn is 0 or short by construction;
      progression_rate: first event + journey_timeout_days (whether a
        customer has an open journey at the start looks that far back);
      conversion_rate: first event + journey_timeout_days (a journey
        "starting" earlier may be one that began before the data did);
      csat: none (each response stands alone).
    is_testable: the period is warmed up, complete (it ends at or before
    as_of; a partial period would compare a shorter span with whole ones),
    and for conversion_rate the cohort is mature as well (it ended at least
    journey_timeout_days before as_of, so its journeys had time to convert).
    int_trend_series_tested neither tests nor pools into a baseline a period
    that is not warmed up.
-#}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}
{%- set churn_days = journeys_positive_number_var('churn_inactivity_days', 90) -%}

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

warm_up as (

    select
        series.*,
        periods.period_end,
        periods.period_end_at,
        coalesce(
            case series.metric
                when 'csat' then true
                when 'churn_rate'
                    then
                        periods.period_start_at
                        >= {{ dbt.dateadd('day', churn_days, 'evaluation.first_event_at') }}
                else
                    periods.period_start_at
                    >= {{ dbt.dateadd('day', journey_timeout_days, 'evaluation.first_event_at') }}
            end,
            false
        ) as is_warmed_up,
        evaluation.as_of_at
    from series
    inner join periods
        on
            series.period_grain = periods.period_grain
            and series.period_start = periods.period_start
    cross join evaluation

),

final as (

    select
        -- keys
        metric,
        metric_detail,
        breakdown,
        breakdown_value,
        period_grain,
        period_start,
        period_end,

        -- measures
        cast(successes as {{ dbt.type_int() }}) as successes,
        cast(trials as {{ dbt.type_int() }}) as trials,
        cast(successes as {{ journeys_type_double() }})
        / nullif(trials, 0) as rate,

        -- booleans
        is_warmed_up,
        coalesce(
            is_warmed_up
            and period_end_at <= as_of_at
            and (
                metric <> 'conversion_rate'
                or {{ dbt.dateadd('day', journey_timeout_days, 'period_end_at') }}
                <= as_of_at
            ),
            false
        ) as is_testable

    from warm_up

)

select * from final
