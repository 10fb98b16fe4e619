{#- Clean CRM rows: one per customer_id. -#}
with

base_customers as (

    select * from {{ ref('base_customers') }}
    where row_status = 'clean'

),

final as (

    select
        -- ids
        customer_id,

        -- strings
        segment,
        region,

        -- timestamps
        signed_up_at

    from base_customers

)

select * from final
