{#-
    on-run-end (dbt_project.yml): when a model failed because the engine
    ran out of memory or disk, print one line naming the setting to change
    (the engine's own message stays above it). Renders no SQL, so it runs
    even when the failure left the connection unusable.
-#}
{% macro journeys_explain_failures(results) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set seen = [] -%}
    {%- for result in results if (result.status | string) in ['error', 'fail'] -%}
        {%- set hint = journeys_failure_hint(result.message | string) -%}
        {%- if hint and hint not in seen -%}
            {%- do seen.append(hint) -%}
            {%- set node_name = result.node.name if result.node is defined and result.node else 'the build' -%}
            {{ log("journeys: " ~ node_name ~ " failed: " ~ hint, info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
