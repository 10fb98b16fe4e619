{#-
    The raw values (a JSON object of text, see journeys_json_object) of a
    rejected or dropped row of input `input_name`, as the audit marts show
    them: unchanged normally; when identifiers are pseudonymized, with every
    identifier column (customer_id, anonymous_id) replaced by the pseudonym
    of its trimmed value, so the audit marts carry no raw identifier either
    and a rejected row can still be matched with the customer's events. A
    blank or missing identifier is kept as received (it identifies nobody
    and explains a missing_identity rejection).
-#}
{% macro journeys_pseudonymize_raw_values(input_name, raw_values) %}
    {%- if journeys_pseudonym_salt() is none -%}
        {{ return(raw_values) }}
    {%- endif -%}
    {%- set columns = journeys_input_contract(input_name)['columns'] -%}
    {%- set expressions = {} -%}
    {%- for column in columns -%}
        {%- set field = journeys_json_text_field(raw_values, column) | trim -%}
        {%- if column in journeys_identifier_columns() -%}
            {%- do expressions.update({column:
                "case when nullif(" ~ journeys_trim(field) ~ ", '') is null then " ~ field
                ~ " else " ~ journeys_pseudonymize(journeys_trim(field)) ~ " end"}) -%}
        {%- else -%}
            {%- do expressions.update({column: field}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(journeys_json_object(columns, expressions=expressions)) }}
{% endmacro %}
