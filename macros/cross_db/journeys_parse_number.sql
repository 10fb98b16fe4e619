{#- Parse a text into a finite double, or null when missing, unparseable,
    infinite or NaN. -#}
{% macro journeys_parse_number(text_expression) %}
    {{ return(adapter.dispatch('journeys_parse_number', 'journeys')(text_expression)) }}
{% endmacro %}

{% macro default__journeys_parse_number(text_expression) %}
    cast({{ text_expression }} as {{ journeys_type_double() }})
{% endmacro %}

{% macro duckdb__journeys_parse_number(text_expression) %}
    case
        when isfinite(try_cast(trim({{ text_expression }}) as double))
            then try_cast(trim({{ text_expression }}) as double)
    end
{% endmacro %}
