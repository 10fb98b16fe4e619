{#-
    SPEC 6, churn: a customer churns at c = t + churn_inactivity_days for
    each event instant t that no event follows within that many days (an
    event exactly at c counts as following), provided c is not after as_of.
    One row per churn instant.
-#}
with

instants as (

    select * from {{ ref('int_customer_activity_instants') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

final as (

    select
        instants.customer_key,
        instants.active_at as last_active_at,
        instants.next_active_at as returned_at,
        instants.active_until_at as churned_at
    from instants
    cross join evaluation
    where
        (instants.next_active_at is null or instants.next_active_at > instants.active_until_at)
        and instants.active_until_at <= evaluation.as_of_at

)

select * from final
