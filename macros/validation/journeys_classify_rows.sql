{#-
    SPEC section 1, "Bad input", as a select over `relation` (a CTE carrying
    the raw text columns `raw_columns`, the parsed key columns `key_columns`
    and a column `rejection_reason`, null for a row that passes every check).
    Order of work:
      1. exact duplicate rows (equal in every raw column) beyond the first
         copy are dropped: row_status 'duplicate', duplicate_kind
         'exact_duplicate';
      2. every remaining row with a rejection_reason is 'rejected';
      3. among valid rows sharing `key_columns`, the first by `order_by` is
         'clean' and the others are 'duplicate' ('conflicting_duplicate').
         With no key columns every valid row is clean.
    Adds key_row_number (position of the row among rows sharing its key in
    that order), row_status, duplicate_kind and raw_values (the raw columns as
    a JSON object; null for clean rows, which keep their parsed values).

    One sort does all of it: rows are windowed by key, valid rows first, in
    the SPEC's order with the raw columns as the last tie-breakers. Equal rows
    share every parsed value, so exact copies sit next to each other and are
    found by comparing a row with the one before it; the first valid row of a
    key is the clean one.

    With one key column, only the rows whose key occurs more than once (or
    is missing) go through that sort: a key held by one row is first in its
    window and has no earlier copy, so its row skips the window. Almost
    every event id is unique, and the sort over every row was the largest
    cost of base_events (10M events: 10.3 s of window against 1.1 s of
    counting keys; DECISIONLOG D163).
-#}
{% macro journeys_classify_rows(relation, raw_columns, key_columns, order_by) %}
    {{ return(adapter.dispatch('journeys_classify_rows', 'journeys')(
        relation, raw_columns, key_columns, order_by)) }}
{% endmacro %}

{% macro default__journeys_classify_rows(relation, raw_columns, key_columns, order_by) %}
    {%- set partition = key_columns if key_columns | length > 0 else raw_columns -%}
    {%- set raw_order = [] -%}
    {%- for column in raw_columns -%}
        {%- do raw_order.append(column ~ ' nulls last') -%}
    {%- endfor -%}
    select
        classified.*,
        case
            when classified.row_status = 'clean' then null
            else {{ journeys_json_object(raw_columns) }}
        end as raw_values
    from (
        select
            compared.*,
            case
                when compared.is_exact_copy then 'duplicate'
                when compared.rejection_reason is not null then 'rejected'
                when compared.key_row_number = 1 then 'clean'
                {%- if key_columns | length > 0 %}
                else 'duplicate'
                {%- else %}
                else 'clean'
                {%- endif %}
            end as row_status,
            case
                when compared.is_exact_copy then 'exact_duplicate'
                {%- if key_columns | length > 0 %}
                when compared.rejection_reason is null and compared.key_row_number > 1
                    then 'conflicting_duplicate'
                {%- endif %}
            end as duplicate_kind
        from (
            {%- if key_columns | length == 1 %}
            {%- set key = key_columns[0] %}
            with single_keys as (
                select {{ key }} as single_key
                from {{ relation }}
                where {{ key }} is not null
                group by {{ key }}
                having count(*) = 1
            )

            select
                {{ relation }}.*,
                1 as key_row_number,
                false as is_exact_copy
            from {{ relation }}
            where {{ key }} in (select single_keys.single_key from single_keys)

            union all
            {%- endif %}

            select
                {{ relation }}.*,
                row_number() over key_window as key_row_number,
                coalesce(
                {%- for column in raw_columns %}
                    coalesce(
                        lag({{ column }}) over key_window = {{ column }},
                        lag({{ column }}) over key_window is null and {{ column }} is null
                    ){{ ' and' if not loop.last }}
                {%- endfor %}
                    and row_number() over key_window > 1,
                    false
                ) as is_exact_copy
            from {{ relation }}
            {%- if key_columns | length == 1 %}
            where
                {{ key }} is null
                or {{ key }} not in (select single_keys.single_key from single_keys)
            {%- endif %}
            window key_window as (
                partition by {{ partition | join(', ') }}
                order by
                    case when rejection_reason is null then 0 else 1 end,
                    {{ (order_by + raw_order) | join(', ') }}
            )
        ) as compared
    ) as classified
{% endmacro %}
