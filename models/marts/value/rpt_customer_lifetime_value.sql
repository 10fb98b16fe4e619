{#-
    Customer lifetime value per segment and 'all' (SPEC 6), exactly as the
    SPEC defines it; the arithmetic lives in int_lifetime_value_grouped,
    which also computes it per acquisition channel for rpt_journey_scores.
    One row per segment of dim_customers, plus 'all'.
-#}
with

lifetime_values as (

    select * from {{ ref('int_lifetime_value_grouped') }}
    where group_kind = 'segment'

),

final as (

    select
        -- keys
        group_value as segment,

        -- counts
        customers,
        purchasers,
        purchases,
        revenue,

        -- clv and its terms
        average_purchase_value,
        purchase_frequency_per_year,
        average_lifespan_years,
        clv,
        years_observed,

        -- timestamps
        earliest_purchase_at

    from lifetime_values

)

select * from final
