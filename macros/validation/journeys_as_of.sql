{#-
    The `as_of` var as a SQL timestamp literal (UTC), or none when unset.
    Accepts ISO-8601 with or without an offset (no offset means UTC); any
    other value is a clear compile error naming the variable.
-#}
{% macro journeys_as_of_literal() %}
    {%- set raw = var('as_of', '') -%}
    {%- set text = '' if raw is none else (raw | string | trim) -%}
    {%- if text == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set iso = text[:-1] ~ '+00:00' if text[-1:] in ['Z', 'z'] else text -%}
    {%- set parsed = none -%}
    {%- if modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?)?([+-][0-9]{2}:?[0-9]{2})?', iso) -%}
        {%- set parsed = modules.datetime.datetime.fromisoformat(iso) -%}
    {%- endif -%}
    {%- if parsed is none -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var as_of must be an ISO-8601 timestamp such as "
            ~ "2025-06-30T00:00:00 or 2025-06-30T00:00:00+02:00, got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- if parsed.tzinfo is not none -%}
        {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
    {%- endif -%}
    {{ return("cast('" ~ parsed.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as "
              ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}
