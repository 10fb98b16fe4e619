{#- The batch stamp of this dbt invocation (its start, UTC) as a SQL
    timestamp literal: every row an incremental event model writes in this
    run carries it in _batch_at. -#}
{% macro journeys_batch_at() %}
    {{ return("cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as "
              ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}
