{#-
    The two composite scores of SPEC 6 per period grain x period x channel
    (and 'all'), with every input beside them:
      csat            share of CSAT responses scoring 4 or 5, 0-1
                      (rpt_satisfaction.csat_pct / 100);
      avg_ces, ease   mean CES (1-7, lower is easier; rpt_customer_effort)
                      and ease = (7 - avg_ces) / 6, 0-1, higher is easier;
      cac             marketing spend / newly converted customers (customers
                      whose first-ever conversion falls in the period, under
                      their acquisition channel), currency per customer;
      churn_rate      rpt_churn's rate for the period, all segments (churn
                      belongs to customers, not channels: every channel row
                      carries the period's rate);
      clv             lifetime value (SPEC 6) of the customers acquired on
                      the channel, as of as_of (the same for every period);
      friction_points friction events per journey active on the channel in
                      the period.
    customer_journey_success_score = (csat x ease) / (cac x churn_rate);
    journey_experience_success = (csat + ease + clv) / (friction_points +
    churn_rate). A score is null when an input is null or its denominator
    is 0. Every period x channel of int_channel_periods_summarised has a row.
-#}
with

channel_periods as (

    select * from {{ ref('int_channel_periods_summarised') }}

),

satisfaction as (

    select * from {{ ref('rpt_satisfaction') }}

),

effort as (

    select * from {{ ref('rpt_customer_effort') }}

),

churn as (

    select * from {{ ref('rpt_churn') }}
    where segment = 'all'

),

lifetime_values as (

    select * from {{ ref('int_lifetime_value_grouped') }}
    where group_kind = 'acquisition_channel'

),

inputs as (

    select
        channel_periods.period_grain,
        channel_periods.period_start,
        channel_periods.period_end,
        channel_periods.channel,

        satisfaction.csat_responses,
        satisfaction.csat_pct / 100 as csat,
        effort.ces_responses,
        effort.avg_ces,
        (7 - effort.avg_ces) / 6 as ease,
        channel_periods.marketing_spend,
        channel_periods.newly_converted_customers,
        cast(channel_periods.marketing_spend as {{ journeys_type_double() }})
        / nullif(channel_periods.newly_converted_customers, 0) as cac,
        churn.customers_active_at_start,
        churn.customers_churned,
        churn.churn_rate,
        lifetime_values.clv,
        channel_periods.journeys_active,
        channel_periods.friction_events,
        cast(channel_periods.friction_events as {{ journeys_type_double() }})
        / nullif(channel_periods.journeys_active, 0) as friction_points

    from channel_periods
    left join satisfaction
        on
            channel_periods.period_grain = satisfaction.period_grain
            and channel_periods.period_start = satisfaction.period_start
            and channel_periods.channel = satisfaction.channel
    left join effort
        on
            channel_periods.period_grain = effort.period_grain
            and channel_periods.period_start = effort.period_start
            and channel_periods.channel = effort.channel
    left join churn
        on
            channel_periods.period_grain = churn.period_grain
            and channel_periods.period_start = churn.period_start
    left join lifetime_values
        on channel_periods.channel = lifetime_values.group_value

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        channel,

        -- satisfaction and ease
        cast(coalesce(csat_responses, 0) as bigint) as csat_responses,
        csat,
        cast(coalesce(ces_responses, 0) as bigint) as ces_responses,
        avg_ces,
        ease,

        -- acquisition cost
        marketing_spend,
        cast(newly_converted_customers as bigint) as newly_converted_customers,
        cac,

        -- churn
        cast(customers_active_at_start as bigint) as customers_active_at_start,
        cast(customers_churned as bigint) as customers_churned,
        churn_rate,

        -- value and friction
        clv,
        cast(journeys_active as bigint) as journeys_active,
        cast(friction_events as bigint) as friction_events,
        friction_points,

        -- scores
        (csat * ease) / nullif(cac * churn_rate, 0) as customer_journey_success_score,
        (csat + ease + clv) / nullif(friction_points + churn_rate, 0)
            as journey_experience_success

    from inputs

)

select * from final
