"""Quality gates (issue 7): the share of each input's rows rejected, in all
and per reason, is held to warning and error levels (vars); above the
warning level the build warns, above the error level it fails, with the
counts in the message (rpt_data_quality_gates and its quality_gate test).

Counts are those of tests/fixtures/handmade, worked out in
test_marts_handmade.py: events 9 of 54 rejected (invalid_occurred_at 2,
invalid_revenue 3, one each of the other four reasons), customers 2 of 7
(missing_customer_id 1, invalid_signed_up_at 1), survey_responses 7 of 23
(score_out_of_range 3, one each of the other four reasons)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HANDMADE_AS_OF, PROJECT_DIR, copy_fixture, query, run_dbt

from journeys.project import DbtInvocation


def invocation(workdir: Path, raw: Path, **levels: float) -> DbtInvocation:
    return DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=workdir / "journeys.duckdb",
        vars={"raw_data_dir": str(raw), "as_of": HANDMADE_AS_OF, **levels},
        target_path=workdir / "target",
    )


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The handmade data built once with the default levels: (workdir, raw
    folder, dbt output)."""
    workdir = tmp_path_factory.mktemp("gates")
    raw = copy_fixture("handmade", workdir)
    result = run_dbt(invocation(workdir, raw), ["build", "--exclude-resource-type", "unit_test"])
    return workdir, raw, result.stdout


def test_default_levels_warn_with_the_counts(gated):
    _, _, output = gated
    assert "journeys: data quality warning: events: 9 of 54 rows rejected (16.7%), above" in output
    assert "customers: 2 of 7 rows rejected (28.6%), above max_rejected_share_warn 0.05" in output
    assert (
        "survey_responses: 3 of 23 rows rejected as score_out_of_range (13.0%), above"
        " max_rejected_reason_share_warn 0.02" in output
    )
    assert "Warning in test quality_gate_rpt_data_quality_gates_" in output


def test_gate_rows(gated):
    workdir, _, _ = gated
    rows = query(
        workdir / "journeys.duckdb",
        "select input_name, reason, rows_rejected, rows_received, round(rejected_share, 4),"
        " gate_status from rpt_data_quality_gates order by input_order, gate_scope, reason",
    )
    assert rows == [
        ("events", "all", 9, 54, 0.1667, "warn"),
        ("events", "future_occurred_at", 1, 54, 0.0185, "ok"),
        ("events", "invalid_occurred_at", 2, 54, 0.037, "warn"),
        ("events", "invalid_revenue", 3, 54, 0.0556, "warn"),
        ("events", "missing_event_id", 1, 54, 0.0185, "ok"),
        ("events", "missing_identity", 1, 54, 0.0185, "ok"),
        ("events", "unknown_event_type", 1, 54, 0.0185, "ok"),
        ("customers", "all", 2, 7, 0.2857, "warn"),
        ("customers", "invalid_signed_up_at", 1, 7, 0.1429, "warn"),
        ("customers", "missing_customer_id", 1, 7, 0.1429, "warn"),
        ("survey_responses", "all", 7, 23, 0.3043, "warn"),
        ("survey_responses", "invalid_responded_at", 1, 23, 0.0435, "warn"),
        ("survey_responses", "invalid_survey_type", 1, 23, 0.0435, "warn"),
        ("survey_responses", "missing_identity", 1, 23, 0.0435, "warn"),
        ("survey_responses", "missing_response_id", 1, 23, 0.0435, "warn"),
        ("survey_responses", "score_out_of_range", 3, 23, 0.1304, "warn"),
        ("marketing_spend", "all", 0, 0, None, "ok"),
        ("campaigns", "all", 0, 0, None, "ok"),
    ]


def _gates_only(gated, **levels: float):
    workdir, raw, _ = gated
    return run_dbt(
        invocation(workdir, raw, **levels),
        ["build", "--select", "rpt_data_quality_gates"],
        expect_success=False,
    )


def test_input_share_above_the_error_level_fails_with_the_counts(gated):
    result = _gates_only(gated, max_rejected_share_error=0.25)
    assert result.returncode != 0
    assert (
        "journeys: data quality gate failed: customers: 2 of 7 rows rejected (28.6%), above"
        " max_rejected_share_error 0.25; survey_responses: 7 of 23 rows rejected (30.4%),"
        " above max_rejected_share_error 0.25. Inspect rejected_rows" in result.stdout
    )


def test_reason_share_above_the_error_level_fails_with_the_counts(gated):
    result = _gates_only(gated, max_rejected_reason_share_error=0.1)
    assert result.returncode != 0
    assert (
        "customers: 1 of 7 rows rejected as invalid_signed_up_at (14.3%), above"
        " max_rejected_reason_share_error 0.1; customers: 1 of 7 rows rejected as"
        " missing_customer_id (14.3%), above max_rejected_reason_share_error 0.1;"
        " survey_responses: 3 of 23 rows rejected as score_out_of_range (13.0%), above"
        " max_rejected_reason_share_error 0.1." in result.stdout
    )


def test_levels_of_one_turn_the_gates_off(gated):
    result = _gates_only(
        gated,
        max_rejected_share_warn=1,
        max_rejected_share_error=1,
        max_rejected_reason_share_warn=1,
        max_rejected_reason_share_error=1,
    )
    assert result.returncode == 0
    assert "data quality" not in result.stdout
    assert "PASS quality_gate_rpt_data_quality_gates_" in result.stdout


@pytest.fixture(scope="module")
def quarter_rejected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Four events, one of an unknown type: exactly 1/4 of the input, and of
    the reason, is rejected (0.25 is exact in binary, so a level of 0.25 is
    the share itself, not a neighbour of it)."""
    workdir = tmp_path_factory.mktemp("gates_edge")
    raw = workdir / "raw"
    raw.mkdir()
    (raw / "events.csv").write_text(
        "event_id,occurred_at,customer_id,anonymous_id,event_type,channel,campaign_id,revenue\n"
        "q1,2024-03-01T10:00:00,c1,,page_view,web,,\n"
        "q2,2024-03-01T10:05:00,c1,,product_view,web,,\n"
        "q3,2024-03-01T10:10:00,c1,,add_to_cart,web,,\n"
        "q4,2024-03-01T10:15:00,c1,,teleport,web,,\n"
    )
    gates_off = dict.fromkeys(
        [
            "max_rejected_share_warn",
            "max_rejected_share_error",
            "max_rejected_reason_share_warn",
            "max_rejected_reason_share_error",
        ],
        1,
    )
    run_dbt(
        invocation(workdir, raw, **gates_off), ["build", "--exclude-resource-type", "unit_test"]
    )
    return workdir, raw


def _gate_statuses(workdir: Path) -> list[tuple]:
    return query(
        workdir / "journeys.duckdb",
        "select reason, rows_rejected, rows_received, rejected_share, gate_status"
        " from rpt_data_quality_gates where input_name = 'events' order by gate_scope, reason",
    )


def _build_gates_at(workdir: Path, raw: Path, warn: float, error: float):
    """Build the gates with the same warning and error levels for the input
    and for each reason (a failing build is left to the caller to judge)."""
    levels = {
        "max_rejected_share_warn": warn,
        "max_rejected_share_error": error,
        "max_rejected_reason_share_warn": warn,
        "max_rejected_reason_share_error": error,
    }
    return run_dbt(
        invocation(workdir, raw, **levels),
        ["build", "--select", "rpt_data_quality_gates"],
        expect_success=False,
    )


def test_a_share_exactly_at_both_levels_passes_silently(quarter_rejected):
    """A gate trips *above* its level: 1 of 4 rejected against warning and
    error levels of exactly 0.25 is ok (a >= gate would fail the build)."""
    workdir, raw = quarter_rejected
    result = _build_gates_at(workdir, raw, warn=0.25, error=0.25)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "data quality" not in result.stdout
    assert _gate_statuses(workdir) == [
        ("all", 1, 4, 0.25, "ok"),
        ("unknown_event_type", 1, 4, 0.25, "ok"),
    ]


def test_a_share_exactly_at_the_error_level_only_warns(quarter_rejected):
    """Warning level 0.2 (below the share), error level exactly 0.25: the
    build warns with the counts and does not fail."""
    workdir, raw = quarter_rejected
    result = _build_gates_at(workdir, raw, warn=0.2, error=0.25)
    assert result.returncode == 0, result.stdout[-3000:]
    assert (
        "journeys: data quality warning: events: 1 of 4 rows rejected (25.0%), above"
        " max_rejected_share_warn 0.2" in result.stdout
    )
    assert "data quality gate failed" not in result.stdout
    assert _gate_statuses(workdir) == [
        ("all", 1, 4, 0.25, "warn"),
        ("unknown_event_type", 1, 4, 0.25, "warn"),
    ]
