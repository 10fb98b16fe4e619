{#- Every input row that broke the contract (SPEC 1, "Bad input"): which
    input, the first reason that applied, and its raw values as received.
    With var pseudonymize_identifiers on, identifiers in the raw values (and
    the customers input's key) are pseudonymized as from staging on, and the
    row id is a keyed hash. -#}
with

{% for input_name in journeys_input_names() %}
    base_{{ input_name }} as (

        select * from {{ ref('base_' ~ input_name) }}
        where row_status = 'rejected'

    ),

{% endfor %}
unioned as (

    {%- for input_name in journeys_input_names() %}
        select
            {{ journeys_private_hash(dbt.concat(["input_name", "'|'", "raw_values"])) }}
                as rejected_row_id,
            input_name,
            rejection_reason as reason,
            {%- if input_name == 'customers' %}
                {{ journeys_pseudonymize('record_key') }} as record_key,
            {%- else %}
                record_key,
            {%- endif %}
            {{ journeys_pseudonymize_raw_values(input_name, 'raw_values') }} as raw_values
        from base_{{ input_name }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        rejected_row_id,
        input_name,
        reason,
        record_key,
        raw_values
    from unioned

)

select * from final
