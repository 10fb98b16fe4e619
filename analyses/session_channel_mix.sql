-- fct_sessions: "Do visits stay on one channel, and do multi-channel
-- visits convert more?"
select
    channel_count,
    count(*) as sessions,
    round(avg(event_count), 1) as avg_events,
    round(avg(duration_seconds) / 60.0, 1) as avg_minutes,
    round(avg(case when has_conversion then 100.0 else 0 end), 2) as converting_pct
from {{ ref('fct_sessions') }}
group by channel_count
order by channel_count
