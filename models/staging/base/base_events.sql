{#-
    Every received event row, parsed and classified (SPEC section 1):
    row_status is clean, rejected (with rejection_reason) or duplicate.
    Reasons are checked in the SPEC's order; the first that applies wins.

    Incremental on DuckDB with raw_data_dir (files are append-only): a run
    reads the new files and, from the files read before, only the rows
    sharing a key with a new row, rows rejected as future (the clock has
    moved) and rows with no key; it classifies them again and replaces
    every row of those keys (delete+insert on _partition_key). Rows are
    classified against the rows sharing their key only, so this equals a
    full build. Every row written carries the run's _batch_at; stg_events
    looks at that batch only.
-#}
{%- set raw_columns = journeys_input_contract('events')['columns'] -%}
{%- set future_tolerance_days = journeys_positive_number_var(
        'future_tolerance_days', 1, allow_zero=true) -%}

{#- Which rows are clean also depends on the mapping's event types and
    the future tolerance: when they change, an incremental run would keep
    stale classifications, so it stops and asks for a full refresh. -#}
{%- set rules_signature_sql -%}
    select {{ dbt.hash(
        journeys_string_agg_ordered('event_type', 'event_type', "','")
        ~ " || '|future_tolerance_days=" ~ future_tolerance_days ~ "'") }}
    from {{ ref('event_type_mapping') }}
{%- endset -%}
{%- if is_incremental()
        and journeys_config_changed(this, '_rules_signature', rules_signature_sql) -%}
    {{ exceptions.raise_compiler_error(
        "journeys: the event types of seed event_type_mapping or var "
        ~ "future_tolerance_days changed since base_events was built; they decide "
        ~ "which rows are clean: rerun with --full-refresh") }}
{%- endif %}

{{ config(
    materialized=journeys_file_input_materialization(),
    incremental_strategy='delete+insert',
    unique_key='_partition_key',
    on_schema_change='fail',
) }}

with

source as (

    select * from {{ journeys_input_increment(
        'events', "nullif(" ~ journeys_trim('event_id') ~ ", '')", 'future_occurred_at') }}

),

event_types as (

    select event_type from {{ ref('event_type_mapping') }}

),

parsed as (

    select
        -- raw text, exactly as received
        {%- for column in raw_columns %}
            {{ column }},
        {%- endfor %}
        _source_file,
        _source_signature,

        -- ids
        nullif({{ journeys_trim('event_id') }}, '') as parsed_event_id,
        nullif({{ journeys_trim('customer_id') }}, '') as parsed_customer_id,
        nullif({{ journeys_trim('anonymous_id') }}, '') as parsed_anonymous_id,
        nullif({{ journeys_trim('campaign_id') }}, '') as parsed_campaign_id,

        -- categories: trimmed and lower-cased; a missing channel is 'unknown'
        lower(nullif({{ journeys_trim('event_type') }}, '')) as parsed_event_type,
        coalesce(lower(nullif({{ journeys_trim('channel') }}, '')), 'unknown') as parsed_channel,

        -- numerics
        nullif({{ journeys_trim('revenue') }}, '') as revenue_text,
        {{ journeys_parse_number('revenue') }} as parsed_revenue,

        -- timestamps (UTC)
        {{ journeys_parse_timestamp('occurred_at') }} as parsed_occurred_at

    from source

),

checked as (

    select
        *,
        case
            when parsed_event_id is null
                then 'missing_event_id'
            when parsed_occurred_at is null
                then 'invalid_occurred_at'
            when parsed_customer_id is null and parsed_anonymous_id is null
                then 'missing_identity'
            when
                parsed_event_type is null
                or parsed_event_type not in (select event_types.event_type from event_types)
                then 'unknown_event_type'
            when
                revenue_text is not null
                and (parsed_revenue is null or parsed_revenue < 0)
                then 'invalid_revenue'
            when parsed_occurred_at > {{ dbt.dateadd(
                    'day', future_tolerance_days, journeys_current_timestamp_utc()) }}
                then 'future_occurred_at'
        end as rejection_reason
    from parsed

),

classified as (

    {{ journeys_classify_rows(
        'checked',
        raw_columns=raw_columns,
        key_columns=['parsed_event_id'],
        order_by=[
            'parsed_occurred_at', 'parsed_event_type', 'parsed_channel',
            'parsed_customer_id nulls last', 'parsed_anonymous_id nulls last',
            'parsed_campaign_id nulls last', 'parsed_revenue nulls last'
        ]
    ) }}

),

final as (

    select
        'events' as input_name,
        parsed_event_id as record_key,
        row_status,
        -- exact copies are dropped before any check: no reason for them
        case when row_status = 'rejected' then rejection_reason end as rejection_reason,
        duplicate_kind,
        key_row_number,
        raw_values,

        -- ids
        parsed_event_id as event_id,
        parsed_customer_id as customer_id,
        parsed_anonymous_id as anonymous_id,
        parsed_campaign_id as campaign_id,

        -- strings
        parsed_event_type as event_type,
        parsed_channel as channel,

        -- numerics
        parsed_revenue as revenue,

        -- timestamps
        parsed_occurred_at as occurred_at,

        -- incremental bookkeeping: the rows sharing a key are classified
        -- together ('' stands for the missing key), the file a row came
        -- from, and the run that last classified it
        coalesce(parsed_event_id, '') as _partition_key,
        _source_file,
        _source_signature,
        ({{ rules_signature_sql }}) as _rules_signature,
        {{ journeys_batch_at() }} as _batch_at

    from classified

)

select * from final
