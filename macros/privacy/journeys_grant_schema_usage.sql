{#-
    on-run-end (dbt_project.yml): a role can only read a table in a schema
    it may use, so the read-only roles get USAGE on the target schema (and
    nothing else: no CREATE) on PostgreSQL. No SQL elsewhere, or when no
    role is configured.
-#}
{% macro journeys_grant_schema_usage() %}
    {{ return(adapter.dispatch('journeys_grant_schema_usage', 'journeys')()) }}
{% endmacro %}

{% macro default__journeys_grant_schema_usage() %}
    {{ return('') }}
{% endmacro %}

{% macro postgres__journeys_grant_schema_usage() %}
    {%- set roles = journeys_read_only_roles() -%}
    {%- if roles | length == 0 or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {{ return('grant usage on schema ' ~ adapter.quote(target.schema) ~ ' to '
              ~ (roles | join(', '))) }}
{% endmacro %}
