-- rpt_data_quality and rejected_rows: "How much of what we received did we
-- use, and why was the rest rejected?"
select
    quality.input_name,
    quality.rows_received,
    quality.rows_clean,
    quality.rows_rejected,
    quality.duplicates_dropped,
    rejected.reason,
    count(rejected.rejected_row_id) as rows_with_reason
from {{ ref('rpt_data_quality') }} as quality
left join {{ ref('rejected_rows') }} as rejected
    on quality.input_name = rejected.input_name
group by
    quality.input_name,
    quality.input_order,
    quality.rows_received,
    quality.rows_clean,
    quality.rows_rejected,
    quality.duplicates_dropped,
    rejected.reason
order by quality.input_order asc, rows_with_reason desc
