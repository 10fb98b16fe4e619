"""Stage progression by journey pattern (issue 8, item 4;
rpt_stage_progression_by_pattern, DECISIONLOG D150) on a small hand-made
dataset, tests/fixtures/pattern_progression. Every expectation is worked out
by hand from the events below, SPEC 6 (stage progression rate) and the
journey_pattern_rules seed.

as_of = 2024-06-30 00:00; default vars (journey timeout 30 days, churn 90
days). CRM: d1 gold, c1 silver, b1 gold; a1 is not in the CRM (unknown).

  d1  e01 Jan 10 page_view (awareness)   e02 Jan 28 product_view (consideration)
      e03 Feb 10 add_to_cart (intent). Last seen Feb 10 + 90 days = May 10
      <= as_of: churned, so `dormant` today (priority 1), though active in
      February.
  c1  e04-e08 Mar 3, 4, 5, 6, 20: search, product_view x3, search (five
      consideration events: `researcher`); e09 Apr 10 add_to_cart (intent).
  a1  e10 Apr 20 page_view; e11 May 5 product_view. Two events: `casual`.
  b1  e12 May 31 12:00 product_view; e13 Jun 1 06:00 purchase (18 hours
      later, one touchpoint before it: `impulse_buyer` today, though at the
      June start b1 had not bought yet).

Open journeys at each month start (latest event strictly before it, at most
30 days earlier) and their stage counting only earlier events:
  Feb 1  d1 (Jan 28) consideration; reaches intent Feb 10: progressed
  Mar 1  d1 (Feb 10) intent; nothing in March
  Apr 1  c1 (Mar 20) consideration; intent Apr 10: progressed
         (d1: Feb 10 is 51 days earlier: closed)
  May 1  c1 (Apr 10) intent; nothing in May
         a1 (Apr 20) awareness; consideration May 5: progressed
  Jun 1  a1 (May 5, 27 days) consideration; nothing in June
         b1 (May 31) consideration; purchase Jun 1 (conversion, past
         intent): progressed (c1: Apr 10 is 52 days earlier: closed)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_fixture, query, query_dicts

PATTERN_VARS = {"as_of": "2024-06-30T00:00:00"}
FEB, MAR, APR, MAY, JUN = (dt.date(2024, m, 1) for m in (2, 3, 4, 5, 6))
MEASURES = (
    "customers_at_start, customers_progressed, progression_rate,"
    " previous_progression_rate, progression_rate_change"
)


@pytest.fixture(scope="module")
def db(build_project, tmp_path_factory) -> Path:
    raw = copy_fixture("pattern_progression", tmp_path_factory.mktemp("pattern_raw"))
    return build_project(raw, vars=PATTERN_VARS, name="pattern_progression")


def test_patterns_are_the_customers_patterns_at_as_of(db):
    got = query(db, "select customer_key, journey_pattern from dim_customers order by 1")
    assert got == [
        ("a1", "casual"),
        ("b1", "impulse_buyer"),
        ("c1", "researcher"),
        ("d1", "dormant"),
    ]


def test_monthly_progression_by_pattern(db):
    """The rows with someone at stage A, each under the customer's pattern at
    as_of: d1's February and March under `dormant`, b1's June under
    `impulse_buyer`."""
    got = query(
        db,
        "select period_start, journey_pattern, from_stage, to_stage,"
        " customers_at_start, customers_progressed, progression_rate"
        " from rpt_stage_progression_by_pattern"
        " where period_grain = 'month' and customers_at_start > 0"
        " order by period_start, journey_pattern, from_stage",
    )
    assert got == [
        (FEB, "all", "consideration", "intent", 1, 1, 1.0),
        (FEB, "dormant", "consideration", "intent", 1, 1, 1.0),
        (MAR, "all", "intent", "conversion", 1, 0, 0.0),
        (MAR, "dormant", "intent", "conversion", 1, 0, 0.0),
        (APR, "all", "consideration", "intent", 1, 1, 1.0),
        (APR, "researcher", "consideration", "intent", 1, 1, 1.0),
        (MAY, "all", "awareness", "consideration", 1, 1, 1.0),
        (MAY, "all", "intent", "conversion", 1, 0, 0.0),
        (MAY, "casual", "awareness", "consideration", 1, 1, 1.0),
        (MAY, "researcher", "intent", "conversion", 1, 0, 0.0),
        (JUN, "all", "consideration", "intent", 2, 1, 0.5),
        (JUN, "casual", "consideration", "intent", 1, 0, 0.0),
        (JUN, "impulse_buyer", "consideration", "intent", 1, 1, 1.0),
    ]


def test_grid_and_trend(db):
    """Every month (January to June) x pattern present (four, plus `all`) x
    five stage pairs has a row; an empty row has a null rate, and the next
    period's previous rate is the last one of the same pattern and pair."""
    counts = query(
        db,
        "select count(*), count(distinct period_start), count(distinct journey_pattern)"
        " from rpt_stage_progression_by_pattern where period_grain = 'month'",
    )
    assert counts == [(6 * 5 * 5, 6, 5)]
    got = query(
        db,
        f"select period_start, {MEASURES} from rpt_stage_progression_by_pattern"
        " where period_grain = 'month' and journey_pattern = 'dormant'"
        " and from_stage = 'consideration' and period_start in ('2024-02-01', '2024-03-01')"
        " order by period_start",
    )
    assert got == [(FEB, 1, 1, 1.0, None, None), (MAR, 0, 0, None, 1.0, None)]


@pytest.mark.parametrize("grain", ["week", "month"])
def test_all_rows_equal_rpt_stage_progression(db, grain):
    """The `all` rows are rpt_stage_progression's `all` rows, column for
    column, and the patterns add up to them."""
    columns = f"period_grain, period_start, period_end, from_stage, to_stage, {MEASURES}"
    order = "order by period_start, from_stage"
    by_pattern = query_dicts(
        db,
        f"select {columns} from rpt_stage_progression_by_pattern"
        f" where period_grain = '{grain}' and journey_pattern = 'all' {order}",
    )
    by_segment = query_dicts(
        db,
        f"select {columns} from rpt_stage_progression"
        f" where period_grain = '{grain}' and segment = 'all' {order}",
    )
    assert by_pattern == by_segment
    # month starts: 7 customer rows (docstring); Monday starts with an open
    # journey: d1 Jan 15, 22, 29, Feb 5, 12, 19, 26, Mar 4, 11 (9); c1 Mar 4
    # to May 6 (10); a1 Apr 22 to Jun 3 (7); b1 Jun 3 to Jun 24 (4)
    assert sum(r["customers_at_start"] for r in by_pattern) == {"month": 7, "week": 30}[grain]
    unbalanced = query(
        db,
        "select period_start, from_stage from rpt_stage_progression_by_pattern"
        f" where period_grain = '{grain}'"
        " group by period_start, from_stage"
        " having sum(case when journey_pattern = 'all' then customers_at_start else 0 end)"
        " != sum(case when journey_pattern != 'all' then customers_at_start else 0 end)"
        " or sum(case when journey_pattern = 'all' then customers_progressed else 0 end)"
        " != sum(case when journey_pattern != 'all' then customers_progressed else 0 end)",
    )
    assert unbalanced == []


def test_all_rows_equal_on_the_handmade_data(handmade_db):
    """The same identity on the shared hand-made dataset, both grains: not
    one differing row."""
    columns = f"period_grain, period_start, period_end, from_stage, to_stage, {MEASURES}"
    differing = query(
        handmade_db,
        f"select count(*) from ("
        f" (select {columns} from rpt_stage_progression_by_pattern where journey_pattern = 'all'"
        f"  except all select {columns} from rpt_stage_progression where segment = 'all')"
        f" union all"
        f" (select {columns} from rpt_stage_progression where segment = 'all'"
        f"  except all select {columns} from rpt_stage_progression_by_pattern"
        f"  where journey_pattern = 'all'))",
    )
    assert differing == [(0,)]
    at_start = query(
        handmade_db,
        "select sum(customers_at_start) from rpt_stage_progression_by_pattern"
        " where journey_pattern = 'all'",
    )
    assert at_start[0][0] > 0
