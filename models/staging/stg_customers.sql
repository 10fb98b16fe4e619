{#- Clean CRM rows: one per customer_id. -#}
with

base_customers as (

    select * from {{ ref('base_customers') }}
    where row_status = 'clean'

),

final as (

    select
        -- ids (a keyed hash when var pseudonymize_identifiers is on)
        {{ journeys_pseudonymize('customer_id') }} as customer_id,

        -- strings
        -- a segment spelled like the reports' rollup row `all` is renamed
        {{ journeys_escape_rollup_label('segment') }} as segment,
        region,

        -- timestamps
        signed_up_at

    from base_customers

)

select * from final
