{#- Row accounting per input (SPEC 1): rows_received = rows_clean +
    rows_rejected + duplicates_dropped, always. A missing optional input has
    a row of zeros. -#}
with

{% for input_name in journeys_input_names() %}
    base_{{ input_name }} as (

        select * from {{ ref('base_' ~ input_name) }}

    ),

{% endfor %}
inputs as (

    {%- for input_name in journeys_input_names() %}
        select
            '{{ input_name }}' as input_name,
            {{ loop.index }} as input_order
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

counts as (

    {%- for input_name in journeys_input_names() %}
        select
            '{{ input_name }}' as input_name,
            count(*) as rows_received,
            sum(case when row_status = 'clean' then 1 else 0 end) as rows_clean,
            sum(case when row_status = 'rejected' then 1 else 0 end) as rows_rejected,
            sum(case when row_status = 'duplicate' then 1 else 0 end) as duplicates_dropped,
            sum(case when duplicate_kind = 'exact_duplicate' then 1 else 0 end)
                as exact_duplicates_dropped,
            sum(case when duplicate_kind = 'conflicting_duplicate' then 1 else 0 end)
                as conflicting_duplicates_dropped
        from base_{{ input_name }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        inputs.input_name,
        inputs.input_order,
        coalesce(counts.rows_received, 0) as rows_received,
        coalesce(counts.rows_clean, 0) as rows_clean,
        coalesce(counts.rows_rejected, 0) as rows_rejected,
        coalesce(counts.duplicates_dropped, 0) as duplicates_dropped,
        coalesce(counts.exact_duplicates_dropped, 0) as exact_duplicates_dropped,
        coalesce(counts.conflicting_duplicates_dropped, 0) as conflicting_duplicates_dropped,
        cast(coalesce(counts.rows_rejected, 0) as {{ journeys_type_double() }})
        / nullif(counts.rows_received, 0) as rejected_share
    from inputs
    left join counts
        on inputs.input_name = counts.input_name

)

select * from final
