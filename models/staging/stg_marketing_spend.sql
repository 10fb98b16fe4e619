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
        channel,

        -- numerics
        amount,

        -- dates
        spend_date

    from base_marketing_spend

)

select * from final
