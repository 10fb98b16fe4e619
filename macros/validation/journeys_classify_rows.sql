{#-
    SPEC section 1, "Bad input", as a select over `relation` (a CTE carrying
    the raw text columns `raw_columns` and a column `rejection_reason`, null
    for a row that passes every check). Order of work:
      1. exact duplicate rows (equal in every raw column) beyond the first
         copy are dropped: row_status 'duplicate', duplicate_kind
         'exact_duplicate';
      2. every remaining row with a rejection_reason is 'rejected';
      3. among valid rows sharing `key_columns`, the first by `order_by` is
         'clean' and the others are 'duplicate' ('conflicting_duplicate').
         With no key columns every valid row is clean.
    Adds exact_copy_number, row_status, duplicate_kind and raw_values (the
    raw columns as a JSON object, kept for rejected and dropped rows).
-#}
{% macro journeys_classify_rows(relation, raw_columns, key_columns, order_by) %}
    {{ return(adapter.dispatch('journeys_classify_rows', 'journeys')(
        relation, raw_columns, key_columns, order_by)) }}
{% endmacro %}

{% macro default__journeys_classify_rows(relation, raw_columns, key_columns, order_by) %}
    select
        ranked.*,
        case
            when ranked.check_result = 'exact_duplicate' then 'duplicate'
            when ranked.check_result = 'rejected' then 'rejected'
            when ranked.key_rank = 1 then 'clean'
            else 'duplicate'
        end as row_status,
        case
            when ranked.check_result = 'exact_duplicate' then 'exact_duplicate'
            when ranked.check_result = 'valid' and ranked.key_rank > 1
                then 'conflicting_duplicate'
        end as duplicate_kind
    from (
        select
            checked.*,
            {%- if key_columns | length > 0 %}
            row_number() over (
                partition by checked.check_result, {{ key_columns | join(', ') }}
                order by {{ order_by | join(', ') }}
            ) as key_rank
            {%- else %}
            1 as key_rank
            {%- endif %}
        from (
            select
                copies.*,
                case
                    when copies.exact_copy_number > 1 then 'exact_duplicate'
                    when copies.rejection_reason is not null then 'rejected'
                    else 'valid'
                end as check_result
            from (
                select
                    {{ relation }}.*,
                    {{ journeys_json_object(raw_columns) }} as raw_values,
                    row_number() over (
                        partition by {{ raw_columns | join(', ') }}
                        order by {{ raw_columns | join(', ') }}
                    ) as exact_copy_number
                from {{ relation }}
            ) as copies
        ) as checked
    ) as ranked
{% endmacro %}
