{#-
    Every attribution path with its touchpoints in order (SPEC 6,
    attribution): one row per path x touch position.

      conversion paths (path_type 'conversion', one per conversion event):
        the touchpoints of the conversion's journey after the journey's
        previous conversion and before the conversion, in event order
        (occurred_at, event_id), at most attribution_lookback_days older than
        the conversion (exactly that old is in). A conversion without such a
        touchpoint has one row for channel 'direct' (no touch event).
      null paths (path_type 'null', one per closed journey that has one):
        the touchpoints of a closed journey after its last conversion (all of
        them if it never converted), at most attribution_lookback_days older
        than the path's last touchpoint.

    "Before" and "after" are event order (DECISIONLOG D2): a touchpoint at
    the conversion's instant with a smaller event_id is in its path, one with
    a larger event_id is in the next conversion's path. A conversion event is
    never a touchpoint, even when an edited mapping flags it as one.

    Paths are evaluated at as_of (DECISIONLOG D182): only events at or
    before it are read, so a conversion after as_of (possible when as_of is
    set in the past) has no path and credits no channel, as it would not
    have at that instant.
-#}
{%- set lookback_days = journeys_positive_number_var('attribution_lookback_days', 30) -%}
{%- set lookback_seconds = lookback_days * 86400 -%}

with

evaluation as (

    select as_of_at from {{ ref('int_evaluation_instant') }}

),

events as (

    select
        events.event_id,
        events.customer_key,
        events.journey_id,
        events.event_type,
        events.channel,
        events.campaign_id,
        events.revenue,
        events.is_touchpoint,
        events.is_conversion,
        events.occurred_at
    from {{ ref('fct_events') }} as events
    cross join evaluation
    where
        (events.is_touchpoint or events.is_conversion)
        and events.occurred_at <= evaluation.as_of_at

),

journeys as (

    select
        journey_id,
        is_closed
    from {{ ref('fct_journeys') }}

),

-- each event's place between its journey's conversions: the number of the
-- journey's conversions before it in event order
segmented as (

    select
        *,
        coalesce(sum(case when is_conversion then 1 else 0 end) over (
            partition by journey_id
            order by occurred_at, event_id
            rows between unbounded preceding and 1 preceding
        ), 0) as conversions_before,
        sum(case when is_conversion then 1 else 0 end) over (
            partition by journey_id
        ) as journey_conversions
    from events

),

conversions as (

    select
        event_id as conversion_event_id,
        customer_key,
        journey_id,
        event_type as conversion_event_type,
        channel as conversion_channel,
        revenue,
        cast(conversions_before + 1 as {{ dbt.type_int() }}) as conversion_number,
        occurred_at as converted_at
    from segmented
    where is_conversion

),

touchpoints as (

    select
        event_id as touch_event_id,
        customer_key,
        journey_id,
        channel,
        event_type as touch_event_type,
        campaign_id as touch_campaign_id,
        conversions_before,
        journey_conversions,
        occurred_at as touch_occurred_at
    from segmented
    where is_touchpoint and not is_conversion

),

-- a conversion's touchpoints: same journey, after the previous conversion
-- and before this one, inside the look-back; none: a 'direct' touch
conversion_touches as (

    select
        'conversion' as path_type,
        conversions.conversion_event_id as path_id,
        conversions.customer_key,
        conversions.journey_id,
        conversions.conversion_event_id,
        conversions.conversion_event_type,
        conversions.conversion_channel,
        conversions.revenue,
        conversions.conversion_number,
        touchpoints.touch_event_id,
        coalesce(touchpoints.channel, 'direct') as channel,
        touchpoints.touch_event_type,
        touchpoints.touch_campaign_id,
        touchpoints.touch_occurred_at,
        conversions.converted_at as path_ended_at
    from conversions
    left join touchpoints
        on
            conversions.journey_id = touchpoints.journey_id
            and touchpoints.conversions_before = conversions.conversion_number - 1
            and {{ journeys_seconds_between(
                'touchpoints.touch_occurred_at', 'conversions.converted_at') }}
            <= {{ lookback_seconds }}

),

-- touchpoints of closed journeys after the journey's last conversion
tail_touchpoints as (

    select
        touchpoints.*,
        max(touchpoints.touch_occurred_at) over (
            partition by touchpoints.journey_id
        ) as last_touch_occurred_at
    from touchpoints
    inner join journeys
        on touchpoints.journey_id = journeys.journey_id
    where
        journeys.is_closed
        and touchpoints.conversions_before = touchpoints.journey_conversions

),

null_touches as (

    select
        'null' as path_type,
        journey_id as path_id,
        customer_key,
        journey_id,
        cast(null as {{ dbt.type_string() }}) as conversion_event_id,
        cast(null as {{ dbt.type_string() }}) as conversion_event_type,
        cast(null as {{ dbt.type_string() }}) as conversion_channel,
        cast(null as {{ journeys_type_double() }}) as revenue,
        cast(null as {{ dbt.type_int() }}) as conversion_number,
        touch_event_id,
        channel,
        touch_event_type,
        touch_campaign_id,
        touch_occurred_at,
        last_touch_occurred_at as path_ended_at
    from tail_touchpoints
    where
        {{ journeys_seconds_between(
            'touch_occurred_at', 'last_touch_occurred_at') }}
        <= {{ lookback_seconds }}

),

path_touches as (

    select * from conversion_touches
    union all
    select * from null_touches

),

positioned as (

    select
        *,
        row_number() over (
            partition by path_type, path_id
            order by touch_occurred_at, touch_event_id
        ) as touch_position,
        count(touch_event_id) over (partition by path_type, path_id) as touchpoint_count,
        count(*) over (partition by path_type, path_id) as path_length
    from path_touches

),

final as (

    select
        -- ids
        path_type,
        path_id,
        customer_key,
        journey_id,
        conversion_event_id,
        touch_event_id,
        touch_campaign_id,

        -- strings
        channel,
        touch_event_type,
        conversion_event_type,
        conversion_channel,

        -- numerics
        touch_position,
        path_length,
        touchpoint_count,
        conversion_number,
        revenue,
        {{ journeys_seconds_between('touch_occurred_at', 'path_ended_at') }}
            as seconds_before_path_end,

        -- booleans
        touch_event_id is null as is_direct,

        -- timestamps
        touch_occurred_at,
        path_ended_at

    from positioned

)

select * from final
