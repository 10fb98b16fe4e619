{#- Quality gates on rejected rows: for every input (reason 'all') and every
    input x rejection reason, the share of the input's received rows that
    was rejected, the warning and error levels (vars max_rejected_share_*
    and max_rejected_reason_share_*) and where the share stands. The data
    test quality_gate on this model warns or fails the build, with the
    counts in its message. -#}
{%- set levels = journeys_quality_gate_levels() -%}

with

rpt_data_quality as (

    select * from {{ ref('rpt_data_quality') }}

),

rejected_rows as (

    select * from {{ ref('rejected_rows') }}

),

rejections_by_reason as (

    select
        input_name,
        reason,
        count(*) as rows_rejected
    from rejected_rows
    group by input_name, reason

),

input_gates as (

    select
        input_name,
        input_order,
        'all' as reason,
        'input' as gate_scope,
        rows_received,
        rows_rejected,
        cast({{ levels['input']['warn'] }} as {{ journeys_type_double() }}) as warn_share,
        cast({{ levels['input']['error'] }} as {{ journeys_type_double() }}) as error_share
    from rpt_data_quality

),

reason_gates as (

    select
        rejections_by_reason.input_name,
        rpt_data_quality.input_order,
        rejections_by_reason.reason,
        'reason' as gate_scope,
        rpt_data_quality.rows_received,
        rejections_by_reason.rows_rejected,
        cast({{ levels['reason']['warn'] }} as {{ journeys_type_double() }}) as warn_share,
        cast({{ levels['reason']['error'] }} as {{ journeys_type_double() }}) as error_share
    from rejections_by_reason
    inner join rpt_data_quality
        on rejections_by_reason.input_name = rpt_data_quality.input_name

),

gates as (

    select * from input_gates
    union all
    select * from reason_gates

),

shares as (

    select
        *,
        cast(rows_rejected as {{ journeys_type_double() }})
        / nullif(rows_received, 0) as rejected_share
    from gates

),

final as (

    select
        input_name,
        reason,
        gate_scope,
        cast(input_order as {{ dbt.type_int() }}) as input_order,
        cast(rows_received as {{ dbt.type_bigint() }}) as rows_received,
        cast(rows_rejected as {{ dbt.type_bigint() }}) as rows_rejected,
        rejected_share,
        warn_share,
        error_share,
        case
            when rejected_share > error_share then 'error'
            when rejected_share > warn_share then 'warn'
            else 'ok'
        end as gate_status
    from shares

)

select * from final
