{#- One row per stage transition (SPEC 4): each time a journey's stage rises
    from A to B (a skip, A to C, is one transition), with when each was
    entered and the seconds spent in A. -#}

{{ config(
    materialized=journeys_event_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ journeys_delete_changed_customers(ref('stg_events')) }}",
) }}
with

entries as (

    select * from {{ ref('int_journey_stage_entries') }}
    where {{ journeys_latest_batch_filter('customer_key', ref('stg_events')) }}

),

sequenced as (

    select
        *,
        lag(stage) over (partition by journey_id order by stage_order) as from_stage,
        lag(stage_order) over (partition by journey_id order by stage_order)
            as from_stage_order,
        lag(entered_at) over (partition by journey_id order by stage_order)
            as from_stage_entered_at
    from entries

),

final as (

    select
        -- ids
        {{ dbt.hash(dbt.concat(['journey_id', "'|'", 'stage'])) }} as transition_id,
        customer_key,
        journey_id,

        -- strings
        from_stage,
        stage as to_stage,

        -- numerics
        from_stage_order,
        stage_order as to_stage_order,
        stage_order - from_stage_order - 1 as stages_skipped,
        {{ journeys_seconds_between('from_stage_entered_at', 'entered_at') }}
            as seconds_in_from_stage,

        -- timestamps
        from_stage_entered_at,
        entered_at as to_stage_entered_at

    from sequenced
    where from_stage is not null

)

select * from final
