{#-
    Every reporting period, per grain (ISO week starting Monday, calendar
    month): from the period holding the first clean event to the period
    holding as_of. period_end_at is exclusive.
-#}
with

evaluation as (

    select * from {{ ref('int_evaluation_instant') }}

),

integers as (

    {{ journeys_integers(4) }}

),

periods as (

    {%- for grain in journeys_period_grains() %}
        {%- set first_period_start = dbt.date_trunc(grain, 'evaluation.first_event_at') %}
        select
            '{{ grain }}' as period_grain,
            {{ dbt.dateadd(grain, 'integers.n', first_period_start) }} as period_start_at,
            {{ dbt.dateadd(grain, 'integers.n + 1', first_period_start) }} as period_end_at,
            {{ dbt.date_trunc(grain, 'evaluation.as_of_at') }} as last_period_start_at
        from evaluation
        cross join integers
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        period_grain,
        cast(period_start_at as date) as period_start,
        cast(period_end_at as date) as period_end,
        cast(period_start_at as {{ dbt.type_timestamp() }}) as period_start_at,
        cast(period_end_at as {{ dbt.type_timestamp() }}) as period_end_at
    from periods
    where period_start_at <= last_period_start_at

)

select * from final
