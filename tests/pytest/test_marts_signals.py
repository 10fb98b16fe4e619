"""Whole-mart check of the signals marts on a small hand-made dataset.

The dataset is tests/fixtures/signals (events and customers, each a folder
holding one CSV). It is built with as_of = 2024-02-25 12:00:00 (a Sunday) and
engagement_window_days = 10; the other variables keep their defaults
(engagement_trend_days 7, signal_window_days 30, support_contact_threshold
2, abandonment_window_hours 24, recovery_window_days 7, follow_up_channel
email) and the shipped seeds (event_type_mapping, signal_event_types,
next_best_action_rules). Every expected row below was worked out by hand
from the events; the working is next to each group of rows.

Calendar: Mondays Feb 5, 12, 19, 26 2024. Periods run from the first event's
(week Feb 5, month Feb) to as_of's (week Feb 19, month Feb):
  week Feb 5  [Feb 5, Feb 12)  scored at Feb 12 00:00, window from Feb 2 00:00
  week Feb 12 [Feb 12, Feb 19) scored at Feb 19 00:00, window from Feb 9 00:00
  week Feb 19 [Feb 19, Feb 26) scored at as_of,        window from Feb 15 12:00
  month Feb   [Feb 1, Mar 1)   scored at as_of,        window from Feb 15 12:00
fct_customer_signals: engagement now over [Feb 15 12:00, Feb 25 12:00],
7 days earlier over [Feb 8 12:00, Feb 18 12:00]; "recent" = from Jan 26
12:00 (every event); open cart = latest cart event at or after Feb 24 12:00.

Weights (event_type_mapping): product_view +1, add_to_cart +2,
checkout_start +2, purchase +5, email_open +0.5, email_click +1,
ad_impression 0 (neutral), support_ticket -2, checkout_error -2,
return_request -3.

Customers (segment): u1, u2, u6 gold; u3, u4 silver; u5 (not in the CRM)
and anon:v7 (anonymous only) unknown. The events, per customer:
  u1  Feb 5 09:00 product_view web; 09:05 add_to_cart web; Feb 6 09:05
      email_open (exactly 24 h after the cart: a follow-up); Feb 8 10:00
      email_click; Feb 13 09:05 product_view web and purchase web (both
      exactly at the recovery end, Feb 6 09:05 + 7 d); Feb 20 10:00
      support_ticket.
  u2  Feb 6 10:00 product_view app; 10:05 add_to_cart; 10:07 checkout_start
      (the burst's last cart event); 10:08 checkout_error; Feb 7 10:07
      ad_impression on ads (passive, not email); Feb 10 12:00 product_view
      web (a return).
  u3  Feb 12 08:00 add_to_cart web; Feb 13 08:00:01 email_open (1 s after
      the follow-up window); Feb 20 08:00:01 product_view web (1 s after the
      recovery window); Feb 21 10:00 add_to_cart web; 11:00 email_click.
  u4  Feb 19 09:00 product_view app; Feb 20 09:00 and Feb 24 09:00
      support_ticket; Feb 24 09:30 return_request.
  u5  Feb 25 08:00 product_view web; 09:00 add_to_cart web (3 h before
      as_of: an open cart).
  u6  Feb 24 11:59:59 add_to_cart app (24 h + 1 s before as_of: not open;
      its follow-up window ended at Feb 25 11:59:59: a pending abandonment).
  v7  Feb 15 12:00 add_to_cart and purchase web, same instant (bought: no
      abandonment); exactly at the start of the as_of window.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_DIR, copy_fixture, query_dicts, run_dbt

from journeys.project import DbtInvocation

AS_OF = "2024-02-25T12:00:00"
VARS = {"as_of": AS_OF, "engagement_window_days": 10}


def T(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="module")
def db(build_project, tmp_path_factory) -> Path:
    raw = copy_fixture("signals", tmp_path_factory.mktemp("signals_raw"))
    return build_project(raw, vars=VARS, name="signals")


def _approx(value):
    return pytest.approx(value, rel=1e-9, abs=1e-12) if isinstance(value, float) else value


def assert_mart(db: Path, table: str, key: tuple[str, ...], expected: list[dict]) -> None:
    """Every row of `table` equals the expected rows (all of its columns)."""
    rows = query_dicts(db, f"select * from {table}")
    actual = {tuple(row[k] for k in key): row for row in rows}
    assert len(actual) == len(rows), f"{table}: duplicate keys"
    wanted = {tuple(row[k] for k in key): row for row in expected}
    assert sorted(actual, key=str) == sorted(wanted, key=str), f"{table}: keys differ"
    for k, want in wanted.items():
        got = actual[k]
        assert set(got) == set(want), f"{table} {k}: columns {sorted(set(got) ^ set(want))}"
        for column, value in want.items():
            assert got[column] == _approx(value), (
                f"{table} {k}.{column}: got {got[column]!r}, expected {value!r}"
            )


# ---------------------------------------------------------------------------
# rpt_engagement
# ---------------------------------------------------------------------------

PERIODS = {
    # (grain, start): (end, scored_at, window_start_at, is_partial_period)
    ("week", "2024-02-05"): ("2024-02-12", "2024-02-12 00:00:00", "2024-02-02 00:00:00", False),
    ("week", "2024-02-12"): ("2024-02-19", "2024-02-19 00:00:00", "2024-02-09 00:00:00", False),
    ("week", "2024-02-19"): ("2024-02-26", "2024-02-25 12:00:00", "2024-02-15 12:00:00", True),
    ("month", "2024-02-01"): ("2024-03-01", "2024-02-25 12:00:00", "2024-02-15 12:00:00", True),
}
W5, W12, W19, M2 = PERIODS

# (customer, period, segment, score, window +, window -, previous, change,
#  period events, + events, - events, + weight, - weight)
ENGAGEMENT = [
    # u1: window W5 = Feb 5-11: 1 + 2 + 0.5 + 1 = 4.5 (4 events, all positive).
    ("u1", W5, "gold", 4.5, 4.5, 0.0, None, None, 4, 4, 0, 4.5, 0.0),
    # W12 window [Feb 9, Feb 19): Feb 13 +1 +5 (Feb 8 is out) = 6; change 6 - 4.5.
    ("u1", W12, "gold", 6.0, 6.0, 0.0, 4.5, 1.5, 2, 2, 0, 6.0, 0.0),
    # W19 window [Feb 15 12:00, as_of]: the Feb 20 ticket, -2; change -2 - 6.
    ("u1", W19, "gold", -2.0, 0.0, 2.0, 6.0, -8.0, 1, 0, 1, 0.0, 2.0),
    # month: same window as W19; its own events are all 7 (10.5 positive, 2 negative).
    ("u1", M2, "gold", -2.0, 0.0, 2.0, None, None, 7, 6, 1, 10.5, 2.0),
    # u2: W5 = 1 + 2 + 2 - 2 + 0 + 1 = 4 (6 events: 4 positive, 1 negative, 1 neutral).
    ("u2", W5, "gold", 4.0, 6.0, 2.0, None, None, 6, 4, 1, 6.0, 2.0),
    # W12 window [Feb 9, Feb 19): the Feb 10 product_view, +1; no own events.
    ("u2", W12, "gold", 1.0, 1.0, 0.0, 4.0, -3.0, 0, 0, 0, 0.0, 0.0),
    ("u2", W19, "gold", 0.0, 0.0, 0.0, 1.0, -1.0, 0, 0, 0, 0.0, 0.0),
    ("u2", M2, "gold", 0.0, 0.0, 0.0, None, None, 6, 4, 1, 6.0, 2.0),
    # u3 from W12: Feb 12 +2, Feb 13 +0.5 = 2.5; W19: Feb 20 +1, Feb 21 +2 +1 = 4.
    ("u3", W12, "silver", 2.5, 2.5, 0.0, None, None, 2, 2, 0, 2.5, 0.0),
    ("u3", W19, "silver", 4.0, 4.0, 0.0, 2.5, 1.5, 3, 3, 0, 4.0, 0.0),
    ("u3", M2, "silver", 4.0, 4.0, 0.0, None, None, 5, 5, 0, 6.5, 0.0),
    # u4 from W19: 1 - 2 - 2 - 3 = -6.
    ("u4", W19, "silver", -6.0, 1.0, 7.0, None, None, 4, 1, 3, 1.0, 7.0),
    ("u4", M2, "silver", -6.0, 1.0, 7.0, None, None, 4, 1, 3, 1.0, 7.0),
    # u5: 1 + 2 = 3; u6: 2.
    ("u5", W19, "unknown", 3.0, 3.0, 0.0, None, None, 2, 2, 0, 3.0, 0.0),
    ("u5", M2, "unknown", 3.0, 3.0, 0.0, None, None, 2, 2, 0, 3.0, 0.0),
    ("u6", W19, "gold", 2.0, 2.0, 0.0, None, None, 1, 1, 0, 2.0, 0.0),
    ("u6", M2, "gold", 2.0, 2.0, 0.0, None, None, 1, 1, 0, 2.0, 0.0),
    # v7 from W12: 2 + 5 = 7; still 7 in W19 (Feb 15 12:00 is exactly the
    # window start, included) although W19 has no own event.
    ("anon:v7", W12, "unknown", 7.0, 7.0, 0.0, None, None, 2, 2, 0, 7.0, 0.0),
    ("anon:v7", W19, "unknown", 7.0, 7.0, 0.0, 7.0, 0.0, 0, 0, 0, 0.0, 0.0),
    ("anon:v7", M2, "unknown", 7.0, 7.0, 0.0, None, None, 2, 2, 0, 7.0, 0.0),
]


def test_rpt_engagement(db):
    expected = []
    for customer, period, segment, *values in ENGAGEMENT:
        end, scored_at, window_start, partial = PERIODS[period]
        score, win_pos, win_neg, previous, change, events, pos_events, neg_events, pos, neg = values
        expected.append(
            {
                "customer_key": customer,
                "period_grain": period[0],
                "period_start": D(period[1]),
                "period_end": D(end),
                "segment": segment,
                "engagement_score": score,
                "window_positive_weight": win_pos,
                "window_negative_weight": win_neg,
                "previous_engagement_score": previous,
                "engagement_score_change": change,
                "period_event_count": events,
                "period_positive_events": pos_events,
                "period_negative_events": neg_events,
                "period_positive_weight": pos,
                "period_negative_weight": neg,
                "is_partial_period": partial,
                "scored_at": T(scored_at),
                "window_start_at": T(window_start),
            }
        )
    assert_mart(db, "rpt_engagement", ("customer_key", "period_grain", "period_start"), expected)


# (period, segment, customers, active, engaged, disengaged, avg, previous avg,
#  change, events, + weight, - weight), from the rows above.
ENGAGEMENT_BY_SEGMENT = [
    # W5: u1 4.5, u2 4 (gold).
    (W5, "gold", 2, 2, 2, 0, 4.25, None, None, 10, 10.5, 2.0),
    (W5, "silver", 0, 0, 0, 0, None, None, None, 0, 0.0, 0.0),
    (W5, "unknown", 0, 0, 0, 0, None, None, None, 0, 0.0, 0.0),
    (W5, "all", 2, 2, 2, 0, 4.25, None, None, 10, 10.5, 2.0),
    # W12: u1 6 (active), u2 1 (no events); u3 2.5; v7 7.
    (W12, "gold", 2, 1, 2, 0, 3.5, 4.25, -0.75, 2, 6.0, 0.0),
    (W12, "silver", 1, 1, 1, 0, 2.5, None, None, 2, 2.5, 0.0),
    (W12, "unknown", 1, 1, 1, 0, 7.0, None, None, 2, 7.0, 0.0),
    (W12, "all", 4, 3, 4, 0, 4.125, 4.25, -0.125, 6, 15.5, 0.0),
    # W19: u1 -2, u2 0, u6 2; u3 4, u4 -6; u5 3, v7 7 (no events).
    (W19, "gold", 3, 2, 1, 1, 0.0, 3.5, -3.5, 2, 2.0, 2.0),
    (W19, "silver", 2, 2, 1, 1, -1.0, 2.5, -3.5, 7, 5.0, 7.0),
    (W19, "unknown", 2, 1, 2, 0, 5.0, 7.0, -2.0, 2, 3.0, 0.0),
    (W19, "all", 7, 5, 4, 2, 8 / 7, 4.125, 8 / 7 - 4.125, 11, 10.0, 9.0),
    # the month: the same scores as W19, every customer active, all 27 events.
    (M2, "gold", 3, 3, 1, 1, 0.0, None, None, 14, 18.5, 4.0),
    (M2, "silver", 2, 2, 1, 1, -1.0, None, None, 9, 7.5, 7.0),
    (M2, "unknown", 2, 2, 2, 0, 5.0, None, None, 4, 10.0, 0.0),
    (M2, "all", 7, 7, 4, 2, 8 / 7, None, None, 27, 36.0, 11.0),
]


def test_rpt_engagement_by_segment(db):
    expected = [
        {
            "period_grain": period[0],
            "period_start": D(period[1]),
            "period_end": D(PERIODS[period][0]),
            "segment": segment,
            "customers": customers,
            "active_customers": active,
            "engaged_customers": engaged,
            "disengaged_customers": disengaged,
            "avg_engagement_score": avg,
            "previous_avg_engagement_score": previous,
            "avg_engagement_score_change": change,
            "period_event_count": events,
            "period_positive_weight": pos,
            "period_negative_weight": neg,
        }
        for (
            period,
            segment,
            customers,
            active,
            engaged,
            disengaged,
            avg,
            previous,
            change,
            events,
            pos,
            neg,
        ) in ENGAGEMENT_BY_SEGMENT
    ]
    assert_mart(
        db, "rpt_engagement_by_segment", ("period_grain", "period_start", "segment"), expected
    )


# ---------------------------------------------------------------------------
# fct_customer_signals
# ---------------------------------------------------------------------------


def _signals(**values) -> dict:
    """A full row: the defaults of a customer with no recent signal."""
    row = {
        "open_cart_event_type": None,
        "hours_since_open_cart": None,
        "unpurchased_checkouts_recent": 0,
        "support_contacts_recent": 0,
        "checkout_errors_recent": 0,
        "return_requests_recent": 0,
        "friction_events_recent": 0,
        "orders_to_date": 0,
        "days_since_last_purchase": None,
        "has_open_cart": False,
        "has_unpurchased_checkout": False,
        "has_repeated_support_contacts": False,
        "has_checkout_error": False,
        "has_return_request": False,
        "has_friction": False,
        "is_churned": False,
        "has_open_journey": True,
        "last_negative_signal_type": None,
        "last_negative_signal_at": None,
        "open_cart_at": None,
        "last_purchase_at": None,
        "evaluated_at": T("2024-02-25 12:00:00"),
    }
    row.update(values)
    change = row["engagement_score"] - row["previous_engagement_score"]
    row["engagement_score_change"] = change
    row["engagement_trend"] = "rising" if change > 0 else "falling" if change < 0 else "steady"
    row["is_engagement_falling"] = change < 0
    row["open_journey_stage"] = row["current_stage"]  # every journey is open
    return row


SIGNALS = [
    # u1: now -2 (Feb 20 ticket); earlier [Feb 8 12:00, Feb 18 12:00] = Feb 13
    # +1 +5 = 6 (Feb 8 10:00 is out): falling by 8. Stage: the purchase is the
    # journey's first conversion. The Feb 13 09:05 tie: u1_06 (purchase) is
    # later in event order than u1_05. One ticket: friction, not repeated.
    _signals(
        customer_key="u1",
        segment="gold",
        current_stage="conversion",
        current_stage_order=4,
        last_event_type="support_ticket",
        last_event_channel="web",
        last_event_at=T("2024-02-20 10:00:00"),
        last_positive_signal_type="purchase",
        last_positive_signal_at=T("2024-02-13 09:05:00"),
        last_negative_signal_type="support_ticket",
        last_negative_signal_at=T("2024-02-20 10:00:00"),
        engagement_score=-2.0,
        previous_engagement_score=6.0,
        support_contacts_recent=1,
        friction_events_recent=1,
        has_friction=True,
        orders_to_date=1,
        last_purchase_at=T("2024-02-13 09:05:00"),
        days_since_last_event=5 + 2 / 24,  # Feb 20 10:00 -> Feb 25 12:00
        days_since_last_purchase=12 + 175 / 1440,  # Feb 13 09:05 -> Feb 25 12:00
    ),
    # u2: now 0; earlier Feb 10 +1: falling by 1. The checkout (Feb 6) has no
    # purchase after it; one checkout error.
    _signals(
        customer_key="u2",
        segment="gold",
        current_stage="intent",
        current_stage_order=3,
        last_event_type="product_view",
        last_event_channel="web",
        last_event_at=T("2024-02-10 12:00:00"),
        last_positive_signal_type="product_view",
        last_positive_signal_at=T("2024-02-10 12:00:00"),
        last_negative_signal_type="checkout_error",
        last_negative_signal_at=T("2024-02-06 10:08:00"),
        engagement_score=0.0,
        previous_engagement_score=1.0,
        unpurchased_checkouts_recent=1,
        has_unpurchased_checkout=True,
        checkout_errors_recent=1,
        has_checkout_error=True,
        friction_events_recent=1,
        has_friction=True,
        days_since_last_event=15.0,
    ),
    # u3: now Feb 20 +1, Feb 21 +2 +1 = 4; earlier Feb 12 +2, Feb 13 +0.5 =
    # 2.5: rising. Latest cart Feb 21 10:00: too old to be open.
    _signals(
        customer_key="u3",
        segment="silver",
        current_stage="intent",
        current_stage_order=3,
        last_event_type="email_click",
        last_event_channel="email",
        last_event_at=T("2024-02-21 11:00:00"),
        last_positive_signal_type="email_click",
        last_positive_signal_at=T("2024-02-21 11:00:00"),
        engagement_score=4.0,
        previous_engagement_score=2.5,
        days_since_last_event=4 + 1 / 24,
    ),
    # u4: now 1 - 2 - 2 - 3 = -6, earlier 0: falling by 6. Two tickets
    # (repeated), one return request, three friction events.
    _signals(
        customer_key="u4",
        segment="silver",
        current_stage="consideration",
        current_stage_order=2,
        last_event_type="return_request",
        last_event_channel="app",
        last_event_at=T("2024-02-24 09:30:00"),
        last_positive_signal_type="product_view",
        last_positive_signal_at=T("2024-02-19 09:00:00"),
        last_negative_signal_type="return_request",
        last_negative_signal_at=T("2024-02-24 09:30:00"),
        engagement_score=-6.0,
        previous_engagement_score=0.0,
        support_contacts_recent=2,
        has_repeated_support_contacts=True,
        return_requests_recent=1,
        has_return_request=True,
        friction_events_recent=3,
        has_friction=True,
        days_since_last_event=1 + 2.5 / 24,
    ),
    # u5: an open cart, 3 hours old; 3 now, 0 earlier.
    _signals(
        customer_key="u5",
        segment="unknown",
        current_stage="intent",
        current_stage_order=3,
        last_event_type="add_to_cart",
        last_event_channel="web",
        last_event_at=T("2024-02-25 09:00:00"),
        last_positive_signal_type="add_to_cart",
        last_positive_signal_at=T("2024-02-25 09:00:00"),
        engagement_score=3.0,
        previous_engagement_score=0.0,
        has_open_cart=True,
        open_cart_event_type="add_to_cart",
        open_cart_at=T("2024-02-25 09:00:00"),
        hours_since_open_cart=3.0,
        days_since_last_event=0.125,
    ),
    # u6: the cart is 24 h + 1 s old: not open.
    _signals(
        customer_key="u6",
        segment="gold",
        current_stage="intent",
        current_stage_order=3,
        last_event_type="add_to_cart",
        last_event_channel="app",
        last_event_at=T("2024-02-24 11:59:59"),
        last_positive_signal_type="add_to_cart",
        last_positive_signal_at=T("2024-02-24 11:59:59"),
        engagement_score=2.0,
        previous_engagement_score=0.0,
        days_since_last_event=1 + 1 / 86400,
    ),
    # v7: 7 in both windows (Feb 15 12:00 is the start of the current one);
    # the purchase (v7_02) is the latest event of the same-instant pair.
    _signals(
        customer_key="anon:v7",
        segment="unknown",
        current_stage="conversion",
        current_stage_order=4,
        last_event_type="purchase",
        last_event_channel="web",
        last_event_at=T("2024-02-15 12:00:00"),
        last_positive_signal_type="purchase",
        last_positive_signal_at=T("2024-02-15 12:00:00"),
        engagement_score=7.0,
        previous_engagement_score=7.0,
        orders_to_date=1,
        last_purchase_at=T("2024-02-15 12:00:00"),
        days_since_last_event=10.0,
        days_since_last_purchase=10.0,
    ),
]


def test_fct_customer_signals(db):
    assert_mart(db, "fct_customer_signals", ("customer_key",), SIGNALS)


# ---------------------------------------------------------------------------
# next_best_actions (the shipped rules)
# ---------------------------------------------------------------------------


def _action(
    customer,
    segment,
    rule_id,
    action,
    priority,
    signal,
    condition,
    threshold,
    value,
    matched,
    reason,
):
    return {
        "customer_key": customer,
        "segment": segment,
        "rule_id": rule_id,
        "action": action,
        "priority": priority,
        "signal": signal,
        "condition": condition,
        "threshold": threshold,
        "signal_value": value,
        "matched_rule_count": len(matched),
        "matched_rule_ids": ", ".join(matched),
        "reason": reason,
        "evaluated_at": T("2024-02-25 12:00:00"),
    }


ACTIONS = [
    # u1: only r06 (change -8 <= -5).
    _action(
        "u1",
        "gold",
        "r06_falling_engagement",
        "send_re_engagement_offer",
        60,
        "engagement_score_change",
        "at_most",
        -5.0,
        -8.0,
        ["r06_falling_engagement"],
        "engagement_score_change = -8 (rule r06_falling_engagement: engagement_score_change"
        " <= -5): Engagement fell by 5 or more within engagement_trend_days: re-engage"
        " before the customer drifts away",
    ),
    # u2: r03 (30) beats r05 (50); change -1 is not <= -5.
    _action(
        "u2",
        "gold",
        "r03_checkout_error",
        "offer_checkout_assistance",
        30,
        "has_checkout_error",
        "is_true",
        None,
        1.0,
        ["r03_checkout_error", "r05_unpurchased_checkout"],
        "has_checkout_error = true (rule r03_checkout_error: has_checkout_error is true):"
        " A checkout failed in the signal window: offer help to finish the order",
    ),
    # u3: rising, no friction: nothing. u4: r01 (10), r02 (20), r06 (-6 <= -5, 60).
    _action(
        "u4",
        "silver",
        "r01_return_request",
        "resolve_return",
        10,
        "has_return_request",
        "is_true",
        None,
        1.0,
        ["r01_return_request", "r02_repeated_support", "r06_falling_engagement"],
        "has_return_request = true (rule r01_return_request: has_return_request is true):"
        " A return was requested in the signal window: make sure it is resolved before"
        " selling anything",
    ),
    # u5: the open cart. u6 and v7: nothing (scores 2 and 7 are far below 25).
    _action(
        "u5",
        "unknown",
        "r04_open_cart",
        "send_cart_reminder_email",
        40,
        "has_open_cart",
        "is_true",
        None,
        1.0,
        ["r04_open_cart"],
        "has_open_cart = true (rule r04_open_cart: has_open_cart is true): A cart was left"
        " without a purchase in the abandonment window: send the follow-up email now",
    ),
]


def test_next_best_actions(db):
    assert_mart(db, "next_best_actions", ("customer_key",), ACTIONS)


# ---------------------------------------------------------------------------
# Abandonments and rpt_abandonment_recovery
# ---------------------------------------------------------------------------


def _abandonment(
    cart_event_id,
    customer,
    cart_type,
    channel,
    abandoned_at,
    touchpoints,
    follow_up_at,
    returned_at,
    purchased_at,
):
    start = T(abandoned_at)
    return {
        "cart_event_id": cart_event_id,
        "customer_key": customer,
        "cart_event_type": cart_type,
        "cart_channel": channel,
        "follow_up_touchpoints": touchpoints,
        "is_followed_up": follow_up_at is not None,
        "has_returned": returned_at is not None,
        "has_purchased": purchased_at is not None,
        # the recovery window ends 24 h + 7 d after the cart event
        "is_outcome_complete": start + dt.timedelta(days=8) <= T("2024-02-25 12:00:00"),
        "abandoned_at": start,
        "follow_up_ended_at": start + dt.timedelta(hours=24),
        "recovery_ended_at": start + dt.timedelta(days=8),
        "first_follow_up_at": follow_up_at and T(follow_up_at),
        "returned_at": returned_at and T(returned_at),
        "purchased_at": purchased_at and T(purchased_at),
    }


ABANDONMENTS = [
    # u1: followed up exactly at 24 h; the email click of Feb 8 is in the
    # recovery window but on email (no return); back and bought exactly at
    # the recovery end.
    _abandonment(
        "u1_02",
        "u1",
        "add_to_cart",
        "web",
        "2024-02-05 09:05:00",
        1,
        "2024-02-06 09:05:00",
        "2024-02-13 09:05:00",
        "2024-02-13 09:05:00",
    ),
    # u2: the burst's last cart event; the ad impression is no follow-up and no
    # return; back on Feb 10, no purchase.
    _abandonment(
        "u2_03",
        "u2",
        "checkout_start",
        "app",
        "2024-02-06 10:07:00",
        0,
        None,
        "2024-02-10 12:00:00",
        None,
    ),
    # u3: email 1 s late, web visit 1 s after the recovery end: nothing.
    _abandonment("u3_01", "u3", "add_to_cart", "web", "2024-02-12 08:00:00", 0, None, None, None),
    # u3 again: followed up an hour later; recovery ends Feb 29 (pending).
    _abandonment(
        "u3_04",
        "u3",
        "add_to_cart",
        "web",
        "2024-02-21 10:00:00",
        1,
        "2024-02-21 11:00:00",
        None,
        None,
    ),
    # u6: pending. (u5's cart is not abandoned yet; v7 bought at once.)
    _abandonment("u6_01", "u6", "add_to_cart", "app", "2024-02-24 11:59:59", 0, None, None, None),
]


def test_int_cart_abandonments_detected(db):
    assert_mart(db, "int_cart_abandonments_detected", ("cart_event_id",), ABANDONMENTS)


def _recovery(period, segment, abandoning=0, pending=0, followed=(0, 0, 0), other=(0, 0, 0)):
    """followed / other: (customers, returned, purchased) of the followed-up
    and not-followed-up groups."""

    def rate(part, whole):
        return part / whole if whole else None

    def diff(a, b):
        return None if a is None or b is None else a - b

    fu_return, nfu_return = rate(followed[1], followed[0]), rate(other[1], other[0])
    fu_purchase, nfu_purchase = rate(followed[2], followed[0]), rate(other[2], other[0])
    return {
        "period_grain": period[0],
        "period_start": D(period[1]),
        "period_end": D(PERIODS[period][0]),
        "segment": segment,
        "abandoning_customers": abandoning,
        "pending_customers": pending,
        "followed_up_customers": followed[0],
        "not_followed_up_customers": other[0],
        "followed_up_returned": followed[1],
        "not_followed_up_returned": other[1],
        "followed_up_purchased": followed[2],
        "not_followed_up_purchased": other[2],
        "followed_up_return_rate": fu_return,
        "not_followed_up_return_rate": nfu_return,
        "return_rate_difference": diff(fu_return, nfu_return),
        "followed_up_purchase_rate": fu_purchase,
        "not_followed_up_purchase_rate": nfu_purchase,
        "purchase_rate_difference": diff(fu_purchase, nfu_purchase),
    }


RECOVERY = [
    # week Feb 5: u1 (followed up, returned, bought), u2 (not followed up, returned).
    _recovery(W5, "gold", 2, 0, (1, 1, 1), (1, 1, 0)),
    _recovery(W5, "silver"),
    _recovery(W5, "unknown"),
    _recovery(W5, "all", 2, 0, (1, 1, 1), (1, 1, 0)),
    # week Feb 12: u3's first (not followed up, nothing).
    _recovery(W12, "gold"),
    _recovery(W12, "silver", 1, 0, (0, 0, 0), (1, 0, 0)),
    _recovery(W12, "unknown"),
    _recovery(W12, "all", 1, 0, (0, 0, 0), (1, 0, 0)),
    # week Feb 19: u6 (gold) and u3's second (silver), both pending.
    _recovery(W19, "gold", 1, 1),
    _recovery(W19, "silver", 1, 1),
    _recovery(W19, "unknown"),
    _recovery(W19, "all", 2, 2),
    # February: u1, u2, u6 (pending); u3 once, with its first abandonment.
    _recovery(M2, "gold", 3, 1, (1, 1, 1), (1, 1, 0)),
    _recovery(M2, "silver", 1, 0, (0, 0, 0), (1, 0, 0)),
    _recovery(M2, "unknown"),
    _recovery(M2, "all", 4, 1, (1, 1, 1), (2, 1, 0)),
]


def test_rpt_abandonment_recovery(db):
    assert_mart(
        db, "rpt_abandonment_recovery", ("period_grain", "period_start", "segment"), RECOVERY
    )


def test_recovery_rates_as_worked(db):
    """The February 'all' row spelled out: followed up 1 of 1 returned and
    bought; not followed up 1 of 2 returned, 0 bought."""
    row = query_dicts(
        db,
        "select * from rpt_abandonment_recovery where period_grain = 'month' and segment = 'all'",
    )[0]
    assert row["return_rate_difference"] == pytest.approx(0.5)
    assert row["purchase_rate_difference"] == pytest.approx(1.0)


# ---------------------------------------------------------------------------
# The rules seed can only name signals the model knows
# ---------------------------------------------------------------------------


def test_rule_signals_match_the_macro():
    """The seed's accepted signal names (seeds/_seeds.yml) are exactly the
    columns journeys_next_best_action_signals() exposes, and each is a column
    of fct_customer_signals' documentation."""
    macro = (PROJECT_DIR / "macros/signals/journeys_next_best_action_signals.sql").read_text()
    exposed = re.findall(r"'name': '([a-z_]+)'", macro)
    seeds = yaml.safe_load((PROJECT_DIR / "seeds/_seeds.yml").read_text())
    rules = next(s for s in seeds["seeds"] if s["name"] == "next_best_action_rules")
    signal = next(c for c in rules["columns"] if c["name"] == "signal")
    accepted = next(t for t in signal["data_tests"] if isinstance(t, dict))
    assert accepted["accepted_values"]["arguments"]["values"] == exposed
    models = yaml.safe_load((PROJECT_DIR / "models/marts/signals/_signals__models.yml").read_text())
    signals = next(m for m in models["models"] if m["name"] == "fct_customer_signals")
    assert set(exposed) <= {c["name"] for c in signals["columns"]}


# ---------------------------------------------------------------------------
# The signals variables are validated before they reach SQL
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("abandonment_window_hours", 0, "var abandonment_window_hours must be a number > 0"),
        ("recovery_window_days", "7; drop table x", "var recovery_window_days must be a number"),
        (
            "follow_up_channel",
            "email' or '1' = '1",
            "var follow_up_channel must be a non-empty name",
        ),
        ("follow_up_channel", "", "var follow_up_channel must be a non-empty name"),
    ],
)
def test_bad_signal_vars_fail_with_the_variable_named(tmp_path, name, value, message):
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=tmp_path / "journeys.duckdb",
        vars={name: value},
        target_path=tmp_path / "target",
    )
    result = run_dbt(
        invocation, ["compile", "--select", "int_cart_abandonments_detected"], expect_success=False
    )
    assert result.returncode != 0, "the compile was expected to fail"
    assert message in result.stdout + result.stderr
