{#-
    How customers move between channels (issue 5, item 2): every pair of
    consecutive touchpoints of a journey (event order: occurred_at, then
    event_id) is one transition from the first touchpoint's channel to the
    second's. Same-channel pairs (stays) are transitions too, so a channel's
    outgoing shares sum to 1; is_channel_switch tells them apart (the
    switches are exactly fct_journeys.channel_switches).

    A transition belongs to the period of its second touchpoint (when the
    customer arrived on to_channel). One row per period grain x period x
    from_channel x to_channel, for every pair of touchpoint channels and
    'all' on either side; counts are 0 and shares null where nothing moved.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

touchpoints as (

    select
        customer_key,
        journey_id,
        channel,
        occurred_at,
        lag(channel) over (
            partition by journey_id
            order by event_sequence_number
        ) as previous_channel
    from events
    where is_touchpoint

),

transitions as (

    select
        customer_key,
        previous_channel as from_channel,
        channel as to_channel,
        occurred_at
    from touchpoints
    where previous_channel is not null

),

transitions_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        transitions.customer_key,
        transitions.from_channel,
        transitions.to_channel
    from transitions
    inner join periods
        on
            transitions.occurred_at >= periods.period_start_at
            and transitions.occurred_at < periods.period_end_at

),

-- every transition four times: as itself, out of from_channel into 'all',
-- out of 'all' into to_channel, and 'all' to 'all'
with_all_channels as (

    select
        period_grain,
        period_start,
        customer_key,
        from_channel,
        to_channel
    from transitions_in_periods
    union all
    select
        period_grain,
        period_start,
        customer_key,
        from_channel,
        'all' as to_channel
    from transitions_in_periods
    union all
    select
        period_grain,
        period_start,
        customer_key,
        'all' as from_channel,
        to_channel
    from transitions_in_periods
    union all
    select
        period_grain,
        period_start,
        customer_key,
        'all' as from_channel,
        'all' as to_channel
    from transitions_in_periods

),

measures as (

    select
        period_grain,
        period_start,
        from_channel,
        to_channel,
        count(*) as transitions,
        count(distinct customer_key) as customers
    from with_all_channels
    group by period_grain, period_start, from_channel, to_channel

),

channels as (

    select distinct channel from touchpoints
    union all
    select 'all' as channel

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        from_channels.channel as from_channel,
        to_channels.channel as to_channel
    from periods
    cross join channels as from_channels
    cross join channels as to_channels

),

counted as (

    select
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.from_channel,
        grid.to_channel,
        coalesce(measures.transitions, 0) as transitions,
        coalesce(measures.customers, 0) as customers
    from grid
    left join measures
        on
            grid.period_grain = measures.period_grain
            and grid.period_start = measures.period_start
            and grid.from_channel = measures.from_channel
            and grid.to_channel = measures.to_channel

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        from_channel,
        to_channel,

        -- booleans
        -- null on the rollup rows, where from and to are not one channel each
        case
            when from_channel <> 'all' and to_channel <> 'all' then from_channel <> to_channel
        end as is_channel_switch,

        -- measures
        cast(transitions as bigint) as transitions,
        cast(customers as bigint) as customers,
        -- the (from_channel, 'all') row holds all of from_channel's outgoing
        cast(transitions as {{ journeys_type_double() }})
        / nullif(
            max(case when to_channel = 'all' then transitions end) over (
                partition by period_grain, period_start, from_channel
            ),
            0
        ) as share_of_from_channel_outgoing

    from counted

)

select * from final
