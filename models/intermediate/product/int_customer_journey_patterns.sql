{#-
    Each customer's journey pattern (issue 8, item 4): a behavioural segment
    from the rules of the journey_pattern_rules seed. Per customer, the
    inputs the rules can test (one column each); each rule (pattern) is
    the AND of its seed rows (metric operator threshold; a null input fails
    its condition); the customer gets the matching rule with the lowest
    pattern_priority, or `unclassified` when none matches.
-#}
{#- The inputs a rule may name in its `metric` column. -#}
{%- set metrics = ['events', 'journeys', 'orders', 'is_churned', 'touchpoint_channels',
                   'support_events', 'consideration_events', 'days_to_first_purchase',
                   'touchpoints_before_first_purchase'] -%}

{%- set churn_inactivity_days = journeys_positive_number_var('churn_inactivity_days', 90) -%}

with

-- the per-customer totals dim_customers also reads (not dim_customers
-- itself: it carries journey_pattern from this model), churned at as_of
-- exactly as dim_customers.is_churned
customers as (

    select
        activity.*,
        {{ dbt.dateadd('day', churn_inactivity_days, 'activity.last_seen_at') }}
        <= evaluation.as_of_at as is_churned
    from {{ ref('int_customer_activity') }} as activity
    cross join {{ ref('int_evaluation_instant') }} as evaluation

),

events as (

    select * from {{ ref('fct_events') }}

),

rules as (

    select * from {{ ref('journey_pattern_rules') }}

),

-- one pass over the events: what the customer did, and how much of it
-- before their first purchase
event_inputs as (

    select
        events.customer_key,
        count(distinct case when events.is_touchpoint then events.channel end)
            as touchpoint_channels,
        sum(
            case
                when events.is_friction or (events.is_touchpoint and events.event_stage is null)
                    then 1
                else 0
            end
        ) as support_events,
        sum(case when events.event_stage = 'consideration' then 1 else 0 end)
            as consideration_events,
        sum(
            case
                when events.is_touchpoint and events.occurred_at <= customers.first_purchase_at
                    then 1
                else 0
            end
        ) as touchpoints_before_first_purchase
    from events
    inner join customers
        on events.customer_key = customers.customer_key
    group by events.customer_key

),

inputs as (

    select
        customers.customer_key,
        customers.event_count as events,
        customers.journey_count as journeys,
        customers.orders,
        case when customers.is_churned then 1 else 0 end as is_churned,
        coalesce(event_inputs.touchpoint_channels, 0) as touchpoint_channels,
        coalesce(event_inputs.support_events, 0) as support_events,
        coalesce(event_inputs.consideration_events, 0) as consideration_events,
        {{ journeys_seconds_between('customers.first_seen_at', 'customers.first_purchase_at') }}
        / 86400.0 as days_to_first_purchase,
        case
            when customers.first_purchase_at is not null
                then coalesce(event_inputs.touchpoints_before_first_purchase, 0)
        end as touchpoints_before_first_purchase
    from customers
    left join event_inputs
        on customers.customer_key = event_inputs.customer_key

),

-- every condition of every rule, for every customer: the input it names
rule_inputs as (

    select
        inputs.customer_key,
        rules.pattern_priority,
        rules.journey_pattern,
        rules.description,
        rules.operator,
        rules.threshold,
        cast(
            case rules.metric
                {%- for metric in metrics %}
                    when '{{ metric }}' then inputs.{{ metric }}
                {%- endfor %}
            end as {{ journeys_type_double() }}
        ) as metric_value
    from inputs
    cross join rules

),

conditions as (

    select
        customer_key,
        pattern_priority,
        journey_pattern,
        description,
        case
            when metric_value is null then 0
            when operator = '>=' and metric_value >= threshold then 1
            when operator = '>' and metric_value > threshold then 1
            when operator = '<=' and metric_value <= threshold then 1
            when operator = '<' and metric_value < threshold then 1
            when operator = '=' and metric_value = threshold then 1
            else 0
        end as is_met
    from rule_inputs

),

matched_rules as (

    select
        customer_key,
        pattern_priority,
        journey_pattern,
        max(description) as pattern_description,
        row_number() over (
            partition by customer_key order by pattern_priority, journey_pattern
        ) as match_rank
    from conditions
    group by customer_key, pattern_priority, journey_pattern
    having min(is_met) = 1

),

final as (

    select
        -- keys
        inputs.customer_key,

        -- the inputs the rules test
        {%- for metric in metrics %}
            inputs.{{ metric }},
        {%- endfor %}

        -- the pattern and the rule that gave it (a rule named like the
        -- reports' rollup row `all` is renamed, as staging renames data
        -- values: journeys_escape_rollup_label)
        coalesce(
            {{ journeys_escape_rollup_label('matched_rules.journey_pattern') }}, 'unclassified'
        ) as journey_pattern,
        matched_rules.pattern_priority,
        matched_rules.pattern_description

    from inputs
    left join matched_rules
        on
            inputs.customer_key = matched_rules.customer_key
            and matched_rules.match_rank = 1

)

select * from final
