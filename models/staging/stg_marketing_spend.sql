{#- Clean marketing spend line items. -#}
with

base_marketing_spend as (

    select * from {{ ref('base_marketing_spend') }}
    where row_status = 'clean'

),

final as (

    select
        -- ids
        spend_line_id,
        campaign_id,

        -- strings
        -- a channel spelled like the reports' rollup row `all` is renamed
        {{ journeys_escape_rollup_label('channel') }} as channel,

        -- numerics
        amount,

        -- dates
        spend_date

    from base_marketing_spend

)

select * from final
