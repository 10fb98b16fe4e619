-- rpt_satisfaction: "How satisfied are customers on each channel, and is it
-- improving?" CSAT and NPS per channel and month.
select
    period_start,
    channel,
    csat_responses,
    round(csat_pct, 1) as csat_pct,
    nps_responses,
    round(nps, 1) as nps
from {{ ref('rpt_satisfaction') }}
where period_grain = 'month' and (csat_responses > 0 or nps_responses > 0)
order by period_start desc, channel asc
