-- fct_conversion_paths.channel_list is the path fct_attribution_credits
-- credits (DECISIONLOG D183): element i of the list is the channel of the
-- touch at touch_position i, and the list, the credits and path_length
-- count the same touches. Returns the conversions where that fails.
with

conversion_paths as (

    select * from {{ ref('fct_conversion_paths') }}

),

credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

touches as (

    select
        conversion_paths.conversion_event_id,
        count(credits.touch_position) as touches,
        sum(
            case
                when
                    credits.channel
                    = {{ journeys_array_element(
                        'conversion_paths.channel_list', 'credits.touch_position') }}
                    then 1
                else 0
            end
        ) as matching_touches,
        max(credits.touch_position) as last_touch_position
    from conversion_paths
    left join credits
        on conversion_paths.conversion_event_id = credits.conversion_event_id
    group by conversion_paths.conversion_event_id

),

final as (

    select
        conversion_paths.conversion_event_id,
        conversion_paths.path_length,
        touches.touches,
        touches.matching_touches,
        touches.last_touch_position
    from conversion_paths
    inner join touches
        on conversion_paths.conversion_event_id = touches.conversion_event_id
    where
        touches.touches <> conversion_paths.path_length
        or touches.matching_touches <> conversion_paths.path_length
        or touches.last_touch_position <> conversion_paths.path_length
        or {{ journeys_array_element(
            'conversion_paths.channel_list', 'conversion_paths.path_length + 1') }}
        is not null

)

select * from final
