{#- Every received survey response, parsed and classified (SPEC section 1).
    Scores must be numbers inside the survey type's scale. -#}
{%- set raw_columns = journeys_input_contract('survey_responses')['columns'] -%}

with

source as (

    select * from {{ journeys_input('survey_responses') }}

),

parsed as (

    select
        -- raw text, exactly as received
        {%- for column in raw_columns %}
            {{ column }},
        {%- endfor %}

        -- ids
        nullif({{ journeys_trim('response_id') }}, '') as parsed_response_id,
        nullif({{ journeys_trim('customer_id') }}, '') as parsed_customer_id,

        -- strings: trimmed and lower-cased; a missing channel is 'unknown'
        lower(nullif({{ journeys_trim('survey_type') }}, '')) as parsed_survey_type,
        coalesce(lower(nullif({{ journeys_trim('channel') }}, '')), 'unknown') as parsed_channel,

        -- numerics
        {{ journeys_parse_number('score') }} as parsed_score,

        -- timestamps (UTC)
        {{ journeys_parse_timestamp('responded_at') }} as parsed_responded_at

    from source

),

checked as (

    select
        *,
        case
            when parsed_response_id is null
                then 'missing_response_id'
            when parsed_responded_at is null
                then 'invalid_responded_at'
            when parsed_customer_id is null
                then 'missing_identity'
            when
                parsed_survey_type is null
                or parsed_survey_type not in ('csat', 'ces', 'nps')
                then 'invalid_survey_type'
            when
                parsed_score is null
                or (parsed_survey_type = 'csat' and parsed_score not between 1 and 5)
                or (parsed_survey_type = 'ces' and parsed_score not between 1 and 7)
                or (parsed_survey_type = 'nps' and parsed_score not between 0 and 10)
                then 'score_out_of_range'
        end as rejection_reason
    from parsed

),

classified as (

    {{ journeys_classify_rows(
        'checked',
        raw_columns=raw_columns,
        key_columns=['parsed_response_id'],
        order_by=[
            'parsed_responded_at', 'parsed_survey_type', 'parsed_channel',
            'parsed_customer_id', 'parsed_score'
        ]
    ) }}

),

final as (

    select
        'survey_responses' as input_name,
        parsed_response_id as record_key,
        row_status,
        -- exact copies are dropped before any check: no reason for them
        case when row_status = 'rejected' then rejection_reason end as rejection_reason,
        duplicate_kind,
        key_row_number,
        raw_values,

        -- ids
        parsed_response_id as response_id,
        parsed_customer_id as customer_id,

        -- strings
        parsed_survey_type as survey_type,
        parsed_channel as channel,

        -- numerics
        parsed_score as score,

        -- timestamps
        parsed_responded_at as responded_at

    from classified

)

select * from final
