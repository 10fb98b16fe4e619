{#- Every input row dropped as a duplicate (SPEC 1, "Bad input"): an exact
    copy of an earlier row, or a valid row sharing its key with the row that
    was kept (conflicting duplicate). Counted in rpt_data_quality. With var
    pseudonymize_identifiers on, identifiers are pseudonymized as in
    rejected_rows. -#}
with

{% for input_name in journeys_input_names() %}
    base_{{ input_name }} as (

        select * from {{ ref('base_' ~ input_name) }}
        where row_status = 'duplicate'

    ),

{% endfor %}
unioned as (

    {%- for input_name in journeys_input_names() %}
        select
            {{ journeys_private_hash(dbt.concat([
                'input_name', "'|'", 'raw_values', "'|'",
                'cast(key_row_number as ' ~ dbt.type_string() ~ ')'
            ])) }} as dropped_row_id,
            input_name,
            duplicate_kind,
            {%- if input_name == 'customers' %}
                {{ journeys_pseudonymize('record_key') }} as record_key,
            {%- else %}
                record_key,
            {%- endif %}
            key_row_number,
            {{ journeys_pseudonymize_raw_values(input_name, 'raw_values') }} as raw_values
        from base_{{ input_name }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        dropped_row_id,
        input_name,
        duplicate_kind,
        record_key,
        key_row_number,
        raw_values
    from unioned

)

select * from final
