{#-
    Stage progression rate (SPEC 6) per period grain, period, segment (and
    'all') and adjacent stage pair A -> B:
      customers_at_start: customers whose open journey at the period start
        (latest event strictly before it, at most journey_timeout_days
        earlier) is at stage A, counting only events strictly before it;
      customers_progressed: those whose same journey reaches B or a later
        stage with an event inside [period_start, period_end);
      progression_rate = progressed / at_start (null when at_start = 0), with
      the previous period's rate and the change.
    Every period x segment x pair has a row. The computation lives in
    int_stage_progression_rated, shared with rpt_stage_progression_by_pattern
    (the same `all` rows by construction; DECISIONLOG D150).
-#}
with

progression as (

    select * from {{ ref('int_stage_progression_rated') }}
    where breakdown in ('segment', 'all')

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        breakdown_value as segment,
        from_stage,
        to_stage,

        -- measures
        customers_at_start,
        customers_progressed,
        progression_rate,
        previous_progression_rate,
        progression_rate_change

    from progression

)

select * from final
