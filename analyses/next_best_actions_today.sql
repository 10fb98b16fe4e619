-- next_best_actions: "Whom should we contact now, about what, and why?"
-- The action list in priority order, with the customer's current stage and
-- engagement beside the reason.
select
    next_best_actions.priority,
    next_best_actions.action,
    next_best_actions.customer_key,
    next_best_actions.segment,
    fct_customer_signals.current_stage,
    fct_customer_signals.engagement_score,
    next_best_actions.reason,
    next_best_actions.matched_rule_ids
from {{ ref('next_best_actions') }} as next_best_actions
inner join {{ ref('fct_customer_signals') }} as fct_customer_signals
    on next_best_actions.customer_key = fct_customer_signals.customer_key
order by next_best_actions.priority asc, next_best_actions.customer_key asc
