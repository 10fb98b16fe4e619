-- rpt_data_quality_gates: "Is this delivery of data good enough to use,
-- and which rule does it break most?" Inputs and reasons above their
-- warning or error level first, largest share first.
select
    input_name,
    reason,
    rows_rejected,
    rows_received,
    rejected_share,
    warn_share,
    error_share,
    gate_status
from {{ ref('rpt_data_quality_gates') }}
order by
    case gate_status when 'error' then 1 when 'warn' then 2 else 3 end asc,
    rejected_share desc nulls last,
    input_order asc,
    reason asc
