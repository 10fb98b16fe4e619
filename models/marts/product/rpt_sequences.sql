{#-
    The most frequent consecutive event-type sequences inside sessions
    (issue 8, item 2), of length 2 and 3: every run of consecutive events of
    a session (event order, every event type, purchases included) is one
    occurrence. An occurrence leads to a purchase when a conversion event
    follows its last event in the same session. Per length, the paths_top_n
    most frequent sequences (ties by sequence text), with their purchase
    rate and its lift over the base rate of all sequences of that length.
-#}
{%- set top_n = journeys_whole_number_var('paths_top_n', 20) -%}

with

events as (

    select * from {{ ref('fct_events') }}

),

-- one pass over the events: each event with the next two of its session
positioned as (

    select
        session_id,
        event_type,
        lead(event_type, 1) over session_order as next_event_type,
        lead(event_type, 2) over session_order as second_next_event_type,
        lead(event_sequence_number, 1) over session_order as next_sequence_number,
        lead(event_sequence_number, 2) over session_order as second_next_sequence_number,
        max(case when is_conversion then event_sequence_number end) over (
            partition by session_id
        ) as last_conversion_sequence_number
    from events
    window session_order as (partition by session_id order by event_sequence_number)

),

occurrences as (

    select
        2 as sequence_length,
        {{ dbt.concat(['event_type', "' > '", 'next_event_type']) }} as event_sequence,
        session_id,
        coalesce(last_conversion_sequence_number > next_sequence_number, false)
            as is_followed_by_purchase
    from positioned
    where next_event_type is not null
    union all
    select
        3 as sequence_length,
        {{ dbt.concat([
            'event_type', "' > '", 'next_event_type', "' > '", 'second_next_event_type'
        ]) }} as event_sequence,
        session_id,
        coalesce(last_conversion_sequence_number > second_next_sequence_number, false)
            as is_followed_by_purchase
    from positioned
    where second_next_event_type is not null

),

sequences as (

    select
        sequence_length,
        event_sequence,
        count(*) as occurrences,
        count(distinct session_id) as sessions,
        sum(case when is_followed_by_purchase then 1 else 0 end) as occurrences_followed_by_purchase
    from occurrences
    group by sequence_length, event_sequence

),

ranked as (

    select
        *,
        row_number() over (
            partition by sequence_length order by occurrences desc, event_sequence asc
        ) as sequence_rank,
        sum(occurrences) over (partition by sequence_length) as all_occurrences,
        sum(occurrences_followed_by_purchase) over (partition by sequence_length)
            as all_occurrences_followed_by_purchase
    from sequences

),

rated as (

    select
        *,
        cast(occurrences_followed_by_purchase as {{ journeys_type_double() }})
        / occurrences as purchase_rate,
        cast(all_occurrences_followed_by_purchase as {{ journeys_type_double() }})
        / all_occurrences as base_purchase_rate
    from ranked
    where sequence_rank <= {{ top_n }}

),

final as (

    select
        -- keys
        cast(sequence_length as bigint) as sequence_length,
        cast(sequence_rank as bigint) as sequence_rank,
        event_sequence,

        -- counts
        cast(occurrences as bigint) as occurrences,
        cast(sessions as bigint) as sessions,
        cast(occurrences_followed_by_purchase as bigint) as occurrences_followed_by_purchase,

        -- rates
        cast(occurrences as {{ journeys_type_double() }}) / all_occurrences
            as share_of_occurrences,
        cast(purchase_rate as {{ journeys_type_double() }}) as purchase_rate,
        cast(base_purchase_rate as {{ journeys_type_double() }}) as base_purchase_rate,
        purchase_rate / nullif(base_purchase_rate, 0) as purchase_lift

    from rated

)

select * from final
