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
    {%- set match = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})([T ]([0-9]{2}):([0-9]{2})(:([0-9]{2})(\\.[0-9]{1,6})?)?)?([+-]([0-9]{2}):?([0-9]{2}))?', iso) -%}
    {#- The calendar and clock are checked here: Python's own parser would
        stop with its message ('month must be in 1..12'), not ours. -#}
    {%- if match -%}
        {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
        {%- set leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) -%}
        {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- if year >= 1 and 1 <= month <= 12 and 1 <= day <= month_days[month - 1]
                and (match.group(5) or '0') | int <= 23 and (match.group(6) or '0') | int <= 59
                and (match.group(8) or '0') | int <= 59
                and (match.group(11) or '0') | int <= 23 and (match.group(12) or '0') | int <= 59 -%}
            {%- set parsed = modules.datetime.datetime.fromisoformat(iso) -%}
        {%- endif -%}
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
