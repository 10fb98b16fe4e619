{#-
    Customer lifetime value (SPEC 6) of groups of customers, computed once
    for every grouping a report needs (group_kind):
      'segment':             the CRM segment (rpt_customer_lifetime_value);
      'acquisition_channel': the channel of the customer's first touchpoint
                             (dim_customers; rpt_journey_scores);
    each with the rollup group 'all' (every customer).

    Purchases are is_conversion events (conversion and retention stage) at
    or before as_of, and customers those first seen by then: the value as of
    that instant (DECISIONLOG D182); their revenue is summed with a missing
    revenue counting as 0 (the purchase still counts). Over the customers of a group with at least one
    purchase:
      average_purchase_value      = revenue / purchases;
      years_observed              = (as_of - earliest purchase in the group)
                                    / 365.25 days;
      purchase_frequency_per_year = purchases / purchasers / years_observed
                                    (null when years_observed is not > 0);
      average_lifespan_years      = mean over purchasers of (last purchase -
                                    first purchase) / 365.25 days (0 for a
                                    single purchase);
      clv = average_purchase_value x purchase_frequency_per_year x
            average_lifespan_years.
    Every group of every customer has a row; a group without purchasers has
    0 purchases and null averages.
-#}
{%- set seconds_per_year = 365.25 * 86400 -%}

with

customers as (

    select * from {{ ref('dim_customers') }}

),

events as (

    select * from {{ ref('fct_events') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

customer_purchases as (

    select
        events.customer_key,
        count(*) as purchases,
        sum(coalesce(events.revenue, 0)) as revenue,
        min(events.occurred_at) as first_purchase_at,
        max(events.occurred_at) as last_purchase_at
    from events
    cross join evaluation
    where
        events.is_conversion
        and events.occurred_at <= evaluation.as_of_at
    group by events.customer_key

),

customer_values as (

    select
        customers.customer_key,
        customers.segment,
        customers.acquisition_channel,
        customers.first_seen_at <= evaluation.as_of_at as is_seen_by_as_of,
        customer_purchases.purchases,
        customer_purchases.revenue,
        customer_purchases.first_purchase_at,
        {{ journeys_seconds_between(
            'customer_purchases.first_purchase_at', 'customer_purchases.last_purchase_at'
        ) }} / {{ seconds_per_year }} as lifespan_years
    from customers
    cross join evaluation
    left join customer_purchases
        on customers.customer_key = customer_purchases.customer_key

),

grouped_customers as (

    select
        'segment' as group_kind,
        segment as group_value,
        customer_values.*
    from customer_values
    union all
    select
        'segment' as group_kind,
        'all' as group_value,
        customer_values.*
    from customer_values
    union all
    select
        'acquisition_channel' as group_kind,
        acquisition_channel as group_value,
        customer_values.*
    from customer_values
    union all
    select
        'acquisition_channel' as group_kind,
        'all' as group_value,
        customer_values.*
    from customer_values

),

value_groups as (

    select
        group_kind,
        group_value,
        sum(case when is_seen_by_as_of then 1 else 0 end) as customers,
        count(purchases) as purchasers,
        coalesce(sum(purchases), 0) as purchases,
        coalesce(sum(revenue), 0) as revenue,
        min(first_purchase_at) as earliest_purchase_at,
        avg(lifespan_years) as average_lifespan_years
    from grouped_customers
    group by group_kind, group_value

),

observed as (

    select
        value_groups.*,
        {{ journeys_seconds_between('value_groups.earliest_purchase_at', 'evaluation.as_of_at') }}
        / {{ seconds_per_year }} as years_observed
    from value_groups
    cross join evaluation

),

measures as (

    select
        *,
        cast(revenue as {{ journeys_type_double() }}) / nullif(purchases, 0)
            as average_purchase_value,
        case
            when purchasers > 0 and years_observed > 0
                then cast(purchases as {{ journeys_type_double() }}) / purchasers / years_observed
        end as purchase_frequency_per_year
    from observed

),

final as (

    select
        -- keys
        group_kind,
        group_value,

        -- counts
        customers,
        purchasers,
        purchases,
        revenue,

        -- clv terms
        average_purchase_value,
        years_observed,
        purchase_frequency_per_year,
        average_lifespan_years,
        average_purchase_value * purchase_frequency_per_year * average_lifespan_years as clv,

        -- timestamps
        earliest_purchase_at

    from measures

)

select * from final
