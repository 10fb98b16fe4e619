{#-
    Customer lifetime value per segment and 'all' (SPEC 6), exactly as the
    SPEC defines it; the arithmetic lives in int_lifetime_value_grouped,
    which also computes it per acquisition channel for rpt_journey_scores.
    One row per segment of dim_customers, plus 'all'. as_of_date (the date of
    the evaluation instant) is the time column the semantic layer needs.
-#}
with

lifetime_values as (

    select * from {{ ref('int_lifetime_value_grouped') }}
    where group_kind = 'segment'

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

final as (

    select
        -- keys
        lifetime_values.group_value as segment,

        -- counts
        cast(lifetime_values.customers as bigint) as customers,
        cast(lifetime_values.purchasers as bigint) as purchasers,
        cast(lifetime_values.purchases as bigint) as purchases,
        lifetime_values.revenue,

        -- clv and its terms
        lifetime_values.average_purchase_value,
        lifetime_values.purchase_frequency_per_year,
        lifetime_values.average_lifespan_years,
        lifetime_values.clv,
        lifetime_values.years_observed,

        -- timestamps
        lifetime_values.earliest_purchase_at,
        cast(evaluation.as_of_at as date) as as_of_date

    from lifetime_values
    cross join evaluation

)

select * from final
