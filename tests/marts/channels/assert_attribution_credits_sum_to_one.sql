-- Each conversion's credits add up to exactly one conversion under every
-- rule-based model (SPEC 6), within a relative 1e-9. Returns the
-- conversions whose credits do not.
with

credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

per_conversion as (

    select
        conversion_event_id,
        sum(first_touch_credit) as first_touch,
        sum(last_touch_credit) as last_touch,
        sum(linear_credit) as linear,
        sum(position_based_credit) as position_based,
        sum(time_decay_credit) as time_decay
    from credits
    group by conversion_event_id

)

select * from per_conversion
where
    abs(first_touch - 1) > 1e-9
    or abs(last_touch - 1) > 1e-9
    or abs(linear - 1) > 1e-9
    or abs(position_based - 1) > 1e-9
    or abs(time_decay - 1) > 1e-9
