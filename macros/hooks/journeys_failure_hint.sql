{#- What to change when an engine error `message` is a resource limit
    (memory, disk), or none: the settings are the environment variables
    profiles.yml reads (README, "Variables"). -#}
{% macro journeys_failure_hint(message) %}
    {{ return(adapter.dispatch('journeys_failure_hint', 'journeys')(message)) }}
{% endmacro %}

{% macro default__journeys_failure_hint(message) %}
    {%- set text = message | lower -%}
    {%- if 'no space left on device' in text or 'disk full' in text
            or 'could not extend file' in text -%}
        {{ return("the database server's disk is full: free space on it (or move its data"
                  ~ " directory / temp_tablespaces to a larger disk)") }}
    {%- elif 'out of memory' in text -%}
        {{ return("the database server ran out of memory: raise its work_mem / memory, or"
                  ~ " lower JOURNEYS_THREADS (models built at once)") }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}

{% macro duckdb__journeys_failure_hint(message) %}
    {%- set text = message | lower -%}
    {%- if 'max_temp_directory_size' in text -%}
        {{ return("DuckDB filled the space it may spill to (max_temp_directory_size in"
                  ~ " JOURNEYS_DUCKDB_TEMP_DIR='" ~ env_var('JOURNEYS_DUCKDB_TEMP_DIR', '.duckdb_tmp')
                  ~ "'): point JOURNEYS_DUCKDB_TEMP_DIR at a disk with more room, or raise"
                  ~ " JOURNEYS_DUCKDB_MEMORY_LIMIT") }}
    {%- elif 'no space left on device' in text or 'disk full' in text -%}
        {{ return("the disk is full: free space, or point JOURNEYS_DUCKDB_PATH (the database, now '"
                  ~ env_var('JOURNEYS_DUCKDB_PATH', 'journeys.duckdb') ~ "') and JOURNEYS_DUCKDB_TEMP_DIR"
                  ~ " (DuckDB's spill files, now '" ~ env_var('JOURNEYS_DUCKDB_TEMP_DIR', '.duckdb_tmp')
                  ~ "') at a disk with room") }}
    {%- elif 'out of memory' in text -%}
        {{ return("DuckDB ran out of memory (memory_limit "
                  ~ env_var('JOURNEYS_DUCKDB_MEMORY_LIMIT', '8GB') ~ "): raise the environment"
                  ~ " variable JOURNEYS_DUCKDB_MEMORY_LIMIT (e.g. 16GB), let DuckDB spill to disk"
                  ~ " (JOURNEYS_DUCKDB_TEMP_DIR, a folder with room) or lower JOURNEYS_THREADS") }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}

{% macro spark__journeys_failure_hint(message) %}
    {%- set text = message | lower -%}
    {%- if 'no space left on device' in text -%}
        {{ return("the disk is full: free space, or point JOURNEYS_SPARK_DIR (warehouse and"
                  ~ " metastore, now '" ~ env_var('JOURNEYS_SPARK_DIR', 'target/spark')
                  ~ "') and spark.local.dir at a disk with room") }}
    {%- elif 'outofmemoryerror' in text or 'out of memory' in text -%}
        {{ return("Spark ran out of memory: raise JOURNEYS_SPARK_DRIVER_MEMORY (now "
                  ~ env_var('JOURNEYS_SPARK_DRIVER_MEMORY', '4g') ~ ") or lower"
                  ~ " JOURNEYS_SPARK_THREADS") }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}
