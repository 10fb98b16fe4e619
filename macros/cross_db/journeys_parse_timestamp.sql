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

{% macro duckdb__journeys_parse_timestamp(text_expression) %}
    case
        when regexp_matches(trim({{ text_expression }}), '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then cast(
                timezone('UTC', try_cast(trim({{ text_expression }}) as timestamptz))
                as timestamp
            )
        else try_cast(trim({{ text_expression }}) as timestamp)
    end
{% endmacro %}
