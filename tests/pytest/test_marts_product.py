"""Independent check of the product-analytics marts (issue 8) on a small
hand-made dataset, tests/fixtures/product (events only: every customer's
segment is `unknown`). Every expectation is worked out by hand from the
events below, README "Product analytics" and DECISIONLOG D110-D116.

as_of = 2024-03-31 00:00; default vars (funnel window 14 days = 1,209,600 s,
journey timeout 30 days, session timeout 30 minutes, churn 90 days).

  u1  e01 Jan 2 10:00 product_view web   e02 10:05 add_to_cart web
      e03 10:10 checkout_start web       e04 10:20 purchase web 50
      e05 Feb 20 09:00 product_view app  (49 days later: journey 2, entry 2)
      e06 Mar 5 09:00 add_to_cart app    (exactly 14 days after e05: in)
  u2  e07 Jan 10 12:00 page_view web     e08 12:10 product_view web (entry)
      e09 Jan 20 12:10 product_view web  (10 days after e08: same entry)
      e10 Jan 24 12:10:01 add_to_cart web (14 days + 1 s after e08: out)
  u3  e11 Mar 10 08:00 product_view app  e12 08:00 add_to_cart app (a tie)
      e13 08:30 purchase app 20 (30 minutes: the same session; no checkout,
      so the purchase is not step 4)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_fixture, query_dicts

PRODUCT_VARS = {"as_of": "2024-03-31T00:00:00"}
JAN, FEB, MAR = (dt.date(2024, m, 1) for m in (1, 2, 3))


@pytest.fixture(scope="module")
def db(build_project, tmp_path_factory) -> Path:
    raw = copy_fixture("product", tmp_path_factory.mktemp("product_raw"))
    return build_project(raw, vars=PRODUCT_VARS, name="product")


def rows(db: Path, sql: str) -> list[dict]:
    return query_dicts(db, sql)


def approx_rows(got: list[dict], want: list[dict]) -> None:
    assert len(got) == len(want), f"{len(got)} rows, expected {len(want)}:\n{got}"
    for index, (g, w) in enumerate(zip(got, want, strict=True)):
        for column, value in w.items():
            if isinstance(value, float):
                assert g[column] == pytest.approx(value, rel=1e-9), (index, column, g)
            else:
                assert g[column] == value, (index, column, g)


def test_funnel_entries(db):
    """Entries and the steps they reached: u1's second entry reaches the cart
    exactly at the window's end; u2's repeat view is no re-entry and its cart
    is one second late; u3's tie counts (0 s) and the purchase without a
    checkout is not a step."""
    got = rows(
        db,
        "select customer_key, entry_number, step_number, seconds_from_previous_step,"
        " seconds_from_entry from int_funnel_entry_steps"
        " order by customer_key, entry_number, step_number",
    )
    assert [tuple(r.values()) for r in got] == [
        ("u1", 1, 1, None, 0.0),
        ("u1", 1, 2, 300.0, 300.0),
        ("u1", 1, 3, 300.0, 600.0),
        ("u1", 1, 4, 600.0, 1200.0),
        ("u1", 2, 1, None, 0.0),
        ("u1", 2, 2, 1209600.0, 1209600.0),
        ("u2", 1, 1, None, 0.0),
        ("u3", 1, 1, None, 0.0),
        ("u3", 1, 2, 0.0, 0.0),
    ]


def test_funnel_months_whole_funnel(db):
    """January: entries u1 (all four steps) and u2 (step 1); February: u1's
    second entry (two steps); March: u3 (two steps)."""
    got = rows(
        db,
        "select period_start, step_number, entries, entries_reached,"
        " conversion_from_first_step, conversion_from_previous_step,"
        " median_seconds_from_previous_step, median_seconds_from_entry"
        " from rpt_funnel where period_grain = 'month' and segment = 'all'"
        " and first_touch_channel = 'all' and journey_pattern = 'all'"
        " order by period_start, step_number",
    )
    n = None
    want = [
        (JAN, 1, 2, 2, 1.0, n, n, 0.0),
        (JAN, 2, 2, 1, 0.5, 0.5, 300.0, 300.0),
        (JAN, 3, 2, 1, 0.5, 1.0, 300.0, 600.0),
        (JAN, 4, 2, 1, 0.5, 1.0, 600.0, 1200.0),
        (FEB, 1, 1, 1, 1.0, n, n, 0.0),
        (FEB, 2, 1, 1, 1.0, 1.0, 1209600.0, 1209600.0),
        (FEB, 3, 1, 0, 0.0, 0.0, n, n),
        (FEB, 4, 1, 0, 0.0, n, n, n),
        (MAR, 1, 1, 1, 1.0, n, n, 0.0),
        (MAR, 2, 1, 1, 1.0, 1.0, 0.0, 0.0),
        (MAR, 3, 1, 0, 0.0, 0.0, n, n),
        (MAR, 4, 1, 0, 0.0, n, n, n),
    ]
    assert [tuple(r.values()) for r in got] == want


def test_journey_patterns(db):
    """u1: 2 touchpoint channels, bought 20 minutes after first seen after 3
    touchpoints: impulse_buyer. u3: bought after 30 minutes and 2 touchpoints:
    impulse_buyer. u2: no purchase, one channel, 2 consideration events:
    casual."""
    got = rows(
        db,
        "select customer_key, journey_pattern, touchpoint_channels, consideration_events,"
        " days_to_first_purchase, touchpoints_before_first_purchase"
        " from int_customer_journey_patterns order by customer_key",
    )
    approx_rows(
        got,
        [
            {
                "customer_key": "u1",
                "journey_pattern": "impulse_buyer",
                "touchpoint_channels": 2,
                "consideration_events": 2,
                "days_to_first_purchase": 20 / 1440,
                "touchpoints_before_first_purchase": 3,
            },
            {
                "customer_key": "u2",
                "journey_pattern": "casual",
                "touchpoint_channels": 1,
                "consideration_events": 2,
                "days_to_first_purchase": None,
                "touchpoints_before_first_purchase": None,
            },
            {
                "customer_key": "u3",
                "journey_pattern": "impulse_buyer",
                "touchpoint_channels": 1,
                "consideration_events": 1,
                "days_to_first_purchase": 30 / 1440,
                "touchpoints_before_first_purchase": 2,
            },
        ],
    )


def test_funnel_by_pattern(db):
    """January by pattern: impulse_buyer holds u1's entry (all four steps),
    casual u2's (step 1 only)."""
    got = rows(
        db,
        "select journey_pattern, step_number, entries, entries_reached from rpt_funnel"
        " where period_grain = 'month' and period_start = '2024-01-01'"
        " and segment = 'all' and first_touch_channel = 'all' and journey_pattern != 'all'"
        " order by journey_pattern, step_number",
    )
    assert [tuple(r.values()) for r in got] == [
        ("casual", 1, 1, 1),
        ("casual", 2, 1, 0),
        ("casual", 3, 1, 0),
        ("casual", 4, 1, 0),
        ("impulse_buyer", 1, 1, 1),
        ("impulse_buyer", 2, 1, 1),
        ("impulse_buyer", 3, 1, 1),
        ("impulse_buyer", 4, 1, 1),
    ]


def test_retention_months(db):
    """first_seen: Jan {u1, u2} (u1 active Feb and Mar), Mar {u3};
    first_purchase: Jan {u1} (no later purchase), Mar {u3}."""
    got = rows(
        db,
        "select cohort_type, cohort_period_start, period_number, cohort_customers,"
        " customers_retained_on, customers_retained_on_or_after from rpt_retention"
        " where period_grain = 'month' order by cohort_type desc, cohort_period_start,"
        " period_number",
    )
    assert [tuple(r.values()) for r in got] == [
        ("first_seen", JAN, 0, 2, 2, 2),
        ("first_seen", JAN, 1, 2, 1, 1),
        ("first_seen", JAN, 2, 2, 1, 1),
        ("first_seen", FEB, 0, 0, 0, 0),
        ("first_seen", FEB, 1, 0, 0, 0),
        ("first_seen", MAR, 0, 1, 1, 1),
        ("first_purchase", JAN, 0, 1, 1, 1),
        ("first_purchase", JAN, 1, 1, 0, 0),
        ("first_purchase", JAN, 2, 1, 0, 0),
        ("first_purchase", FEB, 0, 0, 0, 0),
        ("first_purchase", FEB, 1, 0, 0, 0),
        ("first_purchase", MAR, 0, 1, 1, 1),
    ]


def test_lifecycle_months(db):
    """Jan: u1, u2 new. Feb: u1 returning, u2 dormant. Mar: u1 returning, u3 new."""
    got = rows(
        db,
        "select period_start, customers_active, customers_new, customers_returning,"
        " customers_resurrecting, customers_dormant, quick_ratio from rpt_lifecycle"
        " where period_grain = 'month' order by period_start",
    )
    assert [tuple(r.values()) for r in got] == [
        (JAN, 2, 2, 0, 0, 0, None),
        (FEB, 1, 0, 1, 0, 1, 0.0),
        (MAR, 2, 1, 1, 0, 0, None),
    ]


def test_stickiness_months(db):
    """Active days: Jan u1 1 (Jan 2), u2 3 (Jan 10, 20, 24); Feb u1 1; Mar u1 1
    (Mar 5), u3 1 (Mar 10). Rows with customers only; a month has a row per day."""
    got = rows(
        db,
        "select period_start, active_days, customers, customers_active from rpt_stickiness"
        " where period_grain = 'month' and customers > 0 order by period_start, active_days",
    )
    assert [tuple(r.values()) for r in got] == [
        (JAN, 1, 1, 2),
        (JAN, 3, 1, 2),
        (FEB, 1, 1, 1),
        (MAR, 1, 2, 2),
    ]
    counts = rows(
        db,
        "select period_start, count(*) as n from rpt_stickiness where period_grain = 'month'"
        " group by period_start order by period_start",
    )
    assert [(r["period_start"], r["n"]) for r in counts] == [(JAN, 31), (FEB, 29), (MAR, 31)]


def test_paths(db):
    """Stage paths (event stages, repeats collapsed): u1 J1 and u3 consideration >
    intent > conversion (20 and 30 minutes: median 25 minutes); u2 awareness >
    consideration > intent; u1 J2 consideration > intent. Channel paths: app
    (u1 J2, u3) and web (u1 J1, u2), tied at 2: by text."""
    got = rows(
        db,
        "select path_type, path_rank, journey_path, journeys, journeys_converted,"
        " share_of_journeys, median_duration_days from rpt_paths"
        " order by path_type desc, path_rank",
    )
    day = 86400.0
    approx_rows(
        got,
        [
            {
                "journey_path": "consideration > intent > conversion",
                "journeys": 2,
                "journeys_converted": 2,
                "share_of_journeys": 0.5,
                "median_duration_days": 25 / 1440,
            },
            {
                "journey_path": "awareness > consideration > intent",
                "journeys": 1,
                "journeys_converted": 0,
                "share_of_journeys": 0.25,
                "median_duration_days": (14 * day + 601) / day,
            },
            {
                "journey_path": "consideration > intent",
                "journeys": 1,
                "journeys_converted": 0,
                "share_of_journeys": 0.25,
                "median_duration_days": 14.0,
            },
            {
                "journey_path": "app",
                "journeys": 2,
                "journeys_converted": 1,
                "share_of_journeys": 0.5,
            },
            {
                "journey_path": "web",
                "journeys": 2,
                "journeys_converted": 1,
                "share_of_journeys": 0.5,
            },
        ],
    )


def test_sequences(db):
    """Pairs inside sessions: u1 pv>atc, atc>checkout, checkout>purchase; u2
    page_view>pv; u3 pv>atc, atc>purchase: 6, of which 3 have a purchase after
    them (base 0.5). product_view > add_to_cart: 2 in 2 sessions, both
    followed: rate 1, lift 2. Triples: 3, one followed (base 1/3)."""
    got = rows(
        db,
        "select sequence_length, event_sequence, occurrences, sessions,"
        " occurrences_followed_by_purchase, base_purchase_rate, purchase_lift"
        " from rpt_sequences where sequence_rank = 1 order by sequence_length",
    )
    approx_rows(
        got,
        [
            {
                "event_sequence": "product_view > add_to_cart",
                "occurrences": 2,
                "sessions": 2,
                "occurrences_followed_by_purchase": 2,
                "base_purchase_rate": 0.5,
                "purchase_lift": 2.0,
            },
            # three triples once each; by text: add_to_cart > checkout_start > purchase
            {
                "event_sequence": "add_to_cart > checkout_start > purchase",
                "occurrences": 1,
                "sessions": 1,
                "occurrences_followed_by_purchase": 0,
                "base_purchase_rate": 1 / 3,
                "purchase_lift": 0.0,
            },
        ],
    )


def test_dim_customers_carries_the_rule(db):
    """dim_customers names the rule behind each pattern (the shipped seed):
    u1 and u3 impulse_buyer (priority 4), u2 casual (7)."""
    got = rows(
        db,
        "select customer_key, journey_pattern, pattern_priority, pattern_description"
        " from dim_customers order by customer_key",
    )
    impulse = "Bought within a day of first being seen after at most three touchpoints"
    assert [tuple(r.values()) for r in got] == [
        ("u1", "impulse_buyer", 4, impulse),
        ("u2", "casual", 7, "Everyone else"),
        ("u3", "impulse_buyer", 4, impulse),
    ]


def test_channel_funnel_by_pattern(db):
    """Journeys by start month, touchpoint channel and pattern: January u1 J1
    (impulse_buyer, web, reached conversion, 50) and u2 (casual, web, reached
    intent); February u1 J2 (impulse_buyer, app, intent); March u3
    (impulse_buyer, app, conversion, 20). The `all` pattern rows are
    rpt_channel_funnel's; patterns add up to them."""
    got = rows(
        db,
        "select period_start, journey_pattern, channel, journeys_touched,"
        " journeys_reached_intent, journeys_reached_conversion, journeys_converted,"
        " revenue, conversion_rate from rpt_channel_funnel_by_pattern"
        " where period_grain = 'month' and journeys_touched > 0"
        " order by period_start, journey_pattern, channel",
    )
    assert [tuple(r.values()) for r in got] == [
        (JAN, "all", "all", 2, 2, 1, 1, 50.0, 0.5),
        (JAN, "all", "web", 2, 2, 1, 1, 50.0, 0.5),
        (JAN, "casual", "all", 1, 1, 0, 0, 0.0, 0.0),
        (JAN, "casual", "web", 1, 1, 0, 0, 0.0, 0.0),
        (JAN, "impulse_buyer", "all", 1, 1, 1, 1, 50.0, 1.0),
        (JAN, "impulse_buyer", "web", 1, 1, 1, 1, 50.0, 1.0),
        (FEB, "all", "all", 1, 1, 0, 0, 0.0, 0.0),
        (FEB, "all", "app", 1, 1, 0, 0, 0.0, 0.0),
        (FEB, "impulse_buyer", "all", 1, 1, 0, 0, 0.0, 0.0),
        (FEB, "impulse_buyer", "app", 1, 1, 0, 0, 0.0, 0.0),
        (MAR, "all", "all", 1, 1, 1, 1, 20.0, 1.0),
        (MAR, "all", "app", 1, 1, 1, 1, 20.0, 1.0),
        (MAR, "impulse_buyer", "all", 1, 1, 1, 1, 20.0, 1.0),
        (MAR, "impulse_buyer", "app", 1, 1, 1, 1, 20.0, 1.0),
    ]
    # every month x {all, casual, impulse_buyer} x {all, app, web} has a row
    count = rows(
        db, "select count(*) as n from rpt_channel_funnel_by_pattern where period_grain = 'month'"
    )
    assert count == [{"n": 3 * 3 * 3}]


def test_paths_by_pattern(db):
    """impulse_buyer journeys: u1 J1 and u3 (consideration > intent >
    conversion, 20 and 30 minutes), u1 J2 (consideration > intent, 14 days);
    channels app (u1 J2, u3: one converted) and web (u1 J1). casual: u2's
    one journey. Shares are of the pattern's journeys."""
    got = rows(
        db,
        "select journey_pattern, path_type, path_rank, journey_path, journeys,"
        " journeys_converted, share_of_journeys, median_duration_days"
        " from rpt_paths_by_pattern where journey_pattern <> 'all'"
        " order by journey_pattern, path_type desc, path_rank",
    )
    day = 86400.0
    approx_rows(
        got,
        [
            {
                "journey_pattern": "casual",
                "path_type": "stage",
                "journey_path": "awareness > consideration > intent",
                "journeys": 1,
                "journeys_converted": 0,
                "share_of_journeys": 1.0,
                "median_duration_days": (14 * day + 601) / day,
            },
            {"journey_pattern": "casual", "journey_path": "web", "share_of_journeys": 1.0},
            {
                "journey_pattern": "impulse_buyer",
                "path_type": "stage",
                "path_rank": 1,
                "journey_path": "consideration > intent > conversion",
                "journeys": 2,
                "journeys_converted": 2,
                "share_of_journeys": 2 / 3,
                "median_duration_days": 25 / 1440,
            },
            {
                "journey_pattern": "impulse_buyer",
                "path_rank": 2,
                "journey_path": "consideration > intent",
                "journeys": 1,
                "journeys_converted": 0,
                "share_of_journeys": 1 / 3,
                "median_duration_days": 14.0,
            },
            {
                "journey_pattern": "impulse_buyer",
                "path_type": "channel",
                "journey_path": "app",
                "journeys": 2,
                "journeys_converted": 1,
                "share_of_journeys": 2 / 3,
            },
            {
                "journey_pattern": "impulse_buyer",
                "journey_path": "web",
                "journeys": 1,
                "journeys_converted": 1,
                "share_of_journeys": 1 / 3,
            },
        ],
    )
    # the `all` rows are rpt_paths' rows
    assert rows(
        db,
        "select count(*) as n from (select path_type, path_rank, journey_path, journeys"
        " from rpt_paths_by_pattern where journey_pattern = 'all'"
        " except select path_type, path_rank, journey_path, journeys from rpt_paths)",
    ) == [{"n": 0}]
