{#- Every received CRM row, parsed and classified (SPEC section 1). -#}
{%- set raw_columns = journeys_input_contract('customers')['columns'] -%}

with

source as (

    select * from {{ journeys_input('customers') }}

),

parsed as (

    select
        -- raw text, exactly as received
        {%- for column in raw_columns %}
            {{ column }},
        {%- endfor %}

        -- ids
        nullif({{ journeys_trim('customer_id') }}, '') as parsed_customer_id,

        -- strings: a missing segment is 'unknown'
        coalesce(nullif({{ journeys_trim('segment') }}, ''), 'unknown') as parsed_segment,
        nullif({{ journeys_trim('region') }}, '') as parsed_region,

        -- timestamps (UTC); signed_up_at may be missing
        nullif({{ journeys_trim('signed_up_at') }}, '') as signed_up_at_text,
        {{ journeys_parse_timestamp('signed_up_at') }} as parsed_signed_up_at

    from source

),

checked as (

    select
        *,
        case
            when parsed_customer_id is null
                then 'missing_customer_id'
            when signed_up_at_text is not null and parsed_signed_up_at is null
                then 'invalid_signed_up_at'
        end as rejection_reason
    from parsed

),

classified as (

    {{ journeys_classify_rows(
        'checked',
        raw_columns=raw_columns,
        key_columns=['parsed_customer_id'],
        order_by=[
            'parsed_signed_up_at nulls last', 'parsed_segment', 'parsed_region nulls last'
        ]
    ) }}

),

final as (

    select
        'customers' as input_name,
        parsed_customer_id as record_key,
        row_status,
        -- exact copies are dropped before any check: no reason for them
        case when row_status = 'rejected' then rejection_reason end as rejection_reason,
        duplicate_kind,
        key_row_number,
        raw_values,

        -- ids
        parsed_customer_id as customer_id,

        -- strings
        parsed_segment as segment,
        parsed_region as region,

        -- timestamps
        parsed_signed_up_at as signed_up_at

    from classified

)

select * from final
