{#-
    The input contract of SPEC section 1: for each input, its columns in
    order and which of them a file must carry. Every other contract column
    may be absent from a file and is then read as null.
-#}
{% macro journeys_input_contract(input_name=none) %}
    {%- set contract = {
        'events': {
            'columns': ['event_id', 'occurred_at', 'customer_id', 'anonymous_id',
                        'event_type', 'channel', 'campaign_id', 'revenue'],
            'required': ['event_id', 'occurred_at', 'event_type', 'channel'],
            'one_of': ['customer_id', 'anonymous_id'],
            'optional_input': false,
        },
        'customers': {
            'columns': ['customer_id', 'signed_up_at', 'segment', 'region'],
            'required': ['customer_id'],
            'one_of': [],
            'optional_input': true,
        },
        'survey_responses': {
            'columns': ['response_id', 'customer_id', 'responded_at', 'survey_type',
                        'score', 'channel'],
            'required': ['response_id', 'customer_id', 'responded_at', 'survey_type', 'score'],
            'one_of': [],
            'optional_input': true,
        },
        'marketing_spend': {
            'columns': ['spend_date', 'channel', 'campaign_id', 'amount'],
            'required': ['spend_date', 'channel', 'amount'],
            'one_of': [],
            'optional_input': true,
        },
        'campaigns': {
            'columns': ['campaign_id', 'campaign_name', 'channel', 'started_at', 'ended_at'],
            'required': ['campaign_id'],
            'one_of': [],
            'optional_input': true,
        },
    } -%}
    {%- if input_name is none -%}
        {{ return(contract) }}
    {%- endif -%}
    {%- if input_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "journeys: unknown input '" ~ input_name ~ "'; expected one of "
            ~ (contract.keys() | list | join(', '))) }}
    {%- endif -%}
    {{ return(contract[input_name]) }}
{% endmacro %}
