-- fct_conversion_paths holds exactly the conversions at or before as_of
-- (SPEC 6 paths evaluated at as_of, DECISIONLOG D182): every is_conversion
-- event of fct_events up to as_of has its row, and no other event has one.
-- Returns the events found on one side only.
with

events as (

    select * from {{ ref('fct_events') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

conversion_paths as (

    select * from {{ ref('fct_conversion_paths') }}

),

conversions as (

    select events.event_id
    from events
    cross join evaluation
    where
        events.is_conversion
        and events.occurred_at <= evaluation.as_of_at

),

missing as (

    select
        conversions.event_id,
        'conversion without a path' as problem
    from conversions
    left join conversion_paths
        on conversions.event_id = conversion_paths.conversion_event_id
    where conversion_paths.conversion_event_id is null

),

extra as (

    select
        conversion_paths.conversion_event_id as event_id,
        'path of no conversion up to as_of' as problem
    from conversion_paths
    left join conversions
        on conversion_paths.conversion_event_id = conversions.event_id
    where conversions.event_id is null

),

final as (

    select * from missing
    union all
    select * from extra

)

select * from final
