{#- Clean campaigns: one per campaign_id. -#}
with

base_campaigns as (

    select * from {{ ref('base_campaigns') }}
    where row_status = 'clean'

),

final as (

    select
        -- ids
        campaign_id,

        -- strings
        campaign_name,
        channel,

        -- timestamps
        started_at,
        ended_at

    from base_campaigns

)

select * from final
