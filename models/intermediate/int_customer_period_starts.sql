{#-
    For every period start s and every customer with an event before s: the
    customer's latest event strictly before s (its journey and the journey's
    stage counting only events strictly before s), whether that journey is
    still open at s (s is not more than journey_timeout_days after that
    event) and whether the customer is active at s (s is not more than
    churn_inactivity_days after it). Rows where neither holds are dropped.
-#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

instants as (

    select
        *,
        case
            when journey_open_until_at > active_until_at then journey_open_until_at
            else active_until_at
        end as relevant_until_at
    from {{ ref('int_customer_activity_instants') }}

),

latest_before_start as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_start_at,
        periods.period_end_at,
        instants.customer_key,
        instants.journey_id,
        instants.journey_stage_order,
        instants.active_at as last_active_at,
        periods.period_start_at <= instants.journey_open_until_at as is_journey_open_at_start,
        periods.period_start_at <= instants.active_until_at as is_active_at_start
    from instants
    inner join periods
        on
            instants.active_at < periods.period_start_at
            and instants.relevant_until_at >= periods.period_start_at
            and (
                instants.next_active_at is null
                or instants.next_active_at >= periods.period_start_at
            )

),

final as (

    select * from latest_before_start

)

select * from final
