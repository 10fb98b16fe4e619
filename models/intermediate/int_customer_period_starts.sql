{#-
    For every period start s and every customer with an event before s: the
    customer's latest event strictly before s (its journey and the journey's
    stage counting only events strictly before s), whether that journey is
    still open at s (s is not more than journey_timeout_days after that
    event) and whether the customer is active at s (s is not more than
    churn_inactivity_days after it). Rows where neither holds are dropped.

    Incremental (DuckDB): a row depends only on the customer's events
    before s, never on as_of. A run deletes the rows of the customers of the
    latest stg_events batch and of periods no longer enumerated, then adds
    the rows of those customers for every period and of every other
    customer for the periods not built before (as_of moved into them).
-#}

{{ config(
    materialized=journeys_event_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=[
        "{{ journeys_delete_changed_customers(ref('stg_events')) }}",
        "{{ journeys_delete_vanished_periods(ref('int_periods_enumerated')) }}",
    ],
) }}

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

{%- if is_incremental() %}

    changed_keys as (

        {{ journeys_changed_customer_keys(ref('stg_events')) }}

    ),

    -- periods as_of has moved into since the previous run
    new_periods as (

        select *
        from periods
        where not exists (
            select 1 from {{ this }} as built
            where
                built.period_grain = periods.period_grain
                and built.period_start = periods.period_start
        )

    ),

    instants_to_place as (

        select
            *,
            customer_key in (select changed_keys.customer_key from changed_keys)
                as is_changed_customer
        from instants

    ),

{%- endif %}

latest_before_start as (
{%- for part in (['changed', 'new_periods'] if is_incremental() else ['all']) %}
        {%- if not loop.first %}

            union all
        {% endif %}
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
        from {{ 'instants_to_place' if is_incremental() else 'instants' }} as instants
        inner join {{ 'new_periods' if part == 'new_periods' else 'periods' }} as periods
            on
                instants.active_at < periods.period_start_at
                and instants.relevant_until_at >= periods.period_start_at
                and (
                    instants.next_active_at is null
                    or instants.next_active_at >= periods.period_start_at
                )
        {%- if part == 'changed' %}
            where instants.is_changed_customer
        {%- elif part == 'new_periods' %}
            where not instants.is_changed_customer
        {%- endif %}
    {%- endfor %}

),

final as (

    select * from latest_before_start

)

select * from final
