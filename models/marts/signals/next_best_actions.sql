{#-
    One row per customer whom an enabled rule of the seed
    next_best_action_rules says to act on now, with the winning rule and the
    reason. A rule reads one column of fct_customer_signals (`signal`, one
    of journeys_next_best_action_signals(); flags read as 1 / 0) and tests
    it with a condition from a fixed set against `threshold`: nothing in the
    seed is ever pasted into SQL, its values are only compared. The matching
    rule with the lowest priority number wins; ties go to the smaller
    rule_id. A null signal matches no rule.
-#}
{%- set signals = journeys_next_best_action_signals() -%}
{%- set double = journeys_type_double() -%}

with

customer_signals as (

    select * from {{ ref('fct_customer_signals') }}

),

rules as (

    select * from {{ ref('next_best_action_rules') }}
    where is_enabled

),

-- every enabled rule against every customer, with the value it reads
evaluated as (

    select
        customer_signals.customer_key,
        customer_signals.segment,
        customer_signals.evaluated_at,
        rules.rule_id,
        rules.signal,
        rules.condition,
        rules.threshold,
        rules.action,
        rules.priority,
        rules.description,
        case rules.signal
            {%- for signal in signals %}
                {%- if signal.kind == 'flag' %}
                    when '{{ signal.name }}' then case
                        when customer_signals.{{ signal.name }} then cast(1 as {{ double }})
                        when not customer_signals.{{ signal.name }} then cast(0 as {{ double }})
                    end
                {%- else %}
                    when
                        '{{ signal.name }}'
                        then cast(customer_signals.{{ signal.name }} as {{ double }})
                {%- endif %}
            {%- endfor %}
        end as signal_value,
        case rules.signal
            {%- for signal in signals if signal.kind == 'flag' %}
                when '{{ signal.name }}' then true
            {%- endfor %}
            else false
        end as is_flag_signal
    from customer_signals
    cross join rules

),

matched as (

    select
        *,
        row_number() over (
            partition by customer_key order by priority, rule_id
        ) as match_rank,
        count(*) over (partition by customer_key) as matched_rule_count
    from evaluated
    where
        case condition
            when 'is_true' then signal_value = 1
            when 'is_false' then signal_value = 0
            when 'at_least' then signal_value >= threshold
            when 'above' then signal_value > threshold
            when 'at_most' then signal_value <= threshold
            when 'below' then signal_value < threshold
            when 'equals' then signal_value = threshold
            when 'not_equals' then signal_value <> threshold
            else false
        end

),

matched_rule_lists as (

    select
        customer_key,
        {{ journeys_string_agg_ordered('rule_id', 'match_rank', "', '") }} as matched_rule_ids
    from matched
    group by customer_key

),

winners as (

    select
        matched.*,
        matched_rule_lists.matched_rule_ids
    from matched
    inner join matched_rule_lists
        on matched.customer_key = matched_rule_lists.customer_key
    where matched.match_rank = 1

),

described as (

    select
        *,
        case
            when is_flag_signal and signal_value = 1 then 'true'
            when is_flag_signal and signal_value = 0 then 'false'
            else {{ journeys_number_to_text('signal_value') }}
        end as signal_value_text,
        case condition
            when 'is_true' then 'is true'
            when 'is_false' then 'is false'
            when 'at_least' then '>= ' || {{ journeys_number_to_text('threshold') }}
            when 'above' then '> ' || {{ journeys_number_to_text('threshold') }}
            when 'at_most' then '<= ' || {{ journeys_number_to_text('threshold') }}
            when 'below' then '< ' || {{ journeys_number_to_text('threshold') }}
            when 'equals' then '= ' || {{ journeys_number_to_text('threshold') }}
            when 'not_equals' then '<> ' || {{ journeys_number_to_text('threshold') }}
        end as condition_text
    from winners

),

final as (

    select
        -- ids
        customer_key,
        rule_id,

        -- strings
        segment,
        action,
        signal,
        condition,
        {{ dbt.concat([
            'signal', "' = '", 'signal_value_text',
            "' (rule ' ", 'rule_id', "': '", 'signal', "' '", 'condition_text', "'): '",
            'description',
        ]) }} as reason,
        matched_rule_ids,

        -- numerics
        cast(priority as bigint) as priority,
        signal_value,
        threshold,
        cast(matched_rule_count as bigint) as matched_rule_count,

        -- timestamps
        evaluated_at

    from described

)

select * from final
