{#-
    Clean events (SPEC sections 1, 3 and 4): categorised by the event-type
    mapping, stitched to a customer_key, ordered per customer by
    (occurred_at, event_id) and sessionized.

    Incremental (DuckDB): a run compares the clean events with the previous
    state by (event_id, row hash), finds every customer key whose history
    changed (old and new keys of changed events, and every key touched by an
    anonymous id or customer id those events carry, since identity links can
    move) and recomputes the whole history of exactly those keys. Session
    numbers are cumulative, so nothing less than a key's whole history is
    exact; nothing more is needed. Every row written carries the run's
    _batch_at; downstream models recompute the keys of the latest batch.
-#}
{%- set session_timeout_minutes = journeys_positive_number_var('session_timeout_minutes', 30) -%}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}

{{ config(
    materialized=journeys_event_materialization(),
    incremental_strategy='delete+insert',
    unique_key='event_id',
    on_schema_change='fail',
) }}

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
        coalesce(event_type_mapping.is_friction, false) as is_friction,
        -- everything the event models derive from the row: a changed value,
        -- a changed mapping row or a changed timeout makes the event "changed"
        -- (so changing a timeout recomputes everything on the next run)
        {{ journeys_row_hash([
            "'" ~ session_timeout_minutes ~ "|" ~ journey_timeout_days ~ "'",
            'base_events.event_id', 'base_events.occurred_at', 'base_events.customer_id',
            'base_events.anonymous_id', 'base_events.event_type', 'base_events.channel',
            'base_events.campaign_id', 'base_events.revenue', 'event_type_mapping.stage',
            'event_type_mapping.is_touchpoint', 'event_type_mapping.is_conversion',
            'event_type_mapping.signal_polarity', 'event_type_mapping.signal_weight',
            'event_type_mapping.is_friction'
        ]) }} as row_hash
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

{% if is_incremental() %}

    previous_events as (

        select
            event_id,
            customer_key,
            customer_id,
            anonymous_id,
            _row_hash
        from {{ this }}

    ),

    -- events added, changed or gone since the previous run
    changed_events as (

        select
            stitched.event_id,
            stitched.customer_id,
            stitched.anonymous_id
        from stitched
        left join previous_events
            on stitched.event_id = previous_events.event_id
        where
            previous_events.event_id is null
            or previous_events._row_hash <> stitched.row_hash

        union all

        select
            previous_events.event_id,
            previous_events.customer_id,
            previous_events.anonymous_id
        from previous_events
        left join stitched
            on previous_events.event_id = stitched.event_id
        where
            stitched.event_id is null
            or previous_events._row_hash <> stitched.row_hash

    ),

    changed_anonymous_ids as (

        select distinct anonymous_id from changed_events
        where anonymous_id is not null

    ),

    changed_customer_ids as (

        select distinct customer_id from changed_events
        where customer_id is not null

    ),

    -- every key whose history may differ: the keys, before and after, of the
    -- changed events and of every event sharing an id with them
    affected_keys as (

        select previous_events.customer_key
        from previous_events
        where
            previous_events.event_id in (select changed_events.event_id from changed_events)
            or previous_events.anonymous_id in (
                select changed_anonymous_ids.anonymous_id from changed_anonymous_ids
            )
            or previous_events.customer_id in (
                select changed_customer_ids.customer_id from changed_customer_ids
            )

        union

        select stitched.customer_key
        from stitched
        where
            stitched.event_id in (select changed_events.event_id from changed_events)
            or stitched.anonymous_id in (
                select changed_anonymous_ids.anonymous_id from changed_anonymous_ids
            )
            or stitched.customer_id in (
                select changed_customer_ids.customer_id from changed_customer_ids
            )

    ),

    to_sessionize as (

        select
            stitched.*,
            previous_events.customer_key as _previous_customer_key
        from stitched
        left join previous_events
            on stitched.event_id = previous_events.event_id
        where stitched.customer_key in (select affected_keys.customer_key from affected_keys)

    ),

{% else %}

    to_sessionize as (

        select
            *,
            cast(null as {{ dbt.type_string() }}) as _previous_customer_key
        from stitched

    ),

{% endif %}

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
    from to_sessionize

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
        row_number() over customer_order as event_sequence_number,
        sum(is_session_start) over customer_order as session_number
    from session_starts
    window customer_order as (
        partition by customer_key
        order by occurred_at, event_id
        rows between unbounded preceding and current row
    )

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
        _previous_customer_key,

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
        previous_occurred_at,

        -- incremental bookkeeping
        row_hash as _row_hash,
        {{ journeys_batch_at() }} as _batch_at

    from sessionized

)

select * from final
