{#-
    The columns of fct_customer_signals that next_best_action_rules may read
    (its `signal` column), each with its kind: 'flag' (a boolean, compared
    as 1 for true and 0 for false) or 'number'. A rule naming anything else
    fails the seed's accepted_values test. To expose another column, add it
    here and to that test's list (seeds/_seeds.yml).
-#}
{% macro journeys_next_best_action_signals() %}
    {{ return([
        {'name': 'has_open_cart', 'kind': 'flag'},
        {'name': 'hours_since_open_cart', 'kind': 'number'},
        {'name': 'has_unpurchased_checkout', 'kind': 'flag'},
        {'name': 'unpurchased_checkouts_recent', 'kind': 'number'},
        {'name': 'has_repeated_support_contacts', 'kind': 'flag'},
        {'name': 'support_contacts_recent', 'kind': 'number'},
        {'name': 'has_checkout_error', 'kind': 'flag'},
        {'name': 'checkout_errors_recent', 'kind': 'number'},
        {'name': 'has_return_request', 'kind': 'flag'},
        {'name': 'return_requests_recent', 'kind': 'number'},
        {'name': 'has_friction', 'kind': 'flag'},
        {'name': 'friction_events_recent', 'kind': 'number'},
        {'name': 'engagement_score', 'kind': 'number'},
        {'name': 'previous_engagement_score', 'kind': 'number'},
        {'name': 'engagement_score_change', 'kind': 'number'},
        {'name': 'is_engagement_falling', 'kind': 'flag'},
        {'name': 'is_churned', 'kind': 'flag'},
        {'name': 'has_open_journey', 'kind': 'flag'},
        {'name': 'current_stage_order', 'kind': 'number'},
        {'name': 'days_since_last_event', 'kind': 'number'},
        {'name': 'days_since_last_purchase', 'kind': 'number'},
        {'name': 'orders_to_date', 'kind': 'number'},
    ]) }}
{% endmacro %}
