"""The churn backtest's outcome (DECISIONLOG D144): each customer active at
the cutoff is followed to the full build through the event_id of their
latest event, so a visitor who identifies after the cutoff (another
customer_key there) is seen coming back. Hand-made fit and full builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from journeys.backtest import _churn_cases

CUTOFF = dt.date(2025, 7, 1)

# fit build (inputs before the cutoff): key, event_id, occurred_at
FIT_EVENTS = [
    ("anon:a1", "e1", "2025-06-20 10:00:00"),  # identifies as c1 after the cutoff
    ("c1", "e2", "2025-06-25 10:00:00"),
    ("c2", "e3", "2025-06-01 10:00:00"),
    ("c3", "e4", "2025-06-25 12:00:00"),
    ("c4", "e5", "2025-06-30 10:00:00"),
    ("c5", "e6", "2025-01-10 10:00:00"),
]
# (key, churn_risk, recency_churn_rate, active at the cutoff, last event)
FIT_RISKS = [
    ("anon:a1", 0.9, 0.6, True, "2025-06-20 10:00:00"),
    ("c1", 0.2, 0.5, True, "2025-06-25 10:00:00"),
    ("c2", 0.7, 0.7, True, "2025-06-01 10:00:00"),
    ("c3", 0.3, 0.5, True, "2025-06-25 12:00:00"),
    ("c4", 0.4, 0.4, True, "2025-06-30 10:00:00"),
    ("c5", None, None, False, "2025-01-10 10:00:00"),
]
# full build: e1 is now c1's (stitched); the data end on Sep 20
ACTUAL_EVENTS = [
    ("c1", "e1", "2025-06-20 10:00:00"),
    ("c1", "e2", "2025-06-25 10:00:00"),
    ("c1", "e7", "2025-07-10 10:00:00"),
    ("c2", "e3", "2025-06-01 10:00:00"),
    ("c3", "e4", "2025-06-25 12:00:00"),
    ("c3", "e8", "2025-09-20 09:00:00"),
    ("c4", "e5", "2025-06-30 10:00:00"),
    ("c5", "e6", "2025-01-10 10:00:00"),
]


def _write(path: Path, events: list, risks: list | None) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table fct_events"
            " (customer_key varchar, event_id varchar, occurred_at timestamp)"
        )
        con.executemany("insert into fct_events values (?, ?, ?)", events)
        if risks is not None:
            con.execute(
                "create table int_customer_churn_risk (customer_key varchar, churn_risk double,"
                " recency_churn_rate double, is_active_at_as_of boolean, last_event_at timestamp)"
            )
            con.executemany("insert into int_customer_churn_risk values (?, ?, ?, ?, ?)", risks)


def test_churn_cases_follow_the_person(tmp_path: Path) -> None:
    _write(tmp_path / "fit.duckdb", FIT_EVENTS, FIT_RISKS)
    _write(tmp_path / "actual.duckdb", ACTUAL_EVENTS, None)
    with duckdb.connect(str(tmp_path / "fit.duckdb")) as con:
        con.execute(f"attach '{tmp_path / 'actual.duckdb'}' as actual (read_only)")
        cases = sorted(_churn_cases(con, CUTOFF, 90.0))
    # anon:a1 -> c1 (through e1): latest before the cutoff Jun 25, next Jul 10
    #   -> came back, 0 (looked up as anon:a1 it would count as churned);
    # c1: the same person, 0;
    # c2: Jun 1, nothing after; Jun 1 + 90 d = Aug 30 <= data end Sep 20 -> 1;
    # c3: Jun 25 12:00, next Sep 20 09:00 <= Sep 23 12:00 -> 0;
    # c4: Jun 30 + 90 d = Sep 28 > data end, nothing after: unknown, left out;
    # c5: not active at the cutoff, left out.
    assert cases == sorted([(0.9, 0.6, 0), (0.2, 0.5, 0), (0.7, 0.7, 1), (0.3, 0.5, 0)])
