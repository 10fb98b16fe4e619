{#-
    The first-order absorbing Markov chain of the attribution paths (SPEC 6,
    markov): one row per pair of states with at least one step between them,
    counted over every conversion path and every null path
    (int_attribution_path_touchpoints):
      start -> the path's first channel,
      each channel -> the next touchpoint's channel (repeats included: a
        channel followed by itself is a step to itself),
      the last channel -> conversion (conversion paths) or null (null paths).
    A direct conversion is the one-step path start -> direct -> conversion.
    transition_probability = steps from -> to / all steps leaving from.

    States are numbered for the solve: start 0, channels 1..n (alphabetical),
    conversion -1, null -2. Counting is set-based (one aggregate over the
    paths' steps); the solve reads only this small table.
-#}
with

path_touches as (

    select * from {{ ref('int_attribution_path_touchpoints') }}

),

channels as (

    select
        channel,
        cast(dense_rank() over (order by channel) as {{ dbt.type_int() }}) as state_index
    from (select distinct channel from path_touches) as distinct_channels

),

steps as (

    select
        path_touches.path_type,
        path_touches.touch_position,
        channels.state_index,
        lead(channels.state_index) over (
            partition by path_touches.path_type, path_touches.path_id
            order by path_touches.touch_position
        ) as next_state_index
    from path_touches
    inner join channels
        on path_touches.channel = channels.channel

),

state_pairs as (

    -- start -> the first channel
    select
        0 as from_state_index,
        state_index as to_state_index
    from steps
    where touch_position = 1

    union all

    -- channel -> next channel, or the last channel -> conversion / null
    select
        state_index as from_state_index,
        coalesce(
            next_state_index,
            case when path_type = 'conversion' then -1 else -2 end
        ) as to_state_index
    from steps

),

counted as (

    select
        cast(from_state_index as {{ dbt.type_int() }}) as from_state_index,
        cast(to_state_index as {{ dbt.type_int() }}) as to_state_index,
        count(*) as transitions
    from state_pairs
    group by from_state_index, to_state_index

),

final as (

    select
        -- keys
        counted.from_state_index,
        counted.to_state_index,

        -- strings
        case
            when counted.from_state_index = 0 then 'start' else from_channels.channel
        end as from_state,
        case
            when counted.to_state_index = -1 then 'conversion'
            when counted.to_state_index = -2 then 'null'
            else to_channels.channel
        end as to_state,
        from_channels.channel as from_channel,
        to_channels.channel as to_channel,

        -- numerics
        counted.transitions,
        cast(counted.transitions as {{ journeys_type_double() }})
        / cast(
            sum(counted.transitions) over (partition by counted.from_state_index)
            as {{ journeys_type_double() }}
        ) as transition_probability

    from counted
    left join channels as from_channels
        on counted.from_state_index = from_channels.state_index
    left join channels as to_channels
        on counted.to_state_index = to_channels.state_index

)

select * from final
