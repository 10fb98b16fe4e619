"""No injection (issue 7): every value that reaches SQL is validated or
quoted, and values from the data are only ever data.

tests/fixtures/hostile holds SQL-looking, quoted, multi-line, unicode and
Jinja-looking values in every free-text column (a byte-order mark and CRLF
line ends too). It is built from a raw_data_dir whose own path holds a
quote, a semicolon, a double quote and a comment, and every value must
come out as it went in. Hostile vars (numbers, as_of, role names) are
refused with the variable named (test_configuration.py); here, hostile
as_of and timeouts are shown to stop the build before any SQL runs.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES_DIR, PROJECT_DIR, query, run_dbt

from journeys.project import DbtInvocation

HOSTILE_DIR_NAME = "it's; drop table fct_events; --\"q"
HOSTILE_AS_OF = "2024-03-31T00:00:00"

# Hand-worked from tests/fixtures/hostile/events.csv: h4 has an unknown event
# type (rejected), h7's revenue is a tab then 5 (not a number: rejected);
# h2's +01:00 offset is subtracted; h5's time and ids are trimmed, its type
# and channel lower-cased. h8's channel ` ALL ` is `all` once trimmed and
# lower-cased, the reports' rollup label: it becomes `all (data)`; h9's
# `all (data)` becomes `all (data) (data)`, so the two stay apart (D190);
# h6's `all'--` is not the label and is kept as it is.
EXPECTED_EVENTS = [
    (
        "h1",
        dt.datetime(2024, 3, 1, 10, 0),
        "o'brien",
        None,
        "page_view",
        "'); drop table fct_events; --",
        "x' or '1'='1",
        None,
    ),
    (
        "h2",
        dt.datetime(2024, 3, 1, 9, 5),
        "o'brien",
        "dev\\1",
        "purchase",
        "wëb;--",
        "/* c */",
        10.5,
    ),
    (
        "h3",
        dt.datetime(2024, 3, 1, 10, 10),
        None,
        'anon"1',
        "add_to_cart",
        "multi\nline",
        "cmp,1",
        None,
    ),
    ("h5", dt.datetime(2024, 3, 2, 9, 0), "c\\2", None, "search", "email", "{{ var('x') }}", None),
    ("h6", dt.datetime(2024, 3, 2, 9, 30), "c\\2", None, "page_view", "all'--", None, 1000.0),
    (
        "h8",
        dt.datetime(2024, 3, 3, 10, 0),
        "seg_all",
        None,
        "product_view",
        "all (data)",
        None,
        None,
    ),
    (
        "h9",
        dt.datetime(2024, 3, 3, 10, 5),
        "seg_all_data",
        None,
        "add_to_cart",
        "all (data) (data)",
        None,
        None,
    ),
]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("hostile")
    raw = workdir / HOSTILE_DIR_NAME
    shutil.copytree(FIXTURES_DIR / "hostile", raw)
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=workdir / "journeys.duckdb",
        vars={"raw_data_dir": str(raw), "as_of": HOSTILE_AS_OF},
        target_path=workdir / "target",
    )
    run_dbt(invocation, ["build", "--exclude-resource-type", "unit_test"])
    return workdir / "journeys.duckdb"


def test_hostile_values_reach_fct_events_as_data(hostile_db):
    rows = query(
        hostile_db,
        "select event_id, occurred_at, customer_id, anonymous_id, event_type, channel,"
        " campaign_id, revenue from fct_events order by event_id",
    )
    assert rows == EXPECTED_EVENTS


def test_hostile_rows_are_rejected_with_their_reason(hostile_db):
    assert query(
        hostile_db, "select record_key, reason from rejected_rows order by record_key"
    ) == [("h4", "unknown_event_type"), ("h7", "invalid_revenue")]
    assert query(
        hostile_db,
        "select input_name, rows_received, rows_clean, rows_rejected, duplicates_dropped"
        " from rpt_data_quality where rows_received > 0 order by input_order",
    ) == [("events", 9, 7, 2, 0), ("customers", 4, 4, 0, 0), ("survey_responses", 3, 3, 0, 0)]


def test_hostile_identifiers_and_segments_are_keys_like_any_other(hostile_db):
    # h3's anonymous id never appears with a customer id: an anonymous key.
    assert query(
        hostile_db,
        "select customer_key, segment, region, orders from dim_customers order by customer_key",
    ) == [
        ('anon:anon"1', "unknown", None, 0),
        ("c\\2", "unknown", "south;", 0),
        ("o'brien", "gold'; --", "north", 1),
        ("seg_all", "all (data)", "east", 0),
        ("seg_all_data", "all (data) (data)", "west", 0),
    ]


def test_values_spelled_like_the_rollup_stay_apart_from_it(hostile_db):
    """D190: a segment `all` (seg_all), a channel ` ALL ` (h8) and a survey
    channel ` All ` (s3) are renamed `all (data)`, a segment and channel
    `all (data)` (seg_all_data, h9) `all (data) (data)`: every report keeps
    exactly one `all` row per period, the rollup, beside the data rows."""
    month = "period_grain = 'month' and period_start = date '2024-03-01'"
    # rpt_churn: one row per segment and one rollup row.
    assert query(hostile_db, f"select segment from rpt_churn where {month} order by segment") == [
        ("all",),
        ("all (data)",),
        ("all (data) (data)",),
        ("gold'; --",),
        ("unknown",),
    ]
    # The only CES response (s3, score 2, channel ` All `): the rollup and
    # its own channel row, each counting it once.
    assert query(
        hostile_db,
        "select channel, ces_responses, avg_ces from rpt_customer_effort"
        f" where {month} and ces_responses > 0 order by channel",
    ) == [("all", 1, 2.0), ("all (data)", 1, 2.0)]
    # The funnel (product_view > add_to_cart > ...): seg_all's h8 view is
    # the only entry of March (seg_all_data's cart has no view before it).
    # The whole funnel counts it once; its segment, channel and pattern
    # rows count it once each.
    assert query(
        hostile_db,
        "select segment, first_touch_channel, journey_pattern, entries"
        f" from rpt_funnel where {month} and step_number = 1 and entries > 0"
        " order by segment, first_touch_channel, journey_pattern",
    ) == [
        ("all", "all", "all", 1),
        ("all", "all", "casual", 1),
        ("all", "all (data)", "all", 1),
        ("all (data)", "all", "all", 1),
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("as_of", "2024-03-31'; drop table fct_events; --", "var as_of must be an ISO-8601"),
        ("journey_timeout_days", "30) or (1=1", "var journey_timeout_days must be a number > 0"),
        ("future_tolerance_days", "1 /* x */", "var future_tolerance_days must be a number >= 0"),
    ],
)
def test_hostile_vars_never_reach_sql(tmp_path, name, value, message):
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=tmp_path / "journeys.duckdb",
        vars={name: value},
        target_path=tmp_path / "target",
    )
    result = run_dbt(invocation, ["build"], expect_success=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in output
    assert "START sql" not in output
