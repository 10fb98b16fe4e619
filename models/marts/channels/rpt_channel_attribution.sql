{#-
    Channel attribution (SPEC 6) per model and channel (and 'all'): how many
    of the conversions, and how much of their revenue, each of six models
    credits to each channel.
      first_touch, last_touch, linear, position_based, time_decay: the sums
        of the per-touch credits of fct_attribution_credits (revenue: credit
        x the conversion's revenue);
      markov: the channel's removal share (int_attribution_markov_removal_effects)
        x total conversions and x total revenue.
    Every model has a row for every channel of the Markov chain (the channels
    of conversion and null paths, 'direct' included when a conversion had an
    empty path), 0 where the model credits nothing, and an 'all' row with the
    model's totals. Revenue missing on a conversion counts as 0. Without any
    conversion every model credits 0 (Markov included: its removal effects
    stay null, there being no conversion probability to remove).
-#}
with

credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

conversion_paths as (

    select * from {{ ref('fct_conversion_paths') }}

),

removal_effects as (

    select * from {{ ref('int_attribution_markov_removal_effects') }}

),

totals as (

    select
        count(*) as total_conversions,
        coalesce(sum(coalesce(revenue, 0)), 0) as total_revenue
    from conversion_paths

),

rule_credits as (

    {%- set rule_models = ['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay'] %}
    {%- for rule_model in rule_models %}
        select
            '{{ rule_model }}' as model,  -- noqa: RF04
            channel,
            {{ rule_model }}_credit as credit,
            coalesce(revenue, 0) as revenue
        from credits
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

rule_attribution as (

    select
        model,
        channel,
        sum(credit) as attributed_conversions,
        sum(credit * revenue) as attributed_revenue
    from rule_credits
    group by model, channel

),

-- no conversions: no route converts, so the chain's effects and shares are
-- null (int_attribution_markov_removal_effects), but there is nothing to
-- credit either, and Markov credits 0 like the rule-based models
markov_attribution as (

    select
        'markov' as model,  -- noqa: RF04
        removal_effects.channel,
        case
            when totals.total_conversions = 0 then cast(0 as {{ journeys_type_double() }})
            else removal_effects.removal_share * totals.total_conversions
        end as attributed_conversions,
        case
            when totals.total_conversions = 0 then cast(0 as {{ journeys_type_double() }})
            else removal_effects.removal_share * totals.total_revenue
        end as attributed_revenue,
        removal_effects.removal_effect
    from removal_effects
    cross join totals

),

touchpoints as (

    select
        channel,
        count(*) as touchpoints
    from credits
    group by channel

),

models as (

    {%- for model_name in rule_models + ['markov'] %}
        select
            '{{ model_name }}' as model,  -- noqa: RF04
            {{ loop.index }} as model_order
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

channels as (

    select channel from removal_effects
    union
    select channel from credits

),

by_channel as (

    select
        models.model,
        models.model_order,
        channels.channel,
        case
            when models.model = 'markov' then markov_attribution.attributed_conversions
            else coalesce(rule_attribution.attributed_conversions, 0)
        end as attributed_conversions,
        case
            when models.model = 'markov' then markov_attribution.attributed_revenue
            else coalesce(rule_attribution.attributed_revenue, 0)
        end as attributed_revenue,
        markov_attribution.removal_effect,
        coalesce(touchpoints.touchpoints, 0) as touchpoints
    from models
    cross join channels
    left join rule_attribution
        on
            models.model = rule_attribution.model
            and channels.channel = rule_attribution.channel
    left join markov_attribution
        on
            models.model = markov_attribution.model
            and channels.channel = markov_attribution.channel
    left join touchpoints
        on channels.channel = touchpoints.channel

),

with_all as (

    select * from by_channel

    union all

    select
        model,
        model_order,
        'all' as channel,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        sum(removal_effect) as removal_effect,
        sum(touchpoints) as touchpoints
    from by_channel
    group by model, model_order

),

final as (

    select
        -- keys
        with_all.model,
        with_all.channel,

        -- measures
        with_all.attributed_conversions,
        with_all.attributed_revenue,
        with_all.attributed_conversions
        / nullif(totals.total_conversions, 0) as conversion_share,
        with_all.attributed_revenue / nullif(totals.total_revenue, 0) as revenue_share,
        with_all.removal_effect,
        cast(with_all.touchpoints as bigint) as touchpoints,
        cast(with_all.model_order as bigint) as model_order

    from with_all
    cross join totals

)

select * from final
