-- fct_events: "What did a customer do on the way to their first purchase?"
-- Every event of the first converting journey of the customer with the most
-- events before converting (set customer_key to look at someone else).
with

first_converting_journey as (

    select
        customer_key,
        journey_id
    from {{ ref('fct_journeys') }}
    where is_converted
    order by touchpoints_to_convert desc, journey_id asc
    limit 1

)

select
    events.occurred_at,
    events.channel,
    events.event_type,
    events.event_stage,
    events.journey_stage,
    events.session_number
from {{ ref('fct_events') }} as events
inner join first_converting_journey
    on events.journey_id = first_converting_journey.journey_id
order by events.event_sequence_number
