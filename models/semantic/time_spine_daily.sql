{#- One row per day for MetricFlow (the semantic layer's time spine): from
    the first day of the earliest reporting period to the last day of the
    latest one, i.e. every day a report or metric can fall on. -#}
with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

integers as (

    {{ journeys_integers(5) }}

),

bounds as (

    select
        min(period_start) as first_day,
        max(period_end) as end_day
    from periods

),

days as (

    select
        cast({{ dbt.dateadd('day', 'integers.n', 'bounds.first_day') }} as date) as date_day,
        bounds.end_day
    from bounds
    cross join integers

),

final as (

    select date_day
    from days
    where date_day < end_day

)

select * from final
