{#-
    How a base model over an input file set is materialised: incremental by
    file where the project implements it (DuckDB reading raw_data_dir), a
    table elsewhere (the sample seeds, PostgreSQL, Spark).
-#}
{% macro journeys_file_input_materialization() %}
    {{ return(adapter.dispatch('journeys_file_input_materialization', 'journeys')()) }}
{% endmacro %}

{% macro default__journeys_file_input_materialization() %}
    {{ return('table') }}
{% endmacro %}

{% macro duckdb__journeys_file_input_materialization() %}
    {{ return('incremental' if journeys_raw_data_dir() != '' else 'table') }}
{% endmacro %}
