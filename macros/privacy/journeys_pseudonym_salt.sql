{#-
    The secret that keys the identifier pseudonyms, or none when var
    pseudonymize_identifiers is false (the default).

    The key comes from the environment variable JOURNEYS_PSEUDONYM_KEY (never
    from the repository or a var, which dbt writes to its artifacts); it must
    be at least 16 characters. Only a derivation of it is rendered into SQL:
    md5('journeys-pseudonym-v1|' || key), so the key itself appears in no
    compiled file or query log. The derived value is as secret as the key:
    anyone holding it can pseudonymize a guessed identifier and compare.

    The key is read only while executing (never at parse time), so it is not
    stored in dbt's partial-parsing state either.
-#}
{% macro journeys_pseudonym_salt() %}
    {%- if not journeys_boolean_var('pseudonymize_identifiers', false) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return('not-a-key-only-parsing') }}
    {%- endif -%}
    {%- set key = env_var('JOURNEYS_PSEUDONYM_KEY', '') -%}
    {%- if key | length < 16 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: var pseudonymize_identifiers is true but the environment variable "
            ~ "JOURNEYS_PSEUDONYM_KEY is " ~ ('not set' if key == '' else 'shorter than 16 characters')
            ~ ": set it to a secret of at least 16 characters kept outside the repository") }}
    {%- endif -%}
    {{ return(local_md5('journeys-pseudonym-v1|' ~ key)) }}
{% endmacro %}
