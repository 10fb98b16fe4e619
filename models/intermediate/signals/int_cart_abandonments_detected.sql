{#-
    One row per cart abandonment known at as_of, with its follow-up and its
    outcome (DECISIONLOG D55-D57). Only events at or before as_of count.
    - Cart events: the event types of group 'cart' in the seed
      signal_event_types (add_to_cart, checkout_start by default).
    - A cart event at c is abandoned when no conversion happens in
      [c, c + abandonment_window_hours] and no other cart event follows it
      (in event order) by c + abandonment_window_hours: a burst of cart
      events is one abandonment, at its last cart event. abandoned_at = c;
      it is known (and listed) once c + abandonment_window_hours <= as_of.
    - Follow-up: a touchpoint on follow_up_channel in
      (c, c + abandonment_window_hours].
    - Recovery window: (follow_up_ended_at, follow_up_ended_at +
      recovery_window_days]. Purchased: a conversion there. Returned: a
      conversion there, or an event there on another channel than
      follow_up_channel that is a touchpoint or carries a signal (so not a
      passive impression, and not the follow-up channel's own echo).
-#}
{%- set abandonment_window_hours = journeys_positive_number_var('abandonment_window_hours', 24) -%}
{%- set recovery_window_days = journeys_positive_number_var('recovery_window_days', 7) -%}
{%- set follow_up_channel = journeys_text_var('follow_up_channel', 'email') -%}

with

events as (

    select * from {{ ref('fct_events') }}

),

signal_event_types as (

    select * from {{ ref('signal_event_types') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

cart_event_types as (

    select distinct event_type from signal_event_types
    where signal_group = 'cart'

),

events_to_date as (

    select
        events.customer_key,
        events.event_id,
        events.event_type,
        events.channel,
        events.signal_polarity,
        events.is_touchpoint,
        events.is_conversion,
        events.occurred_at,
        cart_event_types.event_type is not null as is_cart_event
    from events
    cross join evaluation
    left join cart_event_types
        on events.event_type = cart_event_types.event_type
    where events.occurred_at <= evaluation.as_of_at

),

with_next_conversion as (

    select
        *,
        -- the first conversion at or after the event (the same instant counts)
        min(case when is_conversion then occurred_at end) over (
            partition by customer_key
            order by occurred_at
            range between current row and unbounded following
        ) as next_conversion_at
    from events_to_date

),

cart_events as (

    select
        *,
        lead(occurred_at) over (
            partition by customer_key order by occurred_at, event_id
        ) as next_cart_event_at,
        {{ dbt.dateadd('hour', abandonment_window_hours, 'occurred_at') }} as follow_up_ended_at
    from with_next_conversion
    where is_cart_event

),

abandonments as (

    select
        cart_events.customer_key,
        cart_events.event_id as cart_event_id,
        cart_events.event_type as cart_event_type,
        cart_events.channel as cart_channel,
        cart_events.occurred_at as abandoned_at,
        cart_events.follow_up_ended_at,
        {{ dbt.dateadd('day', recovery_window_days, 'cart_events.follow_up_ended_at') }}
            as recovery_ended_at,
        evaluation.as_of_at
    from cart_events
    cross join evaluation
    where
        cart_events.follow_up_ended_at <= evaluation.as_of_at
        and (
            cart_events.next_conversion_at is null
            or cart_events.next_conversion_at > cart_events.follow_up_ended_at
        )
        and (
            cart_events.next_cart_event_at is null
            or cart_events.next_cart_event_at > cart_events.follow_up_ended_at
        )

),

-- what the customer did after leaving the cart, up to the recovery window end
outcomes as (

    select
        abandonments.cart_event_id,
        min(
            case
                when
                    events_to_date.occurred_at <= abandonments.follow_up_ended_at
                    and events_to_date.is_touchpoint
                    and events_to_date.channel = {{ follow_up_channel }}
                    then events_to_date.occurred_at
            end
        ) as first_follow_up_at,
        sum(
            case
                when
                    events_to_date.occurred_at <= abandonments.follow_up_ended_at
                    and events_to_date.is_touchpoint
                    and events_to_date.channel = {{ follow_up_channel }}
                    then 1
                else 0
            end
        ) as follow_up_touchpoints,
        min(
            case
                when
                    events_to_date.occurred_at > abandonments.follow_up_ended_at
                    and (
                        events_to_date.is_conversion
                        or (
                            events_to_date.channel <> {{ follow_up_channel }}
                            and (
                                events_to_date.is_touchpoint
                                or events_to_date.signal_polarity <> 'neutral'
                            )
                        )
                    )
                    then events_to_date.occurred_at
            end
        ) as returned_at,
        min(
            case
                when
                    events_to_date.occurred_at > abandonments.follow_up_ended_at
                    and events_to_date.is_conversion
                    then events_to_date.occurred_at
            end
        ) as purchased_at
    from abandonments
    inner join events_to_date
        on
            abandonments.customer_key = events_to_date.customer_key
            and abandonments.abandoned_at < events_to_date.occurred_at
            and abandonments.recovery_ended_at >= events_to_date.occurred_at
    group by abandonments.cart_event_id

),

final as (

    select
        -- ids
        abandonments.cart_event_id,
        abandonments.customer_key,

        -- strings
        abandonments.cart_event_type,
        abandonments.cart_channel,

        -- numerics
        coalesce(outcomes.follow_up_touchpoints, 0) as follow_up_touchpoints,

        -- booleans
        outcomes.first_follow_up_at is not null as is_followed_up,
        outcomes.returned_at is not null as has_returned,
        outcomes.purchased_at is not null as has_purchased,
        abandonments.recovery_ended_at <= abandonments.as_of_at as is_outcome_complete,

        -- timestamps
        abandonments.abandoned_at,
        abandonments.follow_up_ended_at,
        abandonments.recovery_ended_at,
        outcomes.first_follow_up_at,
        outcomes.returned_at,
        outcomes.purchased_at

    from abandonments
    left join outcomes
        on abandonments.cart_event_id = outcomes.cart_event_id

)

select * from final
