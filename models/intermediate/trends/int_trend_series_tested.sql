{#-
    Every row of int_trend_series against its trailing baseline, with the
    test that rpt_trend_alerts filters on.
      baseline: the previous trend_baseline_periods periods of the same
        series (metric, detail, breakdown value, grain), pooled:
        baseline_successes / baseline_trials (fewer periods at the start of
        the series). Periods in the data's warm-up (is_warmed_up false,
        int_trend_series) are left out of it.
      test: the two-proportion z-test with pooled variance,
        p = (x + x0) / (n + n0), se = sqrt(p (1 - p) (1 / n + 1 / n0)),
        z = (x / n - x0 / n0) / se, two-sided p_value = 2 (1 - Phi(|z|)),
        Phi by journeys_normal_cdf. Tested only when the period is testable
        (warmed up, complete, mature), both n and n0 are at least
        trend_min_sample_size, and the normal approximation holds: the
        expected successes and failures under the pooled rate,
        min(n, n0) x min(p, 1 - p), are at least trend_min_expected_count
        on both sides (DECISIONLOG D171); null otherwise.
      adjusted_p_value: p_value corrected for the number of tests,
        trend_multiple_testing (D171): `none` (the default: p_value),
        `bonferroni` (min(1, m p), m the tested periods of this model,
        every metric, series and grain), `benjamini_hochberg` (the
        step-up q-value: min over ranks j >= i of m p_(j) / j, at most 1,
        p_(i) the i-th smallest p-value).
      is_alert: adjusted_p_value < trend_alert_p_value.
-#}
{%- set baseline_periods = journeys_positive_number_var('trend_baseline_periods', 4) | int -%}
{%- set min_sample_size = journeys_positive_number_var('trend_min_sample_size', 30) -%}
{%- set min_expected_count = journeys_positive_number_var(
    'trend_min_expected_count', 5, allow_zero=true) -%}
{%- set alert_p_value = journeys_positive_number_var('trend_alert_p_value', 0.01) -%}
{%- set correction = journeys_trend_multiple_testing() -%}

with

series as (

    select * from {{ ref('int_trend_series') }}

),

baselined as (

    select
        *,
        -- periods in the data's warm-up never enter a baseline (D170)
        sum(case when is_warmed_up then successes end) over baseline_window
            as baseline_successes,
        sum(case when is_warmed_up then trials end) over baseline_window as baseline_trials,
        count(case when is_warmed_up then 1 end) over baseline_window as baseline_periods
    from series
    window baseline_window as (
        partition by metric, metric_detail, breakdown_value, period_grain
        order by period_start
        rows between {{ baseline_periods }} preceding and 1 preceding
    )

),

pooled as (

    select
        *,
        cast(baseline_successes as {{ journeys_type_double() }})
        / nullif(baseline_trials, 0) as baseline_rate,
        cast(successes + baseline_successes as {{ journeys_type_double() }})
        / nullif(trials + baseline_trials, 0) as pooled_rate
    from baselined

),

eligible as (

    select
        *,
        coalesce(
            is_testable
            and trials >= {{ min_sample_size }}
            and baseline_trials >= {{ min_sample_size }}
            -- expected successes and failures on the smaller side
            and least(trials, baseline_trials) * least(pooled_rate, 1 - pooled_rate)
            >= {{ min_expected_count }},
            false
        ) as is_tested
    from pooled

),

standard_errors as (

    select
        *,
        case
            when is_tested and pooled_rate > 0 and pooled_rate < 1
                then sqrt(
                    pooled_rate * (1 - pooled_rate)
                    * (
                        1 / cast(trials as {{ journeys_type_double() }})
                        + 1 / cast(baseline_trials as {{ journeys_type_double() }})
                    )
                )
        end as standard_error
    from eligible

),

scored as (

    select
        *,
        (rate - baseline_rate) / standard_error as z_score
    from standard_errors

),

tested as (

    select
        *,
        2 * (1 - {{ journeys_normal_cdf('abs(z_score)') }}) as p_value
    from scored

),

-- the family of the correction: every period with a p-value
ranked as (

    select
        *,
        count(p_value) over () as tests_in_family,
        row_number() over (
            order by
                case when p_value is null then 1 else 0 end,
                p_value,
                metric,
                metric_detail,
                breakdown_value,
                period_grain,
                period_start
        ) as p_value_rank
    from tested

),

adjusted as (

    select
        *,
        {%- if correction == 'bonferroni' %}
            case
                when p_value is not null then least(p_value * tests_in_family, 1.0)
            end as adjusted_p_value
        {%- elif correction == 'benjamini_hochberg' %}
            -- the step-up: the smallest m p_(j) / j at this rank or above
            -- (ties get the same value whatever their order; rows without
            -- a p-value rank last and never lower it)
            case
                when p_value is not null
                    then least(
                        min(p_value * tests_in_family / p_value_rank) over (
                            order by p_value_rank desc
                            rows between unbounded preceding and current row
                        ),
                        1.0
                    )
            end as adjusted_p_value
        {%- else %}
            p_value as adjusted_p_value
        {%- endif %}
    from ranked

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
        successes,
        trials,
        rate,
        cast(baseline_periods as {{ dbt.type_int() }}) as baseline_periods,
        baseline_successes,
        baseline_trials,
        baseline_rate,
        rate - baseline_rate as rate_change,
        standard_error,
        z_score,
        p_value,
        cast(adjusted_p_value as {{ journeys_type_double() }}) as adjusted_p_value,
        cast(tests_in_family as {{ dbt.type_int() }}) as tests_in_family,

        -- booleans
        is_warmed_up,
        is_testable,
        is_tested,
        coalesce(adjusted_p_value < {{ alert_p_value }}, false) as is_alert

    from adjusted

)

select * from final
