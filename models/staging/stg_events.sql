{#-
    Clean events (SPEC sections 1, 3 and 4): categorised by the event-type
    mapping, stitched to a customer_key, ordered per customer by
    (occurred_at, event_id) and sessionized.
-#}
{%- set session_timeout_minutes = journeys_positive_number_var('session_timeout_minutes', 30) -%}

with

base_events as (

    select * from {{ ref('base_events') }}
    where row_status = 'clean'

),

event_type_mapping as (

    select * from {{ ref('event_type_mapping') }}

),

categorised as (

    select
        base_events.event_id,
        base_events.customer_id,
        base_events.anonymous_id,
        base_events.campaign_id,
        base_events.event_type,
        base_events.channel,
        base_events.revenue,
        base_events.occurred_at,
        nullif(trim(event_type_mapping.stage), '') as mapped_stage,
        coalesce(event_type_mapping.is_touchpoint, false) as is_touchpoint,
        coalesce(event_type_mapping.is_conversion, false) as is_conversion,
        coalesce(event_type_mapping.signal_polarity, 'neutral') as signal_polarity,
        coalesce(event_type_mapping.signal_weight, 0) as signal_weight,
        coalesce(event_type_mapping.is_friction, false) as is_friction
    from base_events
    inner join event_type_mapping
        on base_events.event_type = event_type_mapping.event_type

),

-- SPEC 3: an anonymous_id is linked to the customer_id of the earliest
-- event (ties broken by event_id) that carries both.
identity_candidates as (

    select
        anonymous_id,
        customer_id,
        row_number() over (
            partition by anonymous_id
            order by occurred_at, event_id
        ) as candidate_rank
    from categorised
    where anonymous_id is not null and customer_id is not null

),

identity_links as (

    select
        anonymous_id,
        customer_id as linked_customer_id
    from identity_candidates
    where candidate_rank = 1

),

stitched as (

    select
        categorised.*,
        identity_links.linked_customer_id,
        coalesce(
            categorised.customer_id,
            identity_links.linked_customer_id,
            'anon:' || categorised.anonymous_id
        ) as customer_key,
        (categorised.customer_id is not null or identity_links.linked_customer_id is not null)
            as is_identified
    from categorised
    left join identity_links
        on categorised.anonymous_id = identity_links.anonymous_id

),

-- SPEC 4: a session starts at a customer's first event and at every event
-- more than session_timeout_minutes after the previous one (a gap of
-- exactly the timeout stays in the session).
ordered as (

    select
        *,
        lag(occurred_at) over (
            partition by customer_key
            order by occurred_at, event_id
        ) as previous_occurred_at
    from stitched

),

session_starts as (

    select
        *,
        case
            when previous_occurred_at is null then 1
            when occurred_at > {{ dbt.dateadd(
                    'minute', session_timeout_minutes, 'previous_occurred_at') }} then 1
            else 0
        end as is_session_start
    from ordered

),

sessionized as (

    select
        *,
        row_number() over (
            partition by customer_key
            order by occurred_at, event_id
        ) as event_sequence_number,
        sum(is_session_start) over (
            partition by customer_key
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from session_starts

),

final as (

    select
        -- ids
        event_id,
        customer_key,
        {{ dbt.hash(dbt.concat([
            'customer_key', "'|s|'", 'cast(session_number as ' ~ dbt.type_string() ~ ')'
        ])) }} as session_id,
        customer_id,
        anonymous_id,
        linked_customer_id,
        campaign_id,

        -- strings
        event_type,
        channel,
        mapped_stage,
        signal_polarity,

        -- numerics
        revenue,
        signal_weight,
        event_sequence_number,
        session_number,

        -- booleans
        is_identified,
        is_touchpoint,
        is_conversion,
        is_friction,
        is_session_start = 1 as is_session_start,

        -- timestamps
        occurred_at,
        previous_occurred_at

    from sessionized

)

select * from final
