{#-
    Parse an ISO-8601 text into a UTC timestamp without time zone, or null
    when the text is missing or unparseable. A trailing offset (Z, +hh,
    +hhmm, +hh:mm) is converted to UTC; no offset means UTC already.
    Independent of the session time zone.
-#}
{% macro journeys_parse_timestamp(text_expression) %}
    {{ return(adapter.dispatch('journeys_parse_timestamp', 'journeys')(text_expression)) }}
{% endmacro %}

{% macro default__journeys_parse_timestamp(text_expression) %}
    cast({{ text_expression }} as {{ dbt.type_timestamp() }})
{% endmacro %}

{#- DuckDB: its casts, gated by the same grammar as PostgreSQL and Spark
    (below). Ungated, DuckDB's cast also skips tabs and newlines, accepts
    years of other than four digits (99999) and year 0000 (as 1 BC) and silently
    ignores an offset with seconds (+01:00:00), so the engines disagreed on
    hostile text (found by the fuzz suite, DECISIONLOG D82). Trimmed of
    spaces only, as the other engines trim (DuckDB's trim() alone also
    strips no-break and other Unicode spaces: D196). -#}
{% macro duckdb__journeys_parse_timestamp(text_expression) %}
    case
        when not regexp_matches(
                trim({{ text_expression }}, ' '), {{ journeys_sql_string(journeys_timestamp_pattern()) }})
            then null
        -- year 0 (DuckDB: 1 BC) is outside the calendar, as elsewhere
        when trim({{ text_expression }}, ' ') like '0000-%' then null
        when regexp_matches(trim({{ text_expression }}, ' '), '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then cast(
                timezone('UTC', try_cast(trim({{ text_expression }}, ' ') as timestamptz))
                as timestamp
            )
        else try_cast(trim({{ text_expression }}, ' ') as timestamp)
    end
{% endmacro %}


{#-
    PostgreSQL and Spark have no try_cast that behaves like DuckDB's, and
    their own casts accept much more (PostgreSQL: 'yesterday', '31/02/2024'
    with some DateStyles; Spark: '2024', '2024-01'). So they parse the same
    grammar DuckDB accepts for ISO-8601 text, explicitly:
        YYYY-M[M]-D[D][(T| )h[h]:m[m][:s[s][.fraction]][Z|(+|-)hh[[:]mm]]]
    with the calendar checked (month 1-12, the month's days, hour 0-23 or
    24:00:00 meaning the next midnight, minutes and seconds 0-59), fractions
    truncated to microseconds and the offset subtracted. Pure SQL that can
    never raise on bad input (no function receives an unchecked value), so
    an unparseable text is null, as on DuckDB. Pattern groups:
    1 year, 2 month, 3 day, 5 hour, 6 minute, 8 second, 10 fraction,
    11 offset, 12 offset sign, 13 offset hours, 15 offset minutes.
-#}
{% macro journeys_timestamp_pattern() %}
    {{ return("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
              ~ "([T ]([0-9]{1,2}):([0-9]{1,2})(:([0-9]{1,2})([.]([0-9]*))?)?"
              ~ "(Z|([+-])([0-9]{2})(:?([0-9]{2}))?)?)?$") }}
{% endmacro %}

{#- The SQL of the checked parse of `text` (already trimmed). The engine
    parts are macros: regex_matches(text, pattern) -> boolean,
    timestamp_group(text, n) -> group n of the pattern in a text that
    matches it (text, or null when the group is absent), epoch_day(y, m, d) ->
    days since 1970-01-01, from_epoch(days, seconds, micros) -> the
    timestamp that many days, seconds and micro-seconds after 1970-01-01
    00:00:00 (each part may be negative). Shared by the postgres__ and
    spark__ versions. -#}
{% macro journeys_checked_timestamp(text, regex_matches, timestamp_group, epoch_day, from_epoch) %}
    {%- set pattern = journeys_sql_string(journeys_timestamp_pattern()) -%}
    {%- set g = {} -%}
    {%- for n in [1, 2, 3, 5, 6, 8, 10, 12, 13, 15] -%}
        {%- do g.update({n: timestamp_group(text, n) | trim}) -%}
    {%- endfor -%}
    {%- set year = 'cast(' ~ g[1] ~ ' as integer)' -%}
    {%- set month = 'cast(' ~ g[2] ~ ' as integer)' -%}
    {%- set day = 'cast(' ~ g[3] ~ ' as integer)' -%}
    {%- set hour = 'coalesce(cast(' ~ g[5] ~ ' as integer), 0)' -%}
    {%- set minute = 'coalesce(cast(' ~ g[6] ~ ' as integer), 0)' -%}
    {%- set second = 'coalesce(cast(' ~ g[8] ~ ' as integer), 0)' -%}
    {#- fraction: its first six digits (right-padded), i.e. truncated to micro-seconds -#}
    {%- set micros = "cast(rpad(coalesce(" ~ g[10] ~ ", ''), 6, '0') as bigint)" -%}
    {%- set nonzero_fraction = regex_matches("coalesce(" ~ g[10] ~ ", '')", "'[1-9]'") | trim -%}
    {%- set offset_minutes -%}
        (case when {{ g[12] }} = '-' then -1 else 1 end
            * (coalesce(cast({{ g[13] }} as integer), 0) * 60
                + coalesce(cast({{ g[15] }} as integer), 0)))
    {%- endset -%}
    {%- set days_in_month -%}
        case
            when {{ month }} = 2
                then case
                    when
                        mod({{ year }}, 4) = 0
                        and (mod({{ year }}, 100) <> 0 or mod({{ year }}, 400) = 0)
                        then 29
                    else 28
                end
            when {{ month }} in (4, 6, 9, 11) then 30
            else 31
        end
    {%- endset -%}
    case
        when not coalesce({{ regex_matches(text, pattern) | trim }}, false) then null
        when {{ year }} < 1 or {{ month }} not between 1 and 12 then null
        when {{ day }} not between 1 and {{ days_in_month }} then null
        when {{ minute }} > 59 or {{ second }} > 59 or {{ hour }} > 24 then null
        when
            {{ hour }} = 24
            and ({{ minute }} > 0 or {{ second }} > 0 or {{ nonzero_fraction }})
            then null
        else {{ from_epoch(
            epoch_day(year, month, day) | trim,
            '(' ~ hour ~ ' * 3600 + ' ~ minute ~ ' * 60 + ' ~ second ~ ' - '
            ~ offset_minutes ~ ' * 60)',
            micros) | trim }}
    end
{% endmacro %}

{% macro postgres__journeys_parse_timestamp(text_expression) %}
    {{ journeys_checked_timestamp(
        'trim(' ~ text_expression ~ ')',
        journeys_postgres_regex_matches, journeys_postgres_timestamp_group,
        journeys_postgres_epoch_day, journeys_postgres_from_epoch) }}
{% endmacro %}

{% macro spark__journeys_parse_timestamp(text_expression) %}
    {{ journeys_checked_timestamp(
        'trim(' ~ text_expression ~ ')',
        journeys_spark_regex_matches, journeys_spark_timestamp_group,
        journeys_spark_epoch_day, journeys_spark_from_epoch) }}
{% endmacro %}
