{#-
    One row per customer_key: what the customer's events say about them at
    as_of, for acting on now (next_best_actions reads it). Only events at or
    before as_of count. Signal kinds come from the event-type mapping
    (signal_polarity, signal_weight, is_friction, is_conversion); the few
    rules that need particular event types read them from the seed
    signal_event_types (groups cart, checkout, support_contact,
    checkout_error, return_request). "Recent" means in [as_of -
    signal_window_days, as_of]; every flag is documented in
    _signals__models.yml and DECISIONLOG D52-D54.
-#}
{%- set engagement_window_days = journeys_positive_number_var('engagement_window_days', 30) -%}
{%- set engagement_trend_days = journeys_positive_number_var('engagement_trend_days', 7) -%}
{%- set signal_window_days = journeys_positive_number_var('signal_window_days', 30) -%}
{%- set support_contact_threshold = journeys_positive_number_var('support_contact_threshold', 2) -%}
{%- set abandonment_window_hours = journeys_positive_number_var('abandonment_window_hours', 24) -%}
{%- set groups = ['cart', 'checkout', 'support_contact', 'checkout_error', 'return_request'] -%}

with

events as (

    select * from {{ ref('fct_events') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

stages as (

    select * from {{ ref('journey_stages') }}

),

signal_event_types as (

    select * from {{ ref('signal_event_types') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

-- one row per event type named in the seed, a 0/1 column per group
event_groups as (

    select
        event_type,
        max(case when signal_group = 'cart' then 1 else 0 end) as is_cart_event,
        max(case when signal_group = 'checkout' then 1 else 0 end) as is_checkout_event,
        max(case when signal_group = 'support_contact' then 1 else 0 end)
            as is_support_contact_event,
        max(case when signal_group = 'checkout_error' then 1 else 0 end)
            as is_checkout_error_event,
        max(case when signal_group = 'return_request' then 1 else 0 end)
            as is_return_request_event
    from signal_event_types
    group by event_type

),

events_to_date as (

    select
        events.customer_key,
        events.event_id,
        events.event_type,
        events.channel,
        events.signal_polarity,
        events.is_conversion,
        events.is_friction,
        events.occurred_at,
        evaluation.as_of_at,
        {{ journeys_signed_signal_weight('events.signal_polarity', 'events.signal_weight') }}
            as signed_weight,
        {%- for group in groups %}
            coalesce(event_groups.is_{{ group }}_event, 0) = 1 as is_{{ group }}_event,
        {%- endfor %}
        events.occurred_at
        >= {{ dbt.dateadd('day', -signal_window_days, 'evaluation.as_of_at') }} as is_recent
    from events
    cross join evaluation
    left join event_groups
        on events.event_type = event_groups.event_type
    where events.occurred_at <= evaluation.as_of_at

),

sequenced as (

    select
        *,
        -- the first conversion at or after the event (the same instant counts)
        min(case when is_conversion then occurred_at end) over (
            partition by customer_key
            order by occurred_at
            range between current row and unbounded following
        ) as next_conversion_at,
        row_number() over (
            partition by customer_key order by occurred_at desc, event_id desc
        ) as recency_rank,
        row_number() over (
            partition by customer_key, signal_polarity order by occurred_at desc, event_id desc
        ) as polarity_recency_rank,
        row_number() over (
            partition by customer_key, is_cart_event order by occurred_at desc, event_id desc
        ) as cart_recency_rank
    from events_to_date

),

activity as (

    select
        customer_key,

        -- the latest event, and the latest of each polarity (event order)
        max(case when recency_rank = 1 then occurred_at end) as last_event_at,
        max(case when recency_rank = 1 then event_type end) as last_event_type,
        max(case when recency_rank = 1 then channel end) as last_event_channel,
        max(
            case
                when polarity_recency_rank = 1 and signal_polarity = 'positive' then event_type
            end
        ) as last_positive_signal_type,
        max(
            case
                when polarity_recency_rank = 1 and signal_polarity = 'positive' then occurred_at
            end
        ) as last_positive_signal_at,
        max(
            case
                when polarity_recency_rank = 1 and signal_polarity = 'negative' then event_type
            end
        ) as last_negative_signal_type,
        max(
            case
                when polarity_recency_rank = 1 and signal_polarity = 'negative' then occurred_at
            end
        ) as last_negative_signal_at,

        -- the latest cart event, open when recent enough and not bought since
        max(case when is_cart_event and cart_recency_rank = 1 then occurred_at end)
            as last_cart_event_at,
        max(case when is_cart_event and cart_recency_rank = 1 then event_type end)
            as last_cart_event_type,
        max(
            case
                when
                    is_cart_event
                    and cart_recency_rank = 1
                    and next_conversion_at is null
                    and occurred_at
                    >= {{ dbt.dateadd('hour', -abandonment_window_hours, 'as_of_at') }}
                    then 1
                else 0
            end
        ) as open_cart_count,

        -- recent counts
        sum(
            case
                when is_checkout_event and is_recent and next_conversion_at is null then 1
                else 0
            end
        ) as unpurchased_checkouts_recent,
        sum(case when is_support_contact_event and is_recent then 1 else 0 end)
            as support_contacts_recent,
        sum(case when is_checkout_error_event and is_recent then 1 else 0 end)
            as checkout_errors_recent,
        sum(case when is_return_request_event and is_recent then 1 else 0 end)
            as return_requests_recent,
        sum(case when is_friction and is_recent then 1 else 0 end) as friction_events_recent,

        -- engagement at as_of and engagement_trend_days earlier, same window
        sum(
            case
                when
                    occurred_at
                    >= {{ dbt.dateadd('day', -engagement_window_days, 'as_of_at') }}
                    then signed_weight
                else 0
            end
        ) as engagement_score,
        sum(
            case
                when
                    occurred_at
                    >= {{ dbt.dateadd(
                        'day', -(engagement_window_days + engagement_trend_days), 'as_of_at') }}
                    and occurred_at
                    <= {{ dbt.dateadd('day', -engagement_trend_days, 'as_of_at') }}
                    then signed_weight
                else 0
            end
        ) as previous_engagement_score,

        -- purchases
        sum(case when is_conversion then 1 else 0 end) as orders_to_date,
        max(case when is_conversion then occurred_at end) as last_purchase_at

    from sequenced
    group by customer_key

),

joined as (

    select
        customers.customer_key,
        customers.segment,
        customers.current_stage,
        stages.stage_order as current_stage_order,
        customers.is_churned,
        not customers.is_latest_journey_closed as has_open_journey,
        activity.last_event_at,
        activity.last_event_type,
        activity.last_event_channel,
        activity.last_positive_signal_type,
        activity.last_positive_signal_at,
        activity.last_negative_signal_type,
        activity.last_negative_signal_at,
        activity.last_cart_event_at,
        activity.last_cart_event_type,
        coalesce(activity.open_cart_count, 0) = 1 as has_open_cart,
        coalesce(activity.unpurchased_checkouts_recent, 0) as unpurchased_checkouts_recent,
        coalesce(activity.support_contacts_recent, 0) as support_contacts_recent,
        coalesce(activity.checkout_errors_recent, 0) as checkout_errors_recent,
        coalesce(activity.return_requests_recent, 0) as return_requests_recent,
        coalesce(activity.friction_events_recent, 0) as friction_events_recent,
        coalesce(activity.engagement_score, 0) as engagement_score,
        coalesce(activity.previous_engagement_score, 0) as previous_engagement_score,
        coalesce(activity.orders_to_date, 0) as orders_to_date,
        activity.last_purchase_at,
        evaluation.as_of_at
    from customers
    cross join evaluation
    left join activity
        on customers.customer_key = activity.customer_key
    left join stages
        on customers.current_stage = stages.stage

),

final as (

    select
        -- ids
        customer_key,

        -- strings
        segment,
        current_stage,
        case when has_open_journey then current_stage end as open_journey_stage,
        last_event_type,
        last_event_channel,
        last_positive_signal_type,
        last_negative_signal_type,
        case when has_open_cart then last_cart_event_type end as open_cart_event_type,
        case
            when engagement_score > previous_engagement_score then 'rising'
            when engagement_score < previous_engagement_score then 'falling'
            else 'steady'
        end as engagement_trend,

        -- numerics
        cast(current_stage_order as bigint) as current_stage_order,
        cast(engagement_score as {{ journeys_type_double() }}) as engagement_score,
        cast(previous_engagement_score as {{ journeys_type_double() }})
            as previous_engagement_score,
        cast(engagement_score - previous_engagement_score as {{ journeys_type_double() }})
            as engagement_score_change,
        case
            when has_open_cart
                then {{ journeys_seconds_between('last_cart_event_at', 'as_of_at') }} / 3600
        end as hours_since_open_cart,
        cast(unpurchased_checkouts_recent as bigint) as unpurchased_checkouts_recent,
        cast(support_contacts_recent as bigint) as support_contacts_recent,
        cast(checkout_errors_recent as bigint) as checkout_errors_recent,
        cast(return_requests_recent as bigint) as return_requests_recent,
        cast(friction_events_recent as bigint) as friction_events_recent,
        cast(orders_to_date as bigint) as orders_to_date,
        {{ journeys_seconds_between('last_event_at', 'as_of_at') }} / 86400
            as days_since_last_event,
        {{ journeys_seconds_between('last_purchase_at', 'as_of_at') }} / 86400
            as days_since_last_purchase,

        -- booleans: intent
        has_open_cart,
        unpurchased_checkouts_recent > 0 as has_unpurchased_checkout,
        -- booleans: friction
        support_contacts_recent >= {{ support_contact_threshold }}
            as has_repeated_support_contacts,
        checkout_errors_recent > 0 as has_checkout_error,
        return_requests_recent > 0 as has_return_request,
        friction_events_recent > 0 as has_friction,
        -- booleans: state
        engagement_score < previous_engagement_score as is_engagement_falling,
        is_churned,
        has_open_journey,

        -- timestamps
        last_event_at,
        last_positive_signal_at,
        last_negative_signal_at,
        case when has_open_cart then last_cart_event_at end as open_cart_at,
        last_purchase_at,
        as_of_at as evaluated_at

    from joined

)

select * from final
