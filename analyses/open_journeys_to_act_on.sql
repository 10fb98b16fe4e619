-- fct_journey_predictions: "Which open journeys are worth a nudge now?"
-- Open journeys that have not converted yet, with a fair chance of
-- converting, most likely first, with when the conversion is expected.
with

predictions as (

    select * from {{ ref('fct_journey_predictions') }}
    where not is_converted

)

select
    journey_id,
    customer_key,
    current_stage,
    current_channel,
    waited_days,
    round(conversion_probability, 3) as conversion_probability,
    round(stage_conversion_rate, 3) as stage_conversion_rate,
    round(expected_days_to_conversion, 1) as expected_days_to_conversion,
    prediction_method
from predictions
where conversion_probability >= 0.2
order by conversion_probability desc, journey_id asc
