-- fct_journeys: "Which channel paths lead to a purchase most often?"
-- Closed journeys by channel path (repeats collapsed), with conversion rate.
select
    channel_path,
    count(*) as journeys,
    sum(case when is_converted then 1 else 0 end) as converted_journeys,
    round(avg(case when is_converted then 100.0 else 0 end), 1) as conversion_pct,
    round(avg(duration_days), 1) as avg_duration_days
from {{ ref('fct_journeys') }}
where is_closed and channel_path is not null
group by channel_path
having count(*) >= 10
order by converted_journeys desc
limit 20
