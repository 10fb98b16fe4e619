-- rpt_channel_transitions: "After a touchpoint on one channel, where do
-- customers go next?"
-- Over the whole history (months add up; distinct customers do not): the
-- share of each channel's outgoing transitions that go to each channel,
-- stays included, switches first.
select
    from_channel,
    to_channel,
    sum(transitions) as transitions,
    round(
        cast(sum(transitions) as double precision)
        / nullif(sum(sum(transitions)) over (partition by from_channel), 0), 3
    ) as share_of_from_channel_outgoing
from {{ ref('rpt_channel_transitions') }}
where
    period_grain = 'month'
    and from_channel <> 'all'
    and to_channel <> 'all'
group by from_channel, to_channel
having sum(transitions) > 0
order by from_channel asc, share_of_from_channel_outgoing desc
