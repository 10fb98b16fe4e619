{#- Every received campaign row, parsed and classified (SPEC section 1).
    started_at and ended_at may be missing (open-ended campaigns). -#}
{%- set raw_columns = journeys_input_contract('campaigns')['columns'] -%}

with

source as (

    select * from {{ journeys_input('campaigns') }}

),

parsed as (

    select
        -- raw text, exactly as received
        {%- for column in raw_columns %}
            {{ column }},
        {%- endfor %}

        -- ids
        nullif({{ journeys_trim('campaign_id') }}, '') as parsed_campaign_id,

        -- strings
        nullif({{ journeys_trim('campaign_name') }}, '') as parsed_campaign_name,
        coalesce(lower(nullif({{ journeys_trim('channel') }}, '')), 'unknown') as parsed_channel,

        -- timestamps (UTC)
        nullif({{ journeys_trim('started_at') }}, '') as started_at_text,
        nullif({{ journeys_trim('ended_at') }}, '') as ended_at_text,
        {{ journeys_parse_timestamp('started_at') }} as parsed_started_at,
        {{ journeys_parse_timestamp('ended_at') }} as parsed_ended_at

    from source

),

checked as (

    select
        *,
        case
            when parsed_campaign_id is null
                then 'missing_campaign_id'
            when started_at_text is not null and parsed_started_at is null
                then 'invalid_started_at'
            when ended_at_text is not null and parsed_ended_at is null
                then 'invalid_ended_at'
        end as rejection_reason
    from parsed

),

classified as (

    {{ journeys_classify_rows(
        'checked',
        raw_columns=raw_columns,
        key_columns=['parsed_campaign_id'],
        order_by=[
            'parsed_started_at nulls last', 'parsed_campaign_name nulls last',
            'parsed_channel', 'parsed_ended_at nulls last'
        ]
    ) }}

),

final as (

    select
        'campaigns' as input_name,
        parsed_campaign_id as record_key,
        row_status,
        -- exact copies are dropped before any check: no reason for them
        case when row_status = 'rejected' then rejection_reason end as rejection_reason,
        duplicate_kind,
        key_row_number,
        raw_values,

        -- ids
        parsed_campaign_id as campaign_id,

        -- strings
        parsed_campaign_name as campaign_name,
        parsed_channel as channel,

        -- timestamps
        parsed_started_at as started_at,
        parsed_ended_at as ended_at

    from classified

)

select * from final
