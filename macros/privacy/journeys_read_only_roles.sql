{#-
    The database roles that get read-only access (SELECT) to the marts, from
    var read_only_roles: a list of role names; empty (the default) grants
    nothing (the marts' `grants` config in dbt_project.yml reads the same
    var, on PostgreSQL only). dbt writes grantees into GRANT statements
    unquoted, so every name must be a plain identifier (a letter or
    underscore, then letters, digits or underscores, at most 63
    characters); anything else is a clear error naming the variable, raised
    by the on-run-start check before any GRANT runs.
-#}
{% macro journeys_read_only_roles() %}
    {%- set raw = var('read_only_roles', []) -%}
    {%- if raw is none -%}
        {%- set raw = [] -%}
    {%- elif raw is string and raw | trim == '' -%}
        {%- set raw = [] -%}
    {%- elif raw is string or raw is not iterable or raw is mapping -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var read_only_roles must be a list of role names such as"
            ~ " [\"bi_reader\"], got '" ~ raw ~ "'") }}
    {%- endif -%}
    {%- set roles = [] -%}
    {%- for role in raw -%}
        {%- set name = role | string | trim -%}
        {%- if name != '' -%}
            {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]{0,62}', name) -%}
                {{ exceptions.raise_compiler_error(
                    "journeys: var read_only_roles: '" ~ name ~ "' is not a plain role name"
                    ~ " (a letter or underscore, then letters, digits or underscores)") }}
            {%- endif -%}
            {%- do roles.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(roles) }}
{% endmacro %}
