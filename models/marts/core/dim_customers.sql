{#- One row per customer_key (SPEC 3, 5, 6): CRM attributes, activity span,
    current stage, acquisition channel, churn state at as_of, orders,
    revenue and engagement score. -#}
{%- set churn_inactivity_days = journeys_positive_number_var('churn_inactivity_days', 90) -%}
{%- set engagement_window_days = journeys_positive_number_var('engagement_window_days', 30) -%}

with

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

events as (

    select * from {{ ref('int_events_journeyed') }}

),

journeys as (

    select * from {{ ref('fct_journeys') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

activity as (

    select
        events.customer_key,
        min(events.occurred_at) as first_seen_at,
        max(events.occurred_at) as last_seen_at,
        count(*) as event_count,
        count(distinct events.session_id) as session_count,
        sum(case when events.is_conversion then 1 else 0 end) as orders,
        sum(case when events.is_conversion then coalesce(events.revenue, 0) else 0 end)
            as revenue,
        min(case when events.is_conversion then events.occurred_at end) as first_purchase_at,
        max(case when events.is_conversion then events.occurred_at end) as last_purchase_at,
        sum(
            case
                when
                    events.occurred_at <= evaluation.as_of_at
                    and events.occurred_at >= {{ dbt.dateadd(
                        'day', -engagement_window_days, 'evaluation.as_of_at') }}
                    then case events.signal_polarity
                        when 'positive' then events.signal_weight
                        when 'negative' then -events.signal_weight
                        else 0
                    end
                else 0
            end
        ) as engagement_score
    from events
    cross join evaluation
    group by events.customer_key

),

-- acquisition: the channel of the customer's first touchpoint, else of
-- their first event
acquisition as (

    select
        customer_key,
        channel as acquisition_channel
    from (
        select
            customer_key,
            channel,
            row_number() over (
                partition by customer_key
                order by case when is_touchpoint then 0 else 1 end, event_sequence_number
            ) as acquisition_rank
        from events
    ) as ranked
    where acquisition_rank = 1

),

latest_journeys as (

    select
        customer_key,
        journey_id as latest_journey_id,
        max_stage as current_stage,
        journey_number as journey_count,
        is_closed as is_latest_journey_closed
    from (
        select
            *,
            row_number() over (
                partition by customer_key order by journey_number desc
            ) as recency_rank
        from journeys
    ) as ranked
    where recency_rank = 1

),

final as (

    select
        -- ids
        customers.customer_key,
        customers.customer_id,
        latest_journeys.latest_journey_id,

        -- strings
        customers.segment,
        customers.region,
        latest_journeys.current_stage,
        acquisition.acquisition_channel,

        -- numerics
        activity.event_count,
        activity.session_count,
        latest_journeys.journey_count,
        activity.orders,
        activity.revenue,
        activity.engagement_score,

        -- booleans
        customers.is_identified,
        customers.is_in_crm,
        latest_journeys.is_latest_journey_closed,
        {{ dbt.dateadd('day', churn_inactivity_days, 'activity.last_seen_at') }}
        <= evaluation.as_of_at as is_churned,

        -- timestamps
        customers.signed_up_at,
        activity.first_seen_at,
        activity.last_seen_at,
        activity.first_purchase_at,
        activity.last_purchase_at,
        case
            when
                {{ dbt.dateadd('day', churn_inactivity_days, 'activity.last_seen_at') }}
                <= evaluation.as_of_at
                then {{ dbt.dateadd('day', churn_inactivity_days, 'activity.last_seen_at') }}
        end as churned_at

    from customers
    cross join evaluation
    inner join activity
        on customers.customer_key = activity.customer_key
    inner join acquisition
        on customers.customer_key = acquisition.customer_key
    inner join latest_journeys
        on customers.customer_key = latest_journeys.customer_key

)

select * from final
