{#-
    The naive recency-only baseline of the conversion prediction: how often
    a journey converts given only how long it has been silent (days since
    its latest event), estimated on the closed journeys (closed at as_of:
    their outcome is final). One row per whole number of days silent d
    (silent_days, 0 .. journey_timeout_days):
      silences: the closed journeys' silences of at least d whole days
        before their first conversion: the time from each event before the
        journey's first conversion to the next event (which may be the
        conversion), or, after the last event of a journey that was lost,
        journey_timeout_days (it is known lost only then, as
        int_journey_markov_steps has it);
      converted_silences: those in a journey that converted;
      conversion_rate: converted_silences / silences, the rate
        fct_journey_predictions gives an open journey silent d whole days
        at as_of (recency_conversion_rate).
    A silence counts once per event, so a journey weighs as much as it has
    silences of that length: the cases an open journey picked at a random
    instant resembles. Events are ordered by (occurred_at, event_id).
-#}
{%- set journey_timeout_days = journeys_positive_number_var('journey_timeout_days', 30) -%}
{%- set digits = (journey_timeout_days | int + 1) | string | length -%}

with

journeys as (

    select
        journey_id,
        is_converted
    from {{ ref('fct_journeys') }}
    where is_closed

),

events as (

    select * from {{ ref('fct_events') }}

),

integers as (

    {{ journeys_integers(digits) }}

),

ordered as (

    select
        journeys.is_converted,
        events.occurred_at,
        sum(case when events.is_conversion then 1 else 0 end) over (
            partition by events.journey_id
            order by events.occurred_at, events.event_id
            rows between unbounded preceding and current row
        ) as conversions_so_far,
        lead(events.occurred_at) over (
            partition by events.journey_id
            order by events.occurred_at, events.event_id
        ) as next_event_at
    from events
    inner join journeys
        on events.journey_id = journeys.journey_id

),

silences as (

    select
        is_converted,
        cast(floor(
            case
                when next_event_at is null then {{ journey_timeout_days }}
                else {{ journeys_seconds_between('occurred_at', 'next_event_at') }} / 86400.0
            end
        ) as {{ dbt.type_int() }}) as silence_days
    from ordered
    where conversions_so_far = 0

),

counted as (

    select
        silence_days,
        count(*) as silences,
        sum(case when is_converted then 1 else 0 end) as converted_silences
    from silences
    group by silence_days

),

cumulated as (

    select
        integers.n as silent_days,
        sum(counted.silences) as silences,
        sum(counted.converted_silences) as converted_silences
    from integers
    inner join counted
        on integers.n <= counted.silence_days
    where integers.n <= {{ journey_timeout_days }}
    group by integers.n

),

final as (

    select
        -- keys
        cast(silent_days as {{ dbt.type_int() }}) as silent_days,

        -- numerics
        cast(silences as {{ dbt.type_bigint() }}) as silences,
        cast(converted_silences as {{ dbt.type_bigint() }}) as converted_silences,
        cast(converted_silences as {{ journeys_type_double() }}) / silences as conversion_rate

    from cumulated

)

select * from final
