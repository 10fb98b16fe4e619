{#-
    Clean events (SPEC sections 1, 3 and 4): categorised by the event-type
    mapping, stitched to a customer_key, ordered per customer by
    (occurred_at, event_id) and sessionized.

    Incremental (DuckDB): a run looks only at the events whose base rows
    were classified again since its previous run (base_events' newer
    batches; every event when the mapping or a timeout changed, which the
    stored _config_signature tells). It compares them with the previous
    state by (event_id, row hash), finds every customer key whose history
    changed (old and new keys of changed events, and every key touched by an
    anonymous id or customer id those events carry, since identity links can
    move), and recomputes the whole history of exactly those keys from the
    previous state plus the changed events. Session numbers are cumulative,
    so nothing less than a key's whole history is exact; nothing more is
    needed. Every row written carries the run's _batch_at; downstream models
    recompute the keys of the latest batch.
-#}
{%- set session_timeout_minutes = journeys_positive_number_var('session_timeout_minutes', 30) -%}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}

{#- Everything a clean event's row depends on besides its own values. -#}
{%- set config_signature_sql -%}
    select {{ dbt.hash(
        journeys_string_agg_ordered(dbt.concat([
            'event_type', "'|'", "coalesce(stage, '')", "'|'",
            "cast(is_touchpoint as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(is_conversion as " ~ dbt.type_string() ~ ")", "'|'",
            "coalesce(signal_polarity, '')", "'|'",
            "cast(signal_weight as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(is_friction as " ~ dbt.type_string() ~ ")"
        ]), 'event_type', "';'")
        ~ " || '|" ~ session_timeout_minutes ~ "|" ~ journey_timeout_days
        ~ journeys_pseudonym_fingerprint() ~ "'") }}
    from {{ ref('event_type_mapping') }}
{%- endset -%}
{%- set config_changed = is_incremental()
        and journeys_config_changed(this, '_config_signature', config_signature_sql) -%}

{{ config(
    materialized=journeys_event_materialization(),
    incremental_strategy='delete+insert',
    unique_key='event_id',
    on_schema_change='fail',
) }}

with

base_events as (

    select * from {{ ref('base_events') }}
    {%- if is_incremental() and not config_changed %}
    -- base rows classified since this model's previous run
        where _batch_at > (select max(previous_batch._batch_at) from {{ this }} as previous_batch)
    {%- endif %}

),

clean_events as (

    select * from base_events
    where row_status = 'clean'

),

event_type_mapping as (

    select * from {{ ref('event_type_mapping') }}

),

categorised as (

    select
        base_events.event_id,
        -- identifiers: a keyed hash when var pseudonymize_identifiers is on
        {{ journeys_pseudonymize('base_events.customer_id') }} as customer_id,
        {{ journeys_pseudonymize('base_events.anonymous_id') }} as anonymous_id,
        base_events.campaign_id,
        base_events.event_type,
        -- a channel spelled like the reports' rollup row `all` is renamed (D190)
        {{ journeys_escape_rollup_label('base_events.channel') }} as channel,
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
        -- (so changing a timeout, or switching pseudonymisation or its key,
        -- recomputes everything on the next run)
        {{ journeys_row_hash([
            "'" ~ session_timeout_minutes ~ "|" ~ journey_timeout_days
                ~ journeys_pseudonym_fingerprint() ~ "'",
            'base_events.event_id', 'base_events.occurred_at', 'base_events.customer_id',
            'base_events.anonymous_id', 'base_events.event_type', 'base_events.channel',
            'base_events.campaign_id', 'base_events.revenue', 'event_type_mapping.stage',
            'event_type_mapping.is_touchpoint', 'event_type_mapping.is_conversion',
            'event_type_mapping.signal_polarity', 'event_type_mapping.signal_weight',
            'event_type_mapping.is_friction'
        ]) }} as row_hash
    from clean_events as base_events
    inner join event_type_mapping
        on base_events.event_type = event_type_mapping.event_type

),

{% if is_incremental() %}

    previous_events as (

        select * from {{ this }}

    ),

    -- events whose base rows were classified again: only they can differ
    batch_event_ids as (

        select distinct event_id
        from base_events
        where event_id is not null

    ),

    -- events added, changed or gone since the previous run
    changed_events as (

        select
            categorised.event_id,
            categorised.customer_id,
            categorised.anonymous_id
        from categorised
        left join previous_events
            on categorised.event_id = previous_events.event_id
        where
            previous_events.event_id is null
            or previous_events._row_hash <> categorised.row_hash

        union all

        select
            previous_events.event_id,
            previous_events.customer_id,
            previous_events.anonymous_id
        from previous_events
        left join categorised
            on previous_events.event_id = categorised.event_id
        where
            previous_events.event_id in (select batch_event_ids.event_id from batch_event_ids)
            and (
                categorised.event_id is null
                or previous_events._row_hash <> categorised.row_hash
            )

    ),

    changed_anonymous_ids as (

        select distinct anonymous_id from changed_events
        where anonymous_id is not null

    ),

    changed_customer_ids as (

        select distinct customer_id from changed_events
        where customer_id is not null

    ),

    -- the previous rows of events that were not classified again
    kept_events as (

        select * from previous_events
        where event_id not in (select batch_event_ids.event_id from batch_event_ids)

    ),

    -- SPEC 3 again for the anonymous ids whose link may have moved (a
    -- changed event carries them), over the new state
    identity_candidates as (

        select
            anonymous_id,
            customer_id,
            row_number() over (
                partition by anonymous_id
                order by occurred_at, event_id
            ) as candidate_rank
        from (
            select
                kept_events.anonymous_id,
                kept_events.customer_id,
                kept_events.occurred_at,
                kept_events.event_id
            from kept_events
            where
                kept_events.customer_id is not null
                and kept_events.anonymous_id in (
                    select changed_anonymous_ids.anonymous_id from changed_anonymous_ids
                )

            union all

            select
                categorised.anonymous_id,
                categorised.customer_id,
                categorised.occurred_at,
                categorised.event_id
            from categorised
            where
                categorised.customer_id is not null
                and categorised.anonymous_id in (
                    select changed_anonymous_ids.anonymous_id from changed_anonymous_ids
                )
        ) as linking_events

    ),

    moved_links as (

        select
            anonymous_id,
            customer_id as linked_customer_id
        from identity_candidates
        where candidate_rank = 1

    ),

    -- keys before the run of every previous row sharing an id with a
    -- changed event
    affected_previous_keys as (

        select customer_key
        from previous_events
        where
            event_id in (select changed_events.event_id from changed_events)
            or anonymous_id in (
                select changed_anonymous_ids.anonymous_id from changed_anonymous_ids
            )
            or customer_id in (
                select changed_customer_ids.customer_id from changed_customer_ids
            )

    ),

    -- the new state of every event that can belong to an affected key: the
    -- kept rows of the affected previous keys (a kept row sharing an id with
    -- a changed event is one of them: its own key is affected) and every
    -- event classified again; links recomputed where they can move
    candidates as (

        select
            kept_events.event_id,
            kept_events.customer_id,
            kept_events.anonymous_id,
            kept_events.campaign_id,
            kept_events.event_type,
            kept_events.channel,
            kept_events.revenue,
            kept_events.occurred_at,
            kept_events.mapped_stage,
            kept_events.is_touchpoint,
            kept_events.is_conversion,
            kept_events.signal_polarity,
            kept_events.signal_weight,
            kept_events.is_friction,
            kept_events._row_hash as row_hash,
            case
                when
                    kept_events.anonymous_id in (
                        select changed_anonymous_ids.anonymous_id from changed_anonymous_ids
                    )
                    then moved_links.linked_customer_id
                else kept_events.linked_customer_id
            end as linked_customer_id,
            kept_events.customer_key as _previous_customer_key
        from kept_events
        left join moved_links
            on kept_events.anonymous_id = moved_links.anonymous_id
        where
            kept_events.customer_key in (
                select affected_previous_keys.customer_key from affected_previous_keys
            )

        union all

        select
            categorised.event_id,
            categorised.customer_id,
            categorised.anonymous_id,
            categorised.campaign_id,
            categorised.event_type,
            categorised.channel,
            categorised.revenue,
            categorised.occurred_at,
            categorised.mapped_stage,
            categorised.is_touchpoint,
            categorised.is_conversion,
            categorised.signal_polarity,
            categorised.signal_weight,
            categorised.is_friction,
            categorised.row_hash,
            case
                when
                    categorised.anonymous_id in (
                        select changed_anonymous_ids.anonymous_id from changed_anonymous_ids
                    )
                    then moved_links.linked_customer_id
                else previous_events.linked_customer_id
            end as linked_customer_id,
            previous_events.customer_key as _previous_customer_key
        from categorised
        left join moved_links
            on categorised.anonymous_id = moved_links.anonymous_id
        left join previous_events
            on categorised.event_id = previous_events.event_id

    ),

    stitched as (

        select
            *,
            coalesce(customer_id, linked_customer_id, 'anon:' || anonymous_id) as customer_key,
            (customer_id is not null or linked_customer_id is not null) as is_identified
        from candidates

    ),

    -- every key whose history may differ: the keys, before and after, of
    -- the changed events and of every event sharing an id with them
    affected_keys as (

        select affected_previous_keys.customer_key from affected_previous_keys

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
            event_id,
            customer_id,
            anonymous_id,
            campaign_id,
            event_type,
            channel,
            revenue,
            occurred_at,
            mapped_stage,
            is_touchpoint,
            is_conversion,
            signal_polarity,
            signal_weight,
            is_friction,
            row_hash,
            linked_customer_id,
            customer_key,
            is_identified,
            _previous_customer_key
        from stitched
        where customer_key in (select affected_keys.customer_key from affected_keys)

    ),

{% else %}

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

    to_sessionize as (

        select
            categorised.*,
            identity_links.linked_customer_id,
            coalesce(
                categorised.customer_id,
                identity_links.linked_customer_id,
                'anon:' || categorised.anonymous_id
            ) as customer_key,
            (
                categorised.customer_id is not null
                or identity_links.linked_customer_id is not null
            ) as is_identified,
            cast(null as {{ dbt.type_string() }}) as _previous_customer_key
        from categorised
        left join identity_links
            on categorised.anonymous_id = identity_links.anonymous_id

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
        ({{ config_signature_sql }}) as _config_signature,
        {{ journeys_batch_at() }} as _batch_at

    from sessionized

)

select * from final
