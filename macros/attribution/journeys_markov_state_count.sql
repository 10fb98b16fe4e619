{#-
    The number of channel states of the attribution Markov chain held in
    `relation` (int_attribution_markov_transitions: its largest state index),
    read at run time. The exact solve unrolls one elimination step per
    channel, so the SQL it renders depends on this number. 0 while dbt parses
    the project, and when the relation has not been built yet (e.g. `dbt
    compile` on a fresh target): the solve then renders no step. Unit tests
    override it with the size of their fixture.
-#}
{% macro journeys_markov_state_count(relation) %}
    {{ return(adapter.dispatch('journeys_markov_state_count', 'journeys')(relation)) }}
{% endmacro %}

{% macro default__journeys_markov_state_count(relation) %}
    {%- if not execute -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is none -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set result = run_query('select max(from_state_index) as state_count from ' ~ existing) -%}
    {%- set value = result.columns[0].values()[0] -%}
    {{ return((value or 0) | int) }}
{% endmacro %}
