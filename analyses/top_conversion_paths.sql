-- fct_conversion_paths: "Which sequences of channels lead to purchases,
-- and how long do they take?"
-- The most frequent paths to a conversion (repeats kept, 'direct' for none),
-- with their revenue and how long they take from the first touch.
select
    channel_path,
    count(*) as conversions,
    round(sum(coalesce(revenue, 0)), 0) as revenue,
    round(avg(touchpoint_count), 1) as avg_touchpoints,
    round(avg(days_from_first_touch), 1) as avg_days_from_first_touch,
    sum(case when conversion_number > 1 then 1 else 0 end) as repeat_conversions
from {{ ref('fct_conversion_paths') }}
group by channel_path
order by conversions desc, channel_path asc
limit 20
