{#-
    Per period grain x period x channel (and 'all'): the behavioural and
    cost inputs of the composite journey scores (rpt_journey_scores):
      marketing_spend: spend lines with spend_date in the period on the
        channel (0 when none);
      newly_converted_customers: customers whose first-ever conversion falls
        in the period, under their acquisition channel (the channel of their
        first touchpoint, dim_customers), the channel spend pays for;
      journeys_active: distinct journeys with at least one event in the
        period on the channel;
      friction_events: is_friction events in the period on the channel.
    Every period x channel (channels of events, spend lines and survey
    responses) has a row.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

spend as (

    select * from {{ ref('stg_marketing_spend') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

responses as (

    select * from {{ ref('stg_survey_responses') }}

),

spend_measures as (

    select
        periods.period_grain,
        periods.period_start,
        spend.channel,
        sum(spend.amount) as marketing_spend
    from spend
    inner join periods
        on
            spend.spend_date >= periods.period_start
            and spend.spend_date < periods.period_end
    group by periods.period_grain, periods.period_start, spend.channel

),

acquisition_measures as (

    select
        periods.period_grain,
        periods.period_start,
        customers.acquisition_channel as channel,
        count(*) as newly_converted_customers
    from customers
    inner join periods
        on
            customers.first_purchase_at >= periods.period_start_at
            and customers.first_purchase_at < periods.period_end_at
    group by periods.period_grain, periods.period_start, customers.acquisition_channel

),

events_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        events.channel,
        events.journey_id,
        events.is_friction
    from events
    inner join periods
        on
            events.occurred_at >= periods.period_start_at
            and events.occurred_at < periods.period_end_at

),

activity_measures as (

    select
        period_grain,
        period_start,
        channel,
        count(distinct journey_id) as journeys_active,
        sum(case when is_friction then 1 else 0 end) as friction_events
    from (
        select * from events_in_periods
        union all
        select
            period_grain,
            period_start,
            'all' as channel,
            journey_id,
            is_friction
        from events_in_periods
    ) as events_with_all
    group by period_grain, period_start, channel

),

channels as (

    select channel from events
    union
    select channel from spend
    union
    select channel from responses
    union
    select 'all' as channel

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        channels.channel
    from periods
    cross join channels

),

-- spend and acquisitions of each channel, and their totals under 'all'
cost_measures as (

    select
        grid.period_grain,
        grid.period_start,
        grid.channel,
        coalesce(spend_measures.marketing_spend, 0) as marketing_spend,
        coalesce(acquisition_measures.newly_converted_customers, 0)
            as newly_converted_customers
    from grid
    left join spend_measures
        on
            grid.period_grain = spend_measures.period_grain
            and grid.period_start = spend_measures.period_start
            and grid.channel = spend_measures.channel
    left join acquisition_measures
        on
            grid.period_grain = acquisition_measures.period_grain
            and grid.period_start = acquisition_measures.period_start
            and grid.channel = acquisition_measures.channel
    where grid.channel <> 'all'

),

cost_measures_with_all as (

    select * from cost_measures
    union all
    select
        period_grain,
        period_start,
        'all' as channel,
        sum(marketing_spend) as marketing_spend,
        sum(newly_converted_customers) as newly_converted_customers
    from cost_measures
    group by period_grain, period_start

),

final as (

    select
        -- keys
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.channel,

        -- cost of acquisition
        cost_measures_with_all.marketing_spend,
        cost_measures_with_all.newly_converted_customers,

        -- friction
        coalesce(activity_measures.journeys_active, 0) as journeys_active,
        coalesce(activity_measures.friction_events, 0) as friction_events

    from grid
    inner join cost_measures_with_all
        on
            grid.period_grain = cost_measures_with_all.period_grain
            and grid.period_start = cost_measures_with_all.period_start
            and grid.channel = cost_measures_with_all.channel
    left join activity_measures
        on
            grid.period_grain = activity_measures.period_grain
            and grid.period_start = activity_measures.period_start
            and grid.channel = activity_measures.channel

)

select * from final
