{#-
    Ordered funnel entries (issue 8, item 1): one row per entry and funnel
    step it reached. Steps are the event types of the funnel_steps seed, in
    step_number order (at most 8 steps).

    - Entry: a customer's first first-step event starts an entry; the next
      entry starts at their first first-step event more than
      funnel_conversion_window_days after the start of the current entry
      (not after the previous first-step event: views on days 0, 10, 20
      with a 14-day window are entries on days 0 and 20). First-step events
      inside an entry's window belong to it: they neither restart its clock
      nor start a second entry.
    - Window: a later step counts when it happens at most the window after
      the entry's first step (exactly at the window is in).
    - Order: step k is the earliest step-k event at or after the instant of
      step k-1 (other events may happen in between; an event at the same
      instant as the previous step counts, an earlier one does not: steps
      out of order are not matched). The earliest match is taken, so the
      time between steps is measured between first completions.

    Entries without a recursive CTE (Spark has none), exactly: a first-step
    instant more than the window after the previous one always starts an
    entry, so the instants fall into runs that are independent. A run no
    longer than the window is one entry. In a longer run, next(n) = the
    first instant more than the window after instant n (non-decreasing in
    n), and the entries are the chain 1, next(1), next(next(1)), ...: found
    by pointer doubling (jump_k = next applied 2^k times, each level one
    sorted pass that reads the level below once), then by marking the chain
    from the run's first instant level by level. That is exact for up to
    2^funnel_entry_chain_doublings entries in one run; the column
    is_entry_chain_complete is false past it, and a data test fails the
    build then (never a silent undercount).
-#}
{%- set window_days = journeys_positive_number_var('funnel_conversion_window_days', 14) -%}
{%- set max_steps = 8 -%}
{%- set doublings = journeys_whole_number_var('funnel_entry_chain_doublings', 16, 1, 40) -%}
{#- the window in whole microseconds: "more than the window" is more than
    this many, "at most the window" at most this many (capped far beyond
    any span of data so that it stays a bigint) -#}
{%- set window_micros = [
        (window_days * 86400 * 1000000) | round(0, 'floor') | int,
        4611686018427387904] | min -%}

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

-- the customer's first-step instants; one more than the window after the
-- previous one starts a run (and certainly an entry: the open entry began
-- at or before the previous instant)
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

run_starts as (

    select
        customer_key,
        occurred_at,
        sum(
            case
                when previous_first_step_at is null then 1
                when
                    {{ journeys_micros_between('previous_first_step_at', 'occurred_at') }}
                    > {{ window_micros }}
                    then 1
                else 0
            end
        ) over (
            partition by customer_key
            order by occurred_at
            rows between unbounded preceding and current row
        ) as run_number
    from first_steps

),

runs as (

    select
        customer_key,
        run_number,
        occurred_at,
        row_number() over (
            partition by customer_key, run_number order by occurred_at
        ) as node_number,
        count(*) over (partition by customer_key, run_number) as run_nodes,
        min(occurred_at) over (partition by customer_key, run_number) as run_started_at,
        max(occurred_at) over (partition by customer_key, run_number) as run_ended_at
    from run_starts

),

-- runs longer than the window can hold more than one entry
long_runs as (

    select
        customer_key,
        run_number,
        node_number,
        run_nodes,
        {{ journeys_micros_between('run_started_at', 'occurred_at') }} as micros_from_run_start
    from runs
    where {{ journeys_micros_between('run_started_at', 'run_ended_at') }} > {{ window_micros }}

),

{%- if journeys_funnel_entries_by_fold() %}

    -- Spark: the same entries by one fold per run (its planner grows
    -- exponentially with the doubling's depth: D191)
    long_run_entries as (

        {{ journeys_spark_fold_run_entries('long_runs', window_micros, 2 ** doublings) }}

    ),

{%- else %}

    -- two rows per instant: the instant itself (kind 0) and a probe at the end
    -- of its window (kind 1), in one read of long_runs
    row_kinds as (

        select 0 as kind
        union all
        select 1 as kind

    ),

    probes as (

        select
            long_runs.customer_key,
            long_runs.run_number,
            long_runs.node_number,
            long_runs.run_nodes,
            row_kinds.kind,
            long_runs.micros_from_run_start
            + row_kinds.kind * {{ window_micros }} as probe_micros
        from long_runs
        cross join row_kinds

    ),

    -- next(n) = 1 + the instants at most the window after instant n (instants
    -- sort before probes at the same microsecond: exactly the window is in);
    -- run_nodes + 1 when the run ends first
    jumps_0 as (

        select
            customer_key,
            run_number,
            node_number,
            run_nodes,
            1 + instants_up_to_probe as jump_0
        from (
            select
                *,
                sum(1 - kind) over (
                    partition by customer_key, run_number
                    order by probe_micros, kind
                    rows between unbounded preceding and current row
                ) as instants_up_to_probe
            from probes
        ) as counted
        where kind = 1

    ),
    {%- for level in range(doublings - 1) %}

    -- jump_{{ level + 1 }}(n) = jump_{{ level }}(jump_{{ level }}(n)): each node (kind 0) and a
    -- lookup at its jump (kind 1), sorted by position; jump_{{ level }} is
    -- non-decreasing, so the running max of the nodes' jumps up to the
    -- lookup's position is the jump of exactly that position
        jumps_{{ level + 1 }} as (

            select
                customer_key,
                run_number,
                node_number,
                run_nodes,
                {%- for previous in range(level + 1) %}
                    jump_{{ previous }},
                {%- endfor %}
                looked_up as jump_{{ level + 1 }}
            from (
                select
                    *,
                    max(case when kind = 0 then jump_{{ level }} end) over (
                        partition by customer_key, run_number
                        order by lookup_position, kind
                        rows between unbounded preceding and current row
                    ) as looked_up
                from (
                    select
                        jumps.*,
                        row_kinds.kind,
                        case
                            when row_kinds.kind = 0 then jumps.node_number
                            else jumps.jump_{{ level }}
                        end as lookup_position
                    from jumps_{{ level }} as jumps
                    cross join row_kinds
                ) as lookups
            ) as composed
            where kind = 1

        ),
    {%- endfor %}

    -- the chain from the run's first instant: start with it, then at each
    -- level (largest jump first) add the jump of every marked node; after all
    -- levels the marked nodes are next^m(1) for every m < 2^doublings
    marked_{{ doublings }} as (

        select
            customer_key,
            run_number,
            node_number,
            run_nodes,
            {%- for level in range(doublings) %}
                jump_{{ level }},
            {%- endfor %}
            case when node_number = 1 then 1 else 0 end as is_entry
        from jumps_{{ doublings - 1 }}

    ),
    {%- for level in range(doublings - 1, -1, -1) %}

        marked_{{ level }} as (

            select
                customer_key,
                run_number,
                node_number,
                max(run_nodes) as run_nodes,
                {#- the lower levels' jumps, and jump_0 always (the check below) #}
                {%- for kept in range([level, 1] | max) %}
                    max(case when kind = 0 then jump_{{ kept }} end) as jump_{{ kept }},
                {%- endfor %}
                max(is_entry) as is_entry
            from (
                select
                    marked.customer_key,
                    marked.run_number,
                    marked.run_nodes,
                    row_kinds.kind,
                    {%- for kept in range([level, 1] | max) %}
                        marked.jump_{{ kept }},
                    {%- endfor %}
                    case
                        when row_kinds.kind = 0 then marked.node_number
                        else marked.jump_{{ level }}
                    end as node_number,
                    case when row_kinds.kind = 0 then marked.is_entry else 1 end as is_entry
                from marked_{{ level + 1 }} as marked
                cross join row_kinds
                where row_kinds.kind = 0 or marked.is_entry = 1
            ) as spread
            group by customer_key, run_number, node_number
            -- a jump past the run's last node marks nothing
            having max(case when kind = 0 then 1 else 0 end) = 1

        ),
    {%- endfor %}

    -- complete when the last entry found has no next instant in its run
    long_run_entries as (

        select
            customer_key,
            run_number,
            node_number,
            is_entry,
            max(case when is_entry = 1 then jump_0 end) over (
                partition by customer_key, run_number
            ) > run_nodes as is_entry_chain_complete
        from marked_0

    ),

{%- endif %}

entries as (

    select
        runs.customer_key,
        runs.occurred_at as entered_at,
        coalesce(long_run_entries.is_entry_chain_complete, true) as is_entry_chain_complete,
        row_number() over (
            partition by runs.customer_key order by runs.occurred_at
        ) as entry_number
    from runs
    left join long_run_entries
        on
            runs.customer_key = long_run_entries.customer_key
            and runs.run_number = long_run_entries.run_number
            and runs.node_number = long_run_entries.node_number
    where runs.node_number = 1 or long_run_entries.is_entry = 1

),

-- follow each entry step by step: step k is the next step-k instant at or
-- after step k-1, if still inside the window
chained_1 as (

    select
        customer_key,
        entry_number,
        entered_at,
        is_entry_chain_complete,
        entered_at as step_1_at
    from entries

),
{%- for step in range(2, max_steps + 1) %}

    chained_{{ step }} as (

        select
            chained.*,
            case
                when
                    {{ journeys_micros_between(
                        'chained.entered_at', 'instants.next_step_' ~ step ~ '_at'
                    ) }} <= {{ window_micros }}
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
            is_entry_chain_complete,
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
        >= {{ window_days }} * 86400 as is_window_closed,
        reached.is_entry_chain_complete

    from reached
    inner join steps
        on reached.step_number = steps.step_number
    cross join evaluation

)

select * from final
