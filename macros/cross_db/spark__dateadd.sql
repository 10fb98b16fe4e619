{#-
    Overrides dbt-spark's dateadd (dbt.dateadd dispatches to the root
    project first). dbt-spark's version goes through to_unix_timestamp,
    which drops micro-seconds, and fails on a null timestamp. This one is
    exact: day and shorter parts add a day-time interval (fractional counts
    allowed, as on DuckDB and PostgreSQL), month, quarter and year use
    timestampadd (calendar months: Jan 31 + 1 month is Feb 28/29). The count
    is widened before it is multiplied (an int count of weeks times 604800
    overflows past 3550 weeks).
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    {%- set seconds = {
        'week': 604800, 'day': 86400, 'hour': 3600, 'minute': 60, 'second': 1,
        'millisecond': '0.001', 'microsecond': '0.000001'} -%}
    {%- set months = {'month': 1, 'quarter': 3, 'year': 12} -%}
    {%- if datepart in seconds -%}
        (cast({{ from_date_or_timestamp }} as timestamp)
            + make_dt_interval(0, 0, 0,
                cast(cast({{ interval }} as decimal(24, 6)) * {{ seconds[datepart] }}
                    as decimal(18, 6))))
    {%- elif datepart in months -%}
        timestampadd(MONTH, cast(({{ interval }}) * {{ months[datepart] }} as int),
            cast({{ from_date_or_timestamp }} as timestamp))
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "journeys: dateadd on Spark does not support datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
{% endmacro %}
