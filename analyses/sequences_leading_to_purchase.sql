-- rpt_sequences: "Which short sequences of actions inside a visit are most
-- often followed by a purchase?"
-- Frequent sequences ranked by their lift over the base purchase rate.
select
    sequence_length,
    event_sequence,
    occurrences,
    round(cast(purchase_rate as numeric), 3) as purchase_rate,
    round(cast(purchase_lift as numeric), 2) as purchase_lift
from {{ ref('rpt_sequences') }}
where occurrences >= 5
order by purchase_lift desc nulls last, occurrences desc
