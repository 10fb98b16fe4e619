{#-
    An event's contribution to the engagement score (SPEC 6): its
    signal_weight when its polarity is positive, minus it when negative, 0
    when neutral. `only` = 'positive' or 'negative' keeps that polarity's
    weight (as a positive number) and gives 0 for the others.
    An exact decimal (dbt.type_numeric, 6 decimal places), so that sums are
    exact and their signs (rising / falling, engaged or not) agree on every
    engine; cast to a double where a score is shown.
-#}
{% macro journeys_signed_signal_weight(polarity, weight, only=none) %}
    {{ return(adapter.dispatch('journeys_signed_signal_weight', 'journeys')(
        polarity, weight, only)) }}
{% endmacro %}

{% macro default__journeys_signed_signal_weight(polarity, weight, only=none) %}
    {%- set exact_weight = 'cast(' ~ weight ~ ' as ' ~ dbt.type_numeric() ~ ')' -%}
    {%- set zero = 'cast(0 as ' ~ dbt.type_numeric() ~ ')' -%}
    case
        {%- if only is none %}
        when {{ polarity }} = 'positive' then {{ exact_weight }}
        when {{ polarity }} = 'negative' then -{{ exact_weight }}
        {%- elif only in ['positive', 'negative'] %}
        when {{ polarity }} = '{{ only }}' then {{ exact_weight }}
        {%- else %}
        {{ exceptions.raise_compiler_error(
            "journeys_signed_signal_weight: only must be none, 'positive' or 'negative'") }}
        {%- endif %}
        else {{ zero }}
    end
{% endmacro %}
