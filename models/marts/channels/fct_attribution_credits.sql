{#-
    One row per conversion x touch position of its path (SPEC 6,
    attribution), with the credit each rule-based model gives the touch.
    Per conversion, every credit column sums to 1:
      first_touch / last_touch: 1 for the first / last touch;
      linear: 1 / touches (repeats of a channel count);
      position_based: one touch 1; two 0.5 each; more: 0.4 first, 0.4 last,
        0.2 split evenly over the middle touches;
      time_decay: weight 2^(-age / attribution_half_life_days), age in days
        from the touch to the conversion, normalised over the path.
    A conversion with an empty path has one 'direct' touch with every credit 1.
    Markov credit is not per touch: it comes from removal effects over the
    whole chain and is only in rpt_channel_attribution (DECISIONLOG D41).
-#}
{%- set half_life_days = journeys_positive_number_var('attribution_half_life_days', 7) -%}

with

path_touches as (

    select * from {{ ref('int_attribution_path_touchpoints') }}
    where path_type = 'conversion'

),

weighted as (

    select
        *,
        seconds_before_path_end / 86400.0 as days_before_conversion,
        -- the time-decay weight relative to the path's newest touch (which
        -- weighs 1): normalised, it is the same as 2^(-age / half-life), and
        -- no path's weights all underflow to 0
        power(
            cast(2 as {{ journeys_type_double() }}),
            (
                min(seconds_before_path_end) over (partition by conversion_event_id)
                - seconds_before_path_end
            ) / {{ half_life_days * 86400 }}
        ) as relative_time_decay_weight
    from path_touches

),

credited as (

    select
        *,
        cast(case when touch_position = 1 then 1 else 0 end as {{ journeys_type_double() }})
            as first_touch_credit,
        cast(
            case when touch_position = path_length then 1 else 0 end
            as {{ journeys_type_double() }}
        ) as last_touch_credit,
        cast(1 as {{ journeys_type_double() }}) / path_length as linear_credit,
        case
            when path_length = 1 then cast(1 as {{ journeys_type_double() }})
            when path_length = 2 then cast(0.5 as {{ journeys_type_double() }})
            when touch_position = 1 or touch_position = path_length
                then cast(0.4 as {{ journeys_type_double() }})
            else cast(0.2 as {{ journeys_type_double() }}) / (path_length - 2)
        end as position_based_credit,
        -- a direct touch has no age: weight 1, credit 1
        coalesce(
            relative_time_decay_weight
            / sum(relative_time_decay_weight) over (partition by conversion_event_id),
            cast(1 as {{ journeys_type_double() }})
        ) as time_decay_credit
    from weighted

),

final as (

    select
        -- ids
        conversion_event_id,
        touch_event_id,
        customer_key,
        journey_id,
        touch_campaign_id,

        -- strings
        channel,
        touch_event_type,
        conversion_channel,

        -- numerics
        cast(touch_position as bigint) as touch_position,
        cast(path_length as bigint) as path_length,
        cast(touchpoint_count as bigint) as touchpoint_count,
        revenue,
        days_before_conversion,
        power(
            cast(2 as {{ journeys_type_double() }}),
            -days_before_conversion / {{ half_life_days }}
        ) as time_decay_weight,
        first_touch_credit,
        last_touch_credit,
        linear_credit,
        position_based_credit,
        time_decay_credit,

        -- booleans
        is_direct,

        -- timestamps
        touch_occurred_at,
        path_ended_at as converted_at

    from credited

)

select * from final
