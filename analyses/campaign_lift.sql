-- rpt_campaign_impact: "Which campaigns moved journeys along, beyond the gap
-- their audience already had before they started?"
-- Per campaign: progression of the audience's journey-weeks against
-- comparable ones during the campaign, the lift before it, and the change.
select
    during.campaign_id,
    during.campaign_name,
    during.channel,
    during.window_start,
    during.weeks,
    during.audience_customers,
    during.touched_journey_weeks,
    round(cast(during.touched_progression_rate as numeric), 3) as touched_rate,
    round(cast(during.comparable_progression_rate as numeric), 3) as comparable_rate,
    round(cast(during.progression_lift as numeric), 3) as lift_during,
    round(cast(before_campaign.progression_lift as numeric), 3) as lift_before,
    round(cast(during.lift_change_from_before as numeric), 3) as lift_change
from {{ ref('rpt_campaign_impact') }} as during
inner join {{ ref('rpt_campaign_impact') }} as before_campaign
    on
        during.campaign_id = before_campaign.campaign_id
        and before_campaign.phase = 'before'
where during.phase = 'during'
order by during.lift_change_from_before desc nulls last, during.progression_lift desc nulls last
