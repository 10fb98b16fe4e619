{#-
    One row per conversion (is_conversion event) with the path that led to
    it (SPEC 6, attribution): the touchpoints of its journey after the
    journey's previous conversion and before it, in event order, at most
    attribution_lookback_days older than the conversion. channel_list holds
    their channels in order as an array, repeats kept (['email', 'web',
    'web']), and channel_path the same joined by ' > ' ('email > web > web');
    a conversion with no such touchpoint has the path ['direct'] / 'direct'
    and touchpoint_count 0. Element i of channel_list is the touch at
    touch_position i of fct_attribution_credits (path_length touches), where
    each touch's credit under every rule-based model is (DECISIONLOG D183).
-#}
with

path_touches as (

    select * from {{ ref('int_attribution_path_touchpoints') }}
    where path_type = 'conversion'

),

paths as (

    select
        conversion_event_id,
        {{ journeys_array_agg_ordered('channel', 'touch_position') }} as channel_list,
        {{ journeys_string_agg_ordered('channel', 'touch_position', "' > '") }} as channel_path,
        max(case when touch_position = 1 then channel end) as first_touch_channel,
        max(case when touch_position = path_length then channel end) as last_touch_channel,
        count(distinct case when not is_direct then channel end) as channel_count,
        min(touch_occurred_at) as first_touch_at,
        max(touch_occurred_at) as last_touch_at
    from path_touches
    group by conversion_event_id

),

conversions as (

    select * from path_touches
    where touch_position = 1

),

final as (

    select
        -- ids
        conversions.conversion_event_id,
        conversions.customer_key,
        conversions.journey_id,

        -- strings
        conversions.conversion_event_type,
        conversions.conversion_channel,
        paths.channel_list,
        paths.channel_path,
        paths.first_touch_channel,
        paths.last_touch_channel,

        -- numerics
        conversions.revenue,
        cast(conversions.conversion_number as bigint) as conversion_number,
        cast(conversions.touchpoint_count as bigint) as touchpoint_count,
        cast(conversions.path_length as bigint) as path_length,
        cast(paths.channel_count as bigint) as channel_count,
        {{ journeys_seconds_between('paths.first_touch_at', 'conversions.path_ended_at') }}
        / 86400.0 as days_from_first_touch,

        -- booleans
        conversions.is_direct,

        -- timestamps
        conversions.path_ended_at as converted_at,
        paths.first_touch_at,
        paths.last_touch_at

    from conversions
    inner join paths
        on conversions.conversion_event_id = paths.conversion_event_id

)

select * from final
