{#- Parse a text into a finite double, or null when missing, unparseable,
    infinite or NaN. -#}
{% macro journeys_parse_number(text_expression) %}
    {{ return(adapter.dispatch('journeys_parse_number', 'journeys')(text_expression)) }}
{% endmacro %}

{% macro default__journeys_parse_number(text_expression) %}
    cast({{ text_expression }} as {{ journeys_type_double() }})
{% endmacro %}

{#- DuckDB: its cast, gated by the grammar below (ungated it also skips
    tabs and newlines around the number, which the other engines reject).
    Trimmed of spaces only, as the other engines trim (D196). -#}
{% macro duckdb__journeys_parse_number(text_expression) %}
    case
        when not regexp_matches(
                trim({{ text_expression }}, ' '), {{ journeys_sql_string(journeys_number_pattern()) }})
            then null
        when isfinite(try_cast(trim({{ text_expression }}, ' ') as double))
            then try_cast(trim({{ text_expression }}, ' ') as double)
    end
{% endmacro %}


{#-
    The number grammar DuckDB's cast accepts (trimmed): an optional sign,
    digits with single underscores between them, an optional fraction, an
    optional exponent; no NaN, no infinity, no hex. PostgreSQL and Spark
    check it explicitly (their casts accept other spellings, or raise).
-#}
{% macro journeys_number_pattern() %}
    {{ return("^[+-]?([0-9]+(_[0-9]+)*([.]([0-9]+(_[0-9]+)*)?)?|[.][0-9]+(_[0-9]+)*)"
              ~ "([eE][+-]?[0-9]+(_[0-9]+)*)?$") }}
{% endmacro %}

{#- PostgreSQL: parsed as numeric (exact, never raises for up to 3 exponent
    digits), then out of double range is null (DuckDB: infinite) and below
    the smallest subnormal is 0 (DuckDB: underflow to 0). Longer exponents
    are decided without parsing: zero mantissa or negative exponent is 0,
    anything else overflows. -#}
{% macro postgres__journeys_parse_number(text_expression) %}
    {%- set text = "replace(trim(" ~ text_expression ~ "), '_', '')" -%}
    {%- set pattern = journeys_sql_string(journeys_number_pattern()) -%}
    {%- set exponent = "(regexp_match(" ~ text ~ ", '[eE]([+-]?)([0-9]+)$'))" -%}
    {%- set mantissa_is_zero = "(split_part(lower(" ~ text ~ "), 'e', 1) !~ '[1-9]')" -%}
    case
        when not coalesce(trim({{ text_expression }}) ~ {{ pattern }}, false) then null
        when length({{ text }}) > 1000 then null
        when coalesce(length(ltrim({{ exponent }}[2], '0')), 0) > 3
            then case
                when {{ mantissa_is_zero }} or {{ exponent }}[1] = '-'
                    then cast(0 as double precision)
            end
        when abs(cast({{ text }} as numeric)) > 1.7976931348623157e308 then null
        when abs(cast({{ text }} as numeric)) < 2.4703282292062328e-324
            then cast(0 as double precision)
        else cast(cast({{ text }} as numeric) as double precision)
    end
{% endmacro %}

{#- Spark: its cast (ANSI off) gives infinity on overflow and 0 on
    underflow, as DuckDB's does; infinity is then null. -#}
{% macro spark__journeys_parse_number(text_expression) %}
    {%- set pattern = journeys_sql_string(journeys_number_pattern()) -%}
    {%- set value = "cast(replace(trim(" ~ text_expression ~ "), '_', '') as double)" -%}
    case
        when
            coalesce(trim({{ text_expression }}) rlike {{ pattern }}, false)
            and abs({{ value }}) <= cast('1.7976931348623157e308' as double)
            then {{ value }}
    end
{% endmacro %}
