-- rpt_funnel: "Of the people who view a product, how many buy within the
-- conversion window, how long does each step take, and does it depend on the
-- channel that first brought them?"
-- Over every entry month (periods add up): entries, conversion from the first
-- step and the mean minutes from the previous step, per first-touch channel.
select
    first_touch_channel,
    step_number,
    step_event_type,
    sum(entries_reached) as entries_reached,
    round(
        cast(sum(entries_reached) as double precision) / nullif(sum(entries), 0), 3
    ) as conversion_from_first_step,
    round(
        cast(
            sum(mean_seconds_from_previous_step * entries_reached)
            / nullif(sum(case
                when mean_seconds_from_previous_step is not null
                    then entries_reached
            end), 0) / 60 as numeric
        ),
        1
    ) as mean_minutes_from_previous_step
from {{ ref('rpt_funnel') }}
where
    period_grain = 'month'
    and segment = 'all'
    and journey_pattern = 'all'
group by first_touch_channel, step_number, step_event_type
order by first_touch_channel, step_number
