"""Lint-time stand-ins for the project's macros (jinja templater only).

Each returns SQL of the same shape the real macro renders on DuckDB, so that
sqlfluff parses and lints the models around it. They are never used by dbt.
"""

from journeys.generate import COLUMNS as CONTRACT  # the input contract, in order


def journeys_input(input_name):
    return f"raw_{input_name}"


def journeys_input_contract(input_name=None):
    if input_name is None:
        return {name: {"columns": list(columns)} for name, columns in CONTRACT.items()}
    return {"columns": list(CONTRACT[input_name])}


def journeys_input_names():
    return list(CONTRACT)


def journeys_positive_number_var(name, default, allow_zero=False):
    return default


def journeys_trend_multiple_testing():
    return "none"


def journeys_as_of_literal():
    return None


def journeys_parse_timestamp(expression):
    return f"try_cast({expression} as timestamp)"


def journeys_parse_number(expression):
    return f"try_cast({expression} as double)"


def journeys_current_timestamp_utc():
    return "current_timestamp"


def journeys_seconds_between(start, end):
    return f"(epoch({end}) - epoch({start}))"


def journeys_json_object(columns):
    return "to_json(" + ", ".join(columns) + ")"


def journeys_classify_rows(relation, raw_columns, key_columns, order_by):
    return f"select * from {relation}"


def journeys_string_agg_ordered(expression, order_by, separator):
    return f"string_agg({expression}, {separator} order by {order_by})"


def journeys_array_agg_ordered(expression, order_by):
    return f"list({expression} order by {order_by})"


def journeys_array_element(array_expression, position):
    return f"({array_expression})[{position}]"


def journeys_type_double():
    return "double"


def journeys_integers(digits=4):
    return "select 0 as n"


def journeys_period_grains():
    return ["week", "month"]


def journeys_event_materialization():
    return "incremental"


def journeys_latest_batch_filter(customer_key_column, batch_relation):
    return "1 = 1"


def journeys_delete_changed_customers(batch_relation):
    return "select 1"


def journeys_refresh_journey_closure(evaluation_relation):
    return "select 1"


def journeys_row_hash(columns):
    return "hash(" + ", ".join(columns) + ")"


def journeys_batch_at():
    return "current_timestamp"


def journeys_journey_is_closed(ended_at, as_of_at):
    return f"{as_of_at} > {ended_at} + interval 30 day"


def journeys_markov_state_count(relation):
    return 2


def journeys_input_increment(input_name, key_expression, recheck_reason):
    return f"raw_{input_name}"


def journeys_file_input_materialization():
    return "table"


def journeys_config_changed(relation, column, signature_sql):
    return False


def journeys_delete_vanished_periods(periods_relation):
    return "select 1"


def journeys_changed_customer_keys(batch_relation):
    return "select customer_key from stg_events"


def journeys_signed_signal_weight(polarity, weight, only=None):
    if only is None:
        return f"case {polarity} when 'positive' then {weight} else -{weight} end"
    return f"case when {polarity} = '{only}' then {weight} else 0 end"


def journeys_number_to_text(expression):
    return f"cast({expression} as varchar)"


def journeys_text_var(name, default):
    return f"'{default}'"


def journeys_next_best_action_signals():
    return [
        {"name": "has_open_cart", "kind": "flag"},
        {"name": "support_contacts_recent", "kind": "number"},
    ]


def journeys_median(expression):
    return f"quantile_cont({expression}, 0.5)"


def journeys_pseudonymize(expression):
    return expression


def journeys_pseudonym_fingerprint():
    return ""


def journeys_private_hash(expression):
    return f"md5({expression})"


def journeys_pseudonymize_raw_values(input_name, raw_values):
    return raw_values


def journeys_quality_gate_levels():
    return {"input": {"warn": 0.05, "error": 0.5}, "reason": {"warn": 0.02, "error": 0.25}}


def journeys_normal_cdf(x):
    return f"(0.5 + 0.0 * {x})"


def journeys_format_decimal(value, decimals):
    return f"cast({value} as varchar)"


def journeys_micros_between(start, end):
    return f"(epoch_us({end}) - epoch_us({start}))"


def journeys_whole_number_var(name, default, minimum=1, maximum=None):
    return default


def journeys_escape_rollup_label(expression):
    return f"case when {expression} = 'all' then {expression} || ' (data)' else {expression} end"


def journeys_trim(text):
    return f"trim({text}, ' ')"


def journeys_spark_fold_run_entries(relation, window_micros, max_entries):
    return (
        "select customer_key, run_number, node_number, 1 as is_entry,"
        f" true as is_entry_chain_complete from {relation}"
    )


def journeys_funnel_entries_by_fold():
    return False
