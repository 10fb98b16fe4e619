{#-
    Does a follow-up after an abandoned cart bring customers back? (the
    background documents' worked example). Per period grain, period of the
    abandonment and segment (and 'all'): each customer counts once per
    period, with their first abandonment in it (int_cart_abandonments_detected).
    Those whose recovery window has not ended by as_of are counted as
    pending and left out of the comparison. The rest split into followed up
    (a touchpoint on follow_up_channel within abandonment_window_hours) and
    not; for each group: how many returned and purchased in the recovery
    window, the rates, and the difference followed up - not followed up.
    Every period x segment has a row; rates are null without customers.
-#}
with

abandonments as (

    select * from {{ ref('int_cart_abandonments_detected') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

report_segments as (

    select distinct segment from customers
    union all
    select 'all' as segment

),

-- each customer's first abandonment in each period
first_in_period as (

    select * from (
        select
            periods.period_grain,
            periods.period_start,
            customers.segment,
            abandonments.*,
            row_number() over (
                partition by periods.period_grain, periods.period_start, abandonments.customer_key
                order by abandonments.abandoned_at, abandonments.cart_event_id
            ) as abandonment_rank
        from abandonments
        inner join periods
            on
                abandonments.abandoned_at >= periods.period_start_at
                and abandonments.abandoned_at < periods.period_end_at
        inner join customers
            on abandonments.customer_key = customers.customer_key
    ) as ranked
    where abandonment_rank = 1

),

with_all_segment as (

    select
        period_grain,
        period_start,
        segment,
        is_outcome_complete,
        is_followed_up,
        has_returned,
        has_purchased
    from first_in_period

    union all

    select
        period_grain,
        period_start,
        'all' as segment,
        is_outcome_complete,
        is_followed_up,
        has_returned,
        has_purchased
    from first_in_period

),

measures as (

    select
        period_grain,
        period_start,
        segment,
        count(*) as abandoning_customers,
        sum(case when not is_outcome_complete then 1 else 0 end) as pending_customers,
        sum(case when is_outcome_complete and is_followed_up then 1 else 0 end)
            as followed_up_customers,
        sum(
            case when is_outcome_complete and is_followed_up and has_returned then 1 else 0 end
        ) as followed_up_returned,
        sum(
            case when is_outcome_complete and is_followed_up and has_purchased then 1 else 0 end
        ) as followed_up_purchased,
        sum(case when is_outcome_complete and not is_followed_up then 1 else 0 end)
            as not_followed_up_customers,
        sum(
            case
                when is_outcome_complete and not is_followed_up and has_returned then 1
                else 0
            end
        ) as not_followed_up_returned,
        sum(
            case
                when is_outcome_complete and not is_followed_up and has_purchased then 1
                else 0
            end
        ) as not_followed_up_purchased
    from with_all_segment
    group by period_grain, period_start, segment

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        report_segments.segment
    from periods
    cross join report_segments

),

filled as (

    select
        grid.period_grain,
        grid.period_start,
        grid.period_end,
        grid.segment,
        coalesce(measures.abandoning_customers, 0) as abandoning_customers,
        coalesce(measures.pending_customers, 0) as pending_customers,
        coalesce(measures.followed_up_customers, 0) as followed_up_customers,
        coalesce(measures.followed_up_returned, 0) as followed_up_returned,
        coalesce(measures.followed_up_purchased, 0) as followed_up_purchased,
        coalesce(measures.not_followed_up_customers, 0) as not_followed_up_customers,
        coalesce(measures.not_followed_up_returned, 0) as not_followed_up_returned,
        coalesce(measures.not_followed_up_purchased, 0) as not_followed_up_purchased
    from grid
    left join measures
        on
            grid.period_grain = measures.period_grain
            and grid.period_start = measures.period_start
            and grid.segment = measures.segment

),

rated as (

    select
        *,
        cast(followed_up_returned as {{ journeys_type_double() }})
        / nullif(followed_up_customers, 0) as followed_up_return_rate,
        cast(not_followed_up_returned as {{ journeys_type_double() }})
        / nullif(not_followed_up_customers, 0) as not_followed_up_return_rate,
        cast(followed_up_purchased as {{ journeys_type_double() }})
        / nullif(followed_up_customers, 0) as followed_up_purchase_rate,
        cast(not_followed_up_purchased as {{ journeys_type_double() }})
        / nullif(not_followed_up_customers, 0) as not_followed_up_purchase_rate
    from filled

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        period_end,
        segment,

        -- counts
        cast(abandoning_customers as bigint) as abandoning_customers,
        cast(pending_customers as bigint) as pending_customers,
        cast(followed_up_customers as bigint) as followed_up_customers,
        cast(not_followed_up_customers as bigint) as not_followed_up_customers,
        cast(followed_up_returned as bigint) as followed_up_returned,
        cast(not_followed_up_returned as bigint) as not_followed_up_returned,
        cast(followed_up_purchased as bigint) as followed_up_purchased,
        cast(not_followed_up_purchased as bigint) as not_followed_up_purchased,

        -- rates and differences (followed up - not followed up)
        followed_up_return_rate,
        not_followed_up_return_rate,
        followed_up_return_rate - not_followed_up_return_rate as return_rate_difference,
        followed_up_purchase_rate,
        not_followed_up_purchase_rate,
        followed_up_purchase_rate - not_followed_up_purchase_rate as purchase_rate_difference

    from rated

)

select * from final
