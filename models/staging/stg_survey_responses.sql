{#- Clean survey responses: one per response_id. -#}
with

base_survey_responses as (

    select * from {{ ref('base_survey_responses') }}
    where row_status = 'clean'

),

final as (

    select
        -- ids
        response_id,
        customer_id,

        -- strings
        survey_type,
        -- a channel spelled like the reports' rollup row `all` is renamed
        {{ journeys_escape_rollup_label('channel') }} as channel,

        -- numerics
        score,

        -- timestamps
        responded_at

    from base_survey_responses

)

select * from final
