{#-
    Ordered funnel entries (issue 8, item 1): one row per entry and funnel
    step it reached. Steps are the event types of the funnel_steps seed, in
    step_number order (at most 8 steps).

    - Entry: a customer's first-step event starts an entry when it is their
      first one or comes more than funnel_conversion_window_days after
      their previous first-step event; first-step events closer than that
      belong to the entry already open (they neither restart its window
      nor start a second entry).
    - Window: a later step counts when it happens at most the window after
      the entry's first step (exactly at the window is in).
    - Order: step k is the earliest step-k event at or after the instant of
      step k-1 (other events may happen in between; an event at the same
      instant as the previous step counts, an earlier one does not: steps
      out of order are not matched). The earliest match is taken, so the
      time between steps is measured between first completions.
-#}
{%- set window_days = journeys_positive_number_var('funnel_conversion_window_days', 14) -%}
{%- set max_steps = 8 -%}

with

events as (

    select * from {{ ref('fct_events') }}

),

steps as (

    select * from {{ ref('funnel_steps') }}

),

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

-- the one pass over the events: funnel events only, one row per customer,
-- instant and step
step_instants as (

    select distinct
        events.customer_key,
        events.occurred_at,
        steps.step_number
    from events
    inner join steps
        on events.event_type = steps.event_type

),

-- for every instant of a customer's funnel events, the earliest instant of
-- each step at or after it (peers at the same instant included)
next_steps as (

    select
        customer_key,
        {%- for step in range(2, max_steps + 1) %}
            min(case when step_number = {{ step }} then occurred_at end) over (
                partition by customer_key
                order by occurred_at
                range between current row and unbounded following
            ) as next_step_{{ step }}_at,
        {%- endfor %}
        occurred_at
    from step_instants

),

instants as (

    select distinct * from next_steps

),

first_steps as (

    select
        customer_key,
        occurred_at,
        lag(occurred_at) over (
            partition by customer_key order by occurred_at
        ) as previous_first_step_at
    from step_instants
    where step_number = 1

),

entries as (

    select
        customer_key,
        occurred_at as entered_at,
        row_number() over (partition by customer_key order by occurred_at) as entry_number
    from first_steps
    where
        previous_first_step_at is null
        or {{ journeys_seconds_between('previous_first_step_at', 'occurred_at') }}
        > {{ window_days }} * 86400

),

-- follow each entry step by step: step k is the next step-k instant at or
-- after step k-1, if still inside the window
chained_1 as (

    select
        customer_key,
        entry_number,
        entered_at,
        entered_at as step_1_at
    from entries

),
{%- for step in range(2, max_steps + 1) %}

    chained_{{ step }} as (

        select
            chained.*,
            case
                when
                    {{ journeys_seconds_between(
                        'chained.entered_at', 'instants.next_step_' ~ step ~ '_at'
                    ) }} <= {{ window_days }} * 86400
                    then instants.next_step_{{ step }}_at
            end as step_{{ step }}_at
        from chained_{{ step - 1 }} as chained
        left join instants
            on
                chained.customer_key = instants.customer_key
                and chained.step_{{ step - 1 }}_at = instants.occurred_at

    ),
{%- endfor %}

reached as (

    {%- for step in range(1, max_steps + 1) %}
        select
            customer_key,
            entry_number,
            entered_at,
            {{ step }} as step_number,
            step_{{ step }}_at as reached_at,
            {%- if step == 1 %}
                cast(null as {{ dbt.type_timestamp() }}) as previous_step_at
            {%- else %}
                step_{{ step - 1 }}_at as previous_step_at
            {%- endif %}
        from chained_{{ max_steps }}
        where step_{{ step }}_at is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        -- keys
        reached.customer_key,
        reached.entry_number,
        reached.step_number,
        steps.event_type as step_event_type,

        -- timestamps
        reached.entered_at,
        reached.reached_at,
        reached.previous_step_at,

        -- durations
        {{ journeys_seconds_between('reached.previous_step_at', 'reached.reached_at') }}
            as seconds_from_previous_step,
        {{ journeys_seconds_between('reached.entered_at', 'reached.reached_at') }}
            as seconds_from_entry,

        -- booleans
        {{ journeys_seconds_between('reached.entered_at', 'evaluation.as_of_at') }}
        >= {{ window_days }} * 86400 as is_window_closed

    from reached
    inner join steps
        on reached.step_number = steps.step_number
    cross join evaluation

)

select * from final
