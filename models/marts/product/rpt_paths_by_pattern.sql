{#-
    rpt_paths cut by journey pattern: per journey_pattern (the journey's
    customer's pattern at as_of, dim_customers.journey_pattern;
    `unclassified` without one) and path type, the paths_top_n most common
    paths of that pattern's journeys (stage paths and channel paths,
    consecutive repeats collapsed, exactly as rpt_paths builds them), each
    with journeys, share of the pattern's journeys, conversion rate and
    median duration. The `all` pattern rows are rpt_paths' rows (one
    computation, int_journey_paths_cut). Answers "which paths do our
    researchers take, and do they convert?".
-#}
with

paths as (

    select * from {{ ref('int_journey_paths_cut') }}

),

final as (

    select
        -- keys
        journey_pattern,
        path_type,
        path_rank,
        journey_path,
        path_length,

        -- counts
        journeys,
        journeys_converted,

        -- rates and durations
        share_of_journeys,
        conversion_rate,
        median_duration_days

    from paths

)

select * from final
