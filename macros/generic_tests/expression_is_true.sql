{#- Passes when `expression` holds for every row (optionally only rows
    matching `where`): used for reconciliations and bounds. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'journeys')(model, expression)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endmacro %}
