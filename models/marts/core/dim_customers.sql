{#- One row per customer_key (SPEC 3, 5, 6): CRM attributes, activity span,
    current stage, acquisition channel, churn state at as_of, orders,
    revenue and engagement score. -#}
{%- set churn_inactivity_days = journeys_positive_number_var('churn_inactivity_days', 90) -%}
{%- set engagement_window_days = journeys_positive_number_var('engagement_window_days', 30) -%}

with

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

activity as (

    select * from {{ ref('int_customer_activity') }}

),

journeys as (

    select * from {{ ref('fct_journeys') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

patterns as (

    select * from {{ ref('int_customer_journey_patterns') }}

),

churn_risks as (

    select * from {{ ref('int_customer_churn_risk') }}

),

-- SPEC 6: signal weights of the events in [as_of - window, as_of]; the
-- only part that reads events, and only the window's
engagement as (

    select
        events.customer_key,
        sum(
            case events.signal_polarity
                when 'positive' then events.signal_weight
                when 'negative' then -events.signal_weight
                else 0
            end
        ) as engagement_score
    from {{ ref('int_events_journeyed') }} as events
    cross join evaluation
    where
        events.occurred_at <= evaluation.as_of_at
        and events.occurred_at >= {{ dbt.dateadd(
            'day', -engagement_window_days, 'evaluation.as_of_at') }}
    group by events.customer_key

),

latest_journeys as (

    select
        journeys.customer_key,
        journeys.journey_id as latest_journey_id,
        journeys.max_stage as current_stage,
        journeys.is_closed as is_latest_journey_closed
    from journeys
    inner join activity
        on
            journeys.customer_key = activity.customer_key
            and journeys.journey_number = activity.journey_count

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
        activity.acquisition_channel,
        coalesce(patterns.journey_pattern, 'unclassified') as journey_pattern,
        -- the rule that gave the pattern (null when unclassified)
        cast(patterns.pattern_priority as bigint) as pattern_priority,
        patterns.pattern_description,

        -- numerics
        activity.event_count,
        activity.session_count,
        activity.journey_count,
        activity.orders,
        activity.revenue,
        coalesce(engagement.engagement_score, 0) as engagement_score,
        cast(churn_risks.churn_risk as {{ journeys_type_double() }}) as churn_risk,

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
    left join engagement
        on customers.customer_key = engagement.customer_key
    left join patterns
        on customers.customer_key = patterns.customer_key
    left join churn_risks
        on customers.customer_key = churn_risks.customer_key
    inner join latest_journeys
        on customers.customer_key = latest_journeys.customer_key

)

select * from final
