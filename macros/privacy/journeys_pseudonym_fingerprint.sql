{#-
    Text that changes when identifier pseudonymisation is switched on or off
    or its key changes, and reveals nothing of the key: '' when off (so the
    signatures of incremental models built without it are unchanged), else
    '|pseudonym:' and an md5 of the derived key. Incremental models put it in
    their configuration signature, so toggling pseudonymisation or rotating
    the key recomputes every row instead of mixing raw and hashed ids.
-#}
{% macro journeys_pseudonym_fingerprint() %}
    {%- set salt = journeys_pseudonym_salt() -%}
    {{ return('' if salt is none else '|pseudonym:' ~ local_md5('fingerprint|' ~ salt)) }}
{% endmacro %}
