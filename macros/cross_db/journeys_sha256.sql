{#- The SHA-256 of a text expression (UTF-8 bytes) as 64 lower-case hex
    digits, the same on every engine; null for null. -#}
{% macro journeys_sha256(expression) %}
    {{ return(adapter.dispatch('journeys_sha256', 'journeys')(expression)) }}
{% endmacro %}

{% macro default__journeys_sha256(expression) %}
    sha256({{ expression }})
{% endmacro %}

{% macro postgres__journeys_sha256(expression) %}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{% endmacro %}

{% macro spark__journeys_sha256(expression) %}
    sha2({{ expression }}, 256)
{% endmacro %}
