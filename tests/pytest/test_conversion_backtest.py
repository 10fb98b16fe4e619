"""The conversion backtest's outcome (DECISIONLOG D173): each journey open
and not converted at the cutoff is followed to the full build through the
event_id of its latest event, so a journey whose visitor identifies after
the cutoff (another customer_key, so another journey_id there) keeps its
outcome; only conversions at or after the cutoff count. Hand-made fit and
full builds; the scores are the three columns the backtest compares."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from journeys.backtest import _conversion_cases

CUTOFF = dt.date(2025, 7, 1)

# fit build (inputs before the cutoff): journey, event_id, occurred_at
FIT_EVENTS = [
    ("j_anon", "e1", "2025-06-20 10:00:00"),  # anon:a1, identifies as c1 after the cutoff
    ("j_anon", "e2", "2025-06-25 10:00:00"),
    ("j_c2", "e3", "2025-06-10 10:00:00"),
    ("j_c3", "e4", "2025-06-28 10:00:00"),
    ("j_anon4", "e5", "2025-06-29 10:00:00"),  # anon:a4, later linked to c4
    ("j_c5", "e6", "2025-06-15 10:00:00"),
    ("j_c5", "e7", "2025-06-16 10:00:00"),  # c5 converted before the cutoff
]
# (journey, conversion_probability, stage rate, recency rate, is_converted)
FIT_PREDICTIONS = [
    ("j_anon", 0.30, 0.20, 0.10, False),
    ("j_c2", 0.05, 0.20, 0.02, False),
    ("j_c3", 0.40, 0.30, 0.25, False),
    ("j_anon4", 0.10, 0.20, 0.30, False),
    ("j_c5", 1.0, 0.30, None, True),
]
# full build: (journey, event_id, occurred_at, is_conversion). e1, e2 are
# now in c1's journey j_c1 (stitched), which converts on Jul 5; e5 joined
# c4's journey j_c4, whose purchase e9 was on Jun 28, before the cutoff,
# and nothing converts after it.
ACTUAL_EVENTS = [
    ("j_c1", "e1", "2025-06-20 10:00:00", False),
    ("j_c1", "e2", "2025-06-25 10:00:00", False),
    ("j_c1", "e8", "2025-07-05 10:00:00", True),
    ("j_c2", "e3", "2025-06-10 10:00:00", False),
    ("j_c3", "e4", "2025-06-28 10:00:00", False),
    ("j_c3", "e10", "2025-07-01 00:00:00", True),  # at the cutoff: counts
    ("j_c4", "e9", "2025-06-28 09:00:00", True),
    ("j_c4", "e5", "2025-06-29 10:00:00", False),
    ("j_c4", "e11", "2025-07-02 10:00:00", False),
    ("j_c5", "e6", "2025-06-15 10:00:00", False),
    ("j_c5", "e7", "2025-06-16 10:00:00", True),
]


def _write_fit(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table fct_events (journey_id varchar, event_id varchar, occurred_at timestamp)"
        )
        con.executemany("insert into fct_events values (?, ?, ?)", FIT_EVENTS)
        con.execute(
            "create table fct_journey_predictions (journey_id varchar,"
            " conversion_probability double, stage_conversion_rate double,"
            " recency_conversion_rate double, is_converted boolean)"
        )
        con.executemany(
            "insert into fct_journey_predictions values (?, ?, ?, ?, ?)", FIT_PREDICTIONS
        )


def _write_actual(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table fct_events (journey_id varchar, event_id varchar,"
            " occurred_at timestamp, is_conversion boolean)"
        )
        con.executemany("insert into fct_events values (?, ?, ?, ?)", ACTUAL_EVENTS)


def test_conversion_cases_follow_the_journey_by_event(tmp_path: Path) -> None:
    _write_fit(tmp_path / "fit.duckdb")
    _write_actual(tmp_path / "actual.duckdb")
    with duckdb.connect(str(tmp_path / "fit.duckdb")) as con:
        con.execute(f"attach '{tmp_path / 'actual.duckdb'}' as actual (read_only)")
        cases = sorted(_conversion_cases(con, CUTOFF))
    # j_anon -> j_c1 through e2 (its latest event): converts Jul 5 -> 1
    #   (matched on journey_id it would have dropped out);
    # j_c2: no conversion -> 0;
    # j_c3: a conversion exactly at the cutoff -> 1;
    # j_anon4 -> j_c4 through e5: j_c4 converted on Jun 28, before the
    #   cutoff, and not after -> 0 (first_converted_at would say 1);
    # j_c5: converted at the cutoff already, not a case.
    assert cases == sorted(
        [(0.30, 0.20, 0.10, 1), (0.05, 0.20, 0.02, 0), (0.40, 0.30, 0.25, 1), (0.10, 0.20, 0.30, 0)]
    )
