-- fct_stage_transitions: "How long do customers sit in each stage before
-- moving on, and how often do they skip stages?"
select
    from_stage,
    to_stage,
    count(*) as transitions,
    round(avg(seconds_in_from_stage) / 86400.0, 2) as avg_days_in_from_stage,
    sum(case when stages_skipped > 0 then 1 else 0 end) as skips
from {{ ref('fct_stage_transitions') }}
group by from_stage, to_stage, from_stage_order, to_stage_order
order by from_stage_order, to_stage_order
