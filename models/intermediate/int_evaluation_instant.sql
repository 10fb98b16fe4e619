{#-
    One row: the evaluation instant `as_of` (var as_of when given, else the
    latest clean occurred_at) and the span of clean events.
-#}
{%- set as_of_literal = journeys_as_of_literal() -%}

with

events as (

    select occurred_at from {{ ref('stg_events') }}

),

span as (

    select
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at,
        count(*) as clean_events
    from events

),

final as (

    select
        {%- if as_of_literal is none %}
            last_event_at as as_of_at,
        {%- else %}
            {{ as_of_literal }} as as_of_at,
        {%- endif %}
        {{ 'false' if as_of_literal is none else 'true' }} as is_as_of_from_var,
        first_event_at,
        last_event_at,
        clean_events
    from span

)

select * from final
