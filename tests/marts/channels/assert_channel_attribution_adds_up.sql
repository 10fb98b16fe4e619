-- Every attribution model credits exactly the conversions and the revenue
-- there are (SPEC 6): per model, the channel rows add up to the number of
-- conversions in fct_conversion_paths and to their revenue, and so does the
-- model's 'all' row; and all six models are there. Sums of doubles are
-- compared within a relative 1e-9. Returns the models that do not add up.
with

report as (

    select * from {{ ref('rpt_channel_attribution') }}

),

conversion_paths as (

    select * from {{ ref('fct_conversion_paths') }}

),

totals as (

    select
        count(*) as conversions,
        coalesce(sum(coalesce(revenue, 0)), 0) as revenue
    from conversion_paths

),

by_model as (

    select
        model,
        coalesce(sum(case when channel <> 'all' then attributed_conversions end), 0)
            as channel_conversions,
        coalesce(sum(case when channel <> 'all' then attributed_revenue end), 0)
            as channel_revenue,
        coalesce(sum(case when channel = 'all' then attributed_conversions end), 0)
            as all_conversions,
        coalesce(sum(case when channel = 'all' then attributed_revenue end), 0) as all_revenue
    from report
    group by model

),

models as (

    select count(*) as models from by_model

),

checked as (

    select
        by_model.model,
        by_model.channel_conversions,
        by_model.all_conversions,
        totals.conversions,
        by_model.channel_revenue,
        by_model.all_revenue,
        totals.revenue,
        models.models
    from by_model
    cross join totals
    cross join models

)

select * from checked
where
    models <> 6
    or abs(channel_conversions - conversions) > 1e-9 * (conversions + 1)
    or abs(all_conversions - conversions) > 1e-9 * (conversions + 1)
    or abs(channel_revenue - revenue) > 1e-9 * (revenue + 1)
    or abs(all_revenue - revenue) > 1e-9 * (revenue + 1)
