{#-
    Small engine-specific building blocks of the checked parses in
    journeys_parse_timestamp and journeys_parse_number (PostgreSQL and
    Spark only; DuckDB has try_cast). Patterns are SQL string literals
    without backslashes, so they read the same on every engine.
-#}

{#- PostgreSQL -#}
{% macro journeys_postgres_regex_matches(text, pattern) -%}
    ({{ text }} ~ {{ pattern }})
{%- endmacro %}

{#- PostgreSQL's regex engine is slow to capture groups of the whole nested
    pattern (~0.1 ms a call); one small pattern per part is ~1 us. The text
    already matched the whole pattern, so each part sits where these say.
    The time part is [0-9:.]+ after T or space, the offset after it. -#}
{% macro journeys_postgres_timestamp_group(text, n) -%}
    {%- set patterns = {
        1: '^([0-9]{4})',
        2: '^[0-9]{4}-([0-9]{1,2})',
        3: '^[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})',
        5: '[T ]([0-9]{1,2})',
        6: '[T ][0-9]{1,2}:([0-9]{1,2})',
        8: '[T ][0-9]{1,2}:[0-9]{1,2}:([0-9]{1,2})',
        10: '[T ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}[.]([0-9]*)',
        12: '[T ][0-9:.]+([+-])',
        13: '[T ][0-9:.]+[+-]([0-9]{2})',
        15: '[T ][0-9:.]+[+-][0-9]{2}:?([0-9]{2})$',
    } -%}
    substring({{ text }} from {{ journeys_sql_string(patterns[n]) }})
{%- endmacro %}

{% macro journeys_postgres_epoch_day(year, month, day) -%}
    (make_date({{ year }}, {{ month }}, {{ day }}) - date '1970-01-01')
{%- endmacro %}

{#- interval arithmetic in three parts, each exact (interval * number is
    computed in double precision) -#}
{% macro journeys_postgres_from_epoch(days, seconds, micros) -%}
    (timestamp '1970-01-01 00:00:00'
        + ({{ days }}) * interval '1 day'
        + ({{ seconds }}) * interval '1 second'
        + ({{ micros }}) * interval '1 microsecond')
{%- endmacro %}

{#- Spark (ANSI mode off, as dbt-spark sets it: casts of bad text are null) -#}
{% macro journeys_spark_regex_matches(text, pattern) -%}
    ({{ text }} rlike {{ pattern }})
{%- endmacro %}

{% macro journeys_spark_timestamp_group(text, n) -%}
    nullif(regexp_extract({{ text }}, {{ journeys_sql_string(journeys_timestamp_pattern()) }}, {{ n }}), '')
{%- endmacro %}

{% macro journeys_spark_epoch_day(year, month, day) -%}
    cast(unix_date(make_date({{ year }}, {{ month }}, {{ day }})) as bigint)
{%- endmacro %}

{% macro journeys_spark_from_epoch(days, seconds, micros) -%}
    timestamp_micros((({{ days }}) * 86400 + ({{ seconds }})) * 1000000 + ({{ micros }}))
{%- endmacro %}
