{#-
    Stage progression rate (SPEC 6, exactly rpt_stage_progression's
    definition) cut by journey pattern instead of segment: per period grain,
    period, journey_pattern (and 'all') and adjacent stage pair A -> B. A
    customer counts under their pattern at as_of (dim_customers.journey_pattern),
    for every period: "how do the customers who are researchers today move
    through the stages, month by month" (DECISIONLOG D150). The `all` rows
    are rpt_stage_progression's `all` rows: both read
    int_stage_progression_rated. Every period x pattern x pair has a row.
-#}
with

progression as (

    select * from {{ ref('int_stage_progression_rated') }}
    where breakdown in ('journey_pattern', 'all')

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        breakdown_value as journey_pattern,
        from_stage,
        to_stage,

        -- measures (whole numbers as bigint on every engine: D151)
        customers_at_start,
        cast(customers_progressed as bigint) as customers_progressed,
        progression_rate,
        previous_progression_rate,
        progression_rate_change

    from progression

)

select * from final
