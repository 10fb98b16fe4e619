{#- Every input row that broke the contract (SPEC 1, "Bad input"): which
    input, the first reason that applied, and its raw values as received. -#}
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
            input_name,
            rejection_reason as reason,
            record_key,
            raw_values
        from base_{{ input_name }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat(['input_name', "'|'", 'raw_values'])) }} as rejected_row_id,
        input_name,
        reason,
        record_key,
        raw_values
    from unioned

)

select * from final
