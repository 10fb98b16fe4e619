{#-
    The most common journey variants (issue 8, item 2), computed once for
    rpt_paths (its `all` journey_pattern rows) and rpt_paths_by_pattern
    (every row), so the two agree (D192). Each journey has
    two paths: path_type `stage`, its events' stages (event_stage: a repeat
    purchase is `retention`) in event order, and path_type `channel`, its
    touchpoints' channels in event order; consecutive repeats collapse into
    one step (web > web > email is web > email). A journey without staged
    events (or without touchpoints) has the path `(none)`. Per
    journey_pattern (the journey's customer's pattern at as_of,
    `unclassified` without one; `all` for every journey) and path type, the
    paths_top_n most frequent paths (ties by path text), each with journeys,
    share of the pattern's journeys, conversion rate and median duration.
-#}
{%- set top_n = journeys_whole_number_var('paths_top_n', 20) -%}

with

events as (

    select * from {{ ref('fct_events') }}

),

journeys as (

    select * from {{ ref('fct_journeys') }}

),

patterns as (

    select * from {{ ref('int_customer_journey_patterns') }}

),

-- each journey under its customer's pattern and under `all`
journey_patterns as (

    select
        journeys.journey_id,
        coalesce(patterns.journey_pattern, 'unclassified') as journey_pattern
    from journeys
    left join patterns
        on journeys.customer_key = patterns.customer_key
    union all
    select
        journey_id,
        'all' as journey_pattern
    from journeys

),

stage_steps as (

    select
        journey_id,
        event_sequence_number,
        event_stage as step,
        lag(event_stage) over (
            partition by journey_id order by event_sequence_number
        ) as previous_step
    from events
    where event_stage is not null

),

channel_steps as (

    select
        journey_id,
        event_sequence_number,
        channel as step,
        lag(channel) over (
            partition by journey_id order by event_sequence_number
        ) as previous_step
    from events
    where is_touchpoint

),

collapsed_steps as (

    select
        'stage' as path_type,
        journey_id,
        event_sequence_number,
        step
    from stage_steps
    where previous_step is null or previous_step != step
    union all
    select
        'channel' as path_type,
        journey_id,
        event_sequence_number,
        step
    from channel_steps
    where previous_step is null or previous_step != step

),

journey_paths as (

    select
        path_type,
        journey_id,
        {{ journeys_string_agg_ordered('step', 'event_sequence_number', "' > '") }} as journey_path,
        count(*) as path_length
    from collapsed_steps
    group by path_type, journey_id

),

path_types as (

    select 'stage' as path_type
    union all
    select 'channel' as path_type

),

every_journey_path as (

    select
        journey_patterns.journey_pattern,
        path_types.path_type,
        journeys.journey_id,
        coalesce(journey_paths.journey_path, '(none)') as journey_path,
        coalesce(journey_paths.path_length, 0) as path_length,
        journeys.is_converted,
        journeys.duration_days
    from journeys
    inner join journey_patterns
        on journeys.journey_id = journey_patterns.journey_id
    cross join path_types
    left join journey_paths
        on
            journeys.journey_id = journey_paths.journey_id
            and path_types.path_type = journey_paths.path_type

),

paths as (

    select
        journey_pattern,
        path_type,
        journey_path,
        max(path_length) as path_length,
        count(*) as journeys,
        sum(case when is_converted then 1 else 0 end) as journeys_converted,
        {{ journeys_median('duration_days') }} as median_duration_days
    from every_journey_path
    group by journey_pattern, path_type, journey_path

),

ranked as (

    select
        *,
        row_number() over (
            partition by journey_pattern, path_type order by journeys desc, journey_path asc
        ) as path_rank,
        sum(journeys) over (partition by journey_pattern, path_type) as all_journeys
    from paths

),

final as (

    select
        -- keys
        journey_pattern,
        path_type,
        cast(path_rank as bigint) as path_rank,
        journey_path,
        cast(path_length as bigint) as path_length,

        -- counts
        cast(journeys as bigint) as journeys,
        cast(journeys_converted as bigint) as journeys_converted,

        -- rates and durations
        cast(journeys as {{ journeys_type_double() }}) / all_journeys as share_of_journeys,
        cast(journeys_converted as {{ journeys_type_double() }}) / journeys as conversion_rate,
        cast(median_duration_days as {{ journeys_type_double() }}) as median_duration_days

    from ranked
    where path_rank <= {{ top_n }}

)

select * from final
