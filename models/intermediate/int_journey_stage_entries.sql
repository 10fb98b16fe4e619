{#-
    The stages each journey actually entered, with the instant it entered
    each: the first instant at which the journey's stage (the running highest
    stage) equals it. A skipped stage has no row. One row per journey and
    entered stage.
-#}
with

events as (

    select * from {{ ref('int_events_journeyed') }}
    where journey_stage_order is not null

),

final as (

    select
        journey_id,
        customer_key,
        -- 'stage' is the seeds' column name, kept for joins: noqa below
        journey_stage as stage,  -- noqa: RF04
        journey_stage_order as stage_order,
        min(occurred_at) as entered_at
    from events
    group by journey_id, customer_key, journey_stage, journey_stage_order

)

select * from final
