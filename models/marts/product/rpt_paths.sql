{#-
    The most common journey variants (issue 8, item 2): the `all`
    journey-pattern rows of int_journey_paths_cut (computed there once with
    rpt_paths_by_pattern). Each journey has two paths: path_type `stage`,
    its events' stages (event_stage: a repeat purchase is `retention`) in
    event order, and path_type `channel`, its touchpoints' channels in event
    order; consecutive repeats collapse into one step (web > web > email is
    web > email). A journey without staged events (or without touchpoints)
    has the path `(none)`. Per path type, the paths_top_n most frequent
    paths (ties by path text), each with journeys, share of all journeys,
    conversion rate and median duration.
-#}
with

paths as (

    select * from {{ ref('int_journey_paths_cut') }}
    where journey_pattern = 'all'

),

final as (

    select
        -- keys
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
