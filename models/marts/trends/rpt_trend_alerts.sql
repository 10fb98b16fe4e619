{#-
    The periods whose value moved away from its trailing baseline by a
    statistically significant amount (int_trend_series_tested: two-sided
    two-proportion z-test, adjusted_p_value < trend_alert_p_value, both
    samples at least trend_min_sample_size and trend_min_expected_count),
    for stage progression rates and churn by segment, CSAT and conversion
    by channel. One row per alert, with its direction, its size (percentage
    points and relative to the baseline), whether it is bad news, and a
    one-line description (with the adjusted p-value when
    trend_multiple_testing corrects it).
-#}
{%- set correction = journeys_trend_multiple_testing() -%}
with

tested as (

    select * from {{ ref('int_trend_series_tested') }}
    where is_alert

),

described as (

    select
        *,
        case when rate_change > 0 then 'up' else 'down' end as direction,
        -- churn going up is bad news; every other metric going down is
        case
            when metric = 'churn_rate' then rate_change > 0
            else rate_change < 0
        end as is_adverse,
        case metric
            when 'progression_rate' then 'progression ' || metric_detail
            when 'churn_rate' then 'churn rate'
            when 'csat' then 'CSAT (share satisfied)'
            else 'conversion rate'
        end as metric_label,
        case
            when p_value < 0.0001 then 'p < 0.0001'
            else 'p = ' || {{ journeys_format_decimal('p_value', 4) }}
        end as p_value_text,
        {%- if correction != 'none' %}
            case
                when adjusted_p_value < 0.0001 then ', adjusted p < 0.0001'
                else
                    ', adjusted p = '
                    || {{ journeys_format_decimal('adjusted_p_value', 4) }}
            end
            || ' ({{ correction | replace("_", "-") }})' as adjusted_p_value_text,
        {%- else %}
            '' as adjusted_p_value_text,
        {%- endif %}
        {{ journeys_format_decimal('100 * rate', 1) }} as rate_text,
        {{ journeys_format_decimal('100 * baseline_rate', 1) }} as baseline_rate_text,
        {{ journeys_format_decimal('100 * abs(rate_change)', 1) }} as rate_change_text,
        {{ journeys_format_decimal('z_score', 2) }} as z_score_text,
        cast(period_grain as {{ dbt.type_string() }}) as grain_text,
        cast(period_start as {{ dbt.type_string() }}) as period_start_text,
        cast(baseline_periods as {{ dbt.type_string() }}) as baseline_periods_text,
        cast(trials as {{ dbt.type_string() }}) as trials_text
    from tested

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

        -- strings
        direction,
        grain_text || ' of ' || period_start_text || ': '
        || metric_label || ' (' || breakdown || ' ' || breakdown_value || ') '
        || case when direction = 'up' then 'rose' else 'fell' end
        || ' to ' || rate_text || '% from ' || baseline_rate_text
        || '% over the previous ' || baseline_periods_text || ' ' || grain_text || '(s) ('
        || case when direction = 'up' then '+' else '-' end || rate_change_text
        || ' pts, n = ' || trials_text || ', z = ' || z_score_text || ', '
        || p_value_text || adjusted_p_value_text || ')' as description,

        -- measures
        successes,
        trials,
        rate,
        baseline_periods,
        baseline_successes,
        baseline_trials,
        baseline_rate,
        rate_change,
        rate_change / nullif(baseline_rate, 0) as relative_change,
        z_score,
        p_value,
        adjusted_p_value,

        -- booleans
        is_adverse

    from described

)

select * from final
