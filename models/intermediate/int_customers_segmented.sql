{#-
    One row per customer_key seen in clean events, with its CRM attributes
    (SPEC 3): the segment of its customer_id in the CRM input, 'unknown' for
    anonymous keys and customers missing from the CRM.
-#}
with

activity as (

    select * from {{ ref('int_customer_activity') }}

),

customers as (

    select * from {{ ref('stg_customers') }}

),

customer_keys as (

    select
        customer_key,
        is_identified
    from activity

),

final as (

    select
        customer_keys.customer_key,
        case when customer_keys.is_identified then customer_keys.customer_key end
            as customer_id,
        customer_keys.is_identified,
        customers.customer_id is not null as is_in_crm,
        case
            when customer_keys.is_identified then coalesce(customers.segment, 'unknown')
            else 'unknown'
        end as segment,
        customers.region,
        customers.signed_up_at
    from customer_keys
    left join customers
        on
            customer_keys.is_identified
            and customer_keys.customer_key = customers.customer_id

)

select * from final
