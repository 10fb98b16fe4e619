{#- post_hook of fct_journeys: after an incremental run every journey's
    is_closed is re-evaluated against the new as_of (a journey of an
    unchanged customer closes as time passes). No-op on a full build. -#}
{% macro journeys_refresh_journey_closure(evaluation_relation) %}
    {%- if is_incremental() -%}
        update {{ this }}
        set is_closed = {{ journeys_journey_is_closed(
            'ended_at', '(select as_of_at from ' ~ evaluation_relation ~ ')') }}
    {%- else -%}
        select 1 as nothing_to_refresh
    {%- endif -%}
{% endmacro %}
