-- rpt_paths: "What do journeys usually look like, and which variants convert?"
-- The five most common stage paths and channel paths (repeats collapsed).
select
    path_type,
    path_rank,
    journey_path,
    journeys,
    round(cast(share_of_journeys as numeric), 3) as share_of_journeys,
    round(cast(conversion_rate as numeric), 3) as conversion_rate,
    round(cast(median_duration_days as numeric), 2) as median_duration_days
from {{ ref('rpt_paths') }}
where path_rank <= 5
order by path_type, path_rank
