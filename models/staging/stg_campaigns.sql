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
        -- a channel spelled like the reports' rollup row `all` is renamed
        {{ journeys_escape_rollup_label('channel') }} as channel,

        -- timestamps
        started_at,
        ended_at

    from base_campaigns

)

select * from final
