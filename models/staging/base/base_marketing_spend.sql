{#- Every received spend row, parsed and classified (SPEC section 1).
    Spend has no key: every valid row is a line item and counts. -#}
{%- set raw_columns = journeys_input_contract('marketing_spend')['columns'] -%}

with

source as (

    select * from {{ journeys_input('marketing_spend') }}

),

parsed as (

    select
        -- raw text, exactly as received
        {%- for column in raw_columns %}
            {{ column }},
        {%- endfor %}

        -- ids
        nullif({{ journeys_trim('campaign_id') }}, '') as parsed_campaign_id,

        -- strings: a missing channel is 'unknown'
        coalesce(lower(nullif({{ journeys_trim('channel') }}, '')), 'unknown') as parsed_channel,

        -- numerics
        {{ journeys_parse_number('amount') }} as parsed_amount,

        -- dates
        cast({{ journeys_parse_timestamp('spend_date') }} as date) as parsed_spend_date

    from source

),

checked as (

    select
        *,
        case
            when parsed_spend_date is null
                then 'invalid_spend_date'
            when parsed_amount is null or parsed_amount < 0
                then 'invalid_amount'
        end as rejection_reason
    from parsed

),

classified as (

    {{ journeys_classify_rows(
        'checked', raw_columns=raw_columns, key_columns=[], order_by=[]
    ) }}

),

final as (

    select
        'marketing_spend' as input_name,
        cast(null as {{ dbt.type_string() }}) as record_key,
        row_status,
        -- exact copies are dropped before any check: no reason for them
        case when row_status = 'rejected' then rejection_reason end as rejection_reason,
        duplicate_kind,
        key_row_number,
        raw_values,

        -- ids
        {{ dbt.hash(dbt.concat([
            journeys_json_object(raw_columns), "'|'",
            'cast(key_row_number as ' ~ dbt.type_string() ~ ')'
        ])) }} as spend_line_id,
        parsed_campaign_id as campaign_id,

        -- strings
        parsed_channel as channel,

        -- numerics
        parsed_amount as amount,

        -- dates
        parsed_spend_date as spend_date

    from classified

)

select * from final
