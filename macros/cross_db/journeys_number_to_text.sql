{#-
    A number as text, the same on every engine (casting a double to text
    gives '3.0' on DuckDB and Spark but '3' on PostgreSQL): rounded half away
    from zero to two decimal places, without trailing zeros or a trailing
    point ('3', '-0.5', '4.25'); null stays null. Used where numbers are
    written into human-readable text that is compared across engines.
-#}
{% macro journeys_number_to_text(expression) %}
    {{ return(adapter.dispatch('journeys_number_to_text', 'journeys')(expression)) }}
{% endmacro %}

{% macro default__journeys_number_to_text(expression) %}
    {%- set hundredths = 'cast(floor(abs(' ~ expression ~ ') * 100 + 0.5) as bigint)' -%}
    {%- set whole = 'cast((' ~ hundredths ~ ' - mod(' ~ hundredths ~ ', 100)) / 100 as bigint)' -%}
    {%- set fraction = 'mod(' ~ hundredths ~ ', 100)' -%}
    case
        when {{ expression }} is null then null
        else {{ dbt.concat([
            "case when " ~ expression ~ " < 0 and " ~ hundredths ~ " > 0 then '-' else '' end",
            "cast(" ~ whole ~ " as " ~ dbt.type_string() ~ ")",
            "case"
            ~ " when " ~ fraction ~ " = 0 then ''"
            ~ " when mod(" ~ fraction ~ ", 10) = 0"
            ~ " then '.' || cast(cast(" ~ fraction ~ " / 10 as bigint) as " ~ dbt.type_string() ~ ")"
            ~ " else '.' || lpad(cast(" ~ fraction ~ " as " ~ dbt.type_string() ~ "), 2, '0')"
            ~ " end",
        ]) }}
    end
{% endmacro %}
