"""Bad configuration fails fast and clearly (issue 7): a bad var, a missing
key, a raw_data_dir that does not exist or lacks events, a missing column or
a column of the wrong type stops `dbt build` with one message naming the
variable, file or column and what is expected, before any model runs, and
never with a SQL error or a Python traceback."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES_DIR, PROJECT_DIR, query, run_dbt

from journeys.project import DbtInvocation

# What a clear failure never shows: an engine's SQL error or a traceback.
SQL_NOISE = (
    "Traceback",
    "Binder Error",
    "Parser Error",
    "Catalog Error",
    "Conversion Error",
    "syntax error",
    "Invalid Input Error",
)


def failed_build(tmp_path: Path, vars: dict, env: dict | None = None) -> str:
    """`dbt build` that must fail before any model runs; its output."""
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=tmp_path / "journeys.duckdb",
        vars=vars,
        target_path=tmp_path / "target",
    )
    if env is not None:
        original = invocation.env

        def patched() -> dict[str, str]:
            merged = original()
            for name, value in env.items():
                if value is None:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            return merged

        invocation.env = patched  # type: ignore[method-assign]
    result = run_dbt(invocation, ["build"], expect_success=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build was expected to fail:\n{output[-3000:]}"
    assert "START sql" not in output, "a model ran before the configuration was checked"
    assert "OK created" not in output
    for noise in SQL_NOISE:
        assert noise not in output, f"{noise!r} in the output:\n{output[-3000:]}"
    return output


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("session_timeout_minutes", 0, "var session_timeout_minutes must be a number > 0"),
        ("journey_timeout_days", -3, "var journey_timeout_days must be a number > 0"),
        ("churn_inactivity_days", "ninety", "var churn_inactivity_days must be a number > 0"),
        ("attribution_half_life_days", 0, "var attribution_half_life_days must be a number > 0"),
        ("future_tolerance_days", -1, "var future_tolerance_days must be a number >= 0"),
        ("as_of", "last tuesday", "var as_of must be an ISO-8601 timestamp"),
        ("as_of", "2024-13-45T00:00:00", "var as_of must be an ISO-8601 timestamp"),
        ("pseudonymize_identifiers", "maybe", "var pseudonymize_identifiers must be true or false"),
        ("max_rejected_share_error", 1.5, "var max_rejected_share_error is a share of rows"),
        ("max_rejected_reason_share_warn", "-0.1", "var max_rejected_reason_share_warn must be"),
        ("read_only_roles", "bi_reader", "var read_only_roles must be a list of role names"),
        ("read_only_roles", ["bi; drop table x"], "var read_only_roles: 'bi; drop table x'"),
        # counts: whole numbers >= 1 (2.5 paths or 0 periods mean nothing)
        ("paths_top_n", 0, "var paths_top_n must be a whole number >= 1"),
        ("paths_top_n", 2.5, "var paths_top_n must be a whole number >= 1"),
        ("paths_top_n", "ten", "var paths_top_n must be a whole number >= 1"),
        ("trend_baseline_periods", 2.5, "var trend_baseline_periods must be a whole number >= 1"),
        ("support_contact_threshold", 1.5, "var support_contact_threshold must be a whole number"),
        (
            "funnel_entry_chain_doublings",
            41,
            "var funnel_entry_chain_doublings must be a whole number >= 1 and <= 40",
        ),
    ],
)
def test_bad_var_is_named_before_any_model_runs(tmp_path, name, value, message):
    output = failed_build(tmp_path, {name: value})
    assert message in output
    assert f"got '{value}'" in output or name == "read_only_roles"


def test_warning_level_above_error_level_is_refused(tmp_path):
    output = failed_build(
        tmp_path, {"max_rejected_share_warn": 0.6, "max_rejected_share_error": 0.5}
    )
    assert "var max_rejected_share_warn (0.6) must not exceed max_rejected_share_error (0.5)" in (
        output
    )


def test_raw_data_dir_that_does_not_exist(tmp_path):
    missing = tmp_path / "no such folder"
    output = failed_build(tmp_path, {"raw_data_dir": str(missing)})
    assert f"var raw_data_dir '{missing}' does not exist, is not a folder or is empty" in output
    assert "expected a folder holding events.parquet, events.csv or a folder events/" in output


def test_raw_data_dir_without_events(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES_DIR / "handmade" / "customers.csv", raw)
    output = failed_build(tmp_path, {"raw_data_dir": str(raw)})
    assert f"raw_data_dir '{raw}' holds no events input" in output


def test_optional_input_missing_a_required_column(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES_DIR / "handmade", raw)
    (raw / "survey_responses.csv").write_text("response_id,customer_id,score\nr1,c1,5\n")
    output = failed_build(tmp_path, {"raw_data_dir": str(raw)})
    assert "input survey_responses (csv files in" in output
    assert "lacks required column(s) responded_at, survey_type" in output


@pytest.mark.parametrize(
    ("header", "row", "missing"),
    [
        # no occurred_at: a required column
        (
            "event_id,customer_id,anonymous_id,event_type,channel,campaign_id,revenue",
            "e1,c1,,page_view,web,,",
            "lacks required column(s) occurred_at; it has: event_id, customer_id,",
        ),
        # neither identity column: one of the two is required
        (
            "event_id,occurred_at,event_type,channel",
            "e1,2024-01-01T10:00:00,page_view,web",
            "lacks required column(s) customer_id or anonymous_id; it has: event_id,",
        ),
    ],
)
def test_events_missing_a_required_column(tmp_path, header, row, missing):
    """The one required input: a file without a column the contract needs
    stops the build before any model, naming the input, the file kind and
    the column, and listing what the file has."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "events.csv").write_text(f"{header}\n{row}\n")
    output = failed_build(tmp_path, {"raw_data_dir": str(raw)})
    assert f"journeys: input events (csv files in {raw})" in output
    assert missing in output


def _events_parquet(path: Path, **overrides: pa.Array) -> None:
    columns = {
        "event_id": pa.array(["e1"]),
        "occurred_at": pa.array(["2024-01-01T10:00:00"]),
        "customer_id": pa.array(["c1"]),
        "anonymous_id": pa.array([None], pa.string()),
        "event_type": pa.array(["page_view"]),
        "channel": pa.array(["web"]),
        "campaign_id": pa.array([None], pa.string()),
        "revenue": pa.array([None], pa.float64()),
    }
    columns.update(overrides)
    pq.write_table(pa.table(columns), path)


@pytest.mark.parametrize(
    ("column", "values", "shown", "expected"),
    [
        ("occurred_at", pa.array([True]), "BOOLEAN", "text (ISO-8601), a date or a timestamp"),
        ("event_id", pa.array([1.5]), "DOUBLE", "text (or an integer)"),
        ("revenue", pa.array([[1.0, 2.0]]), "DOUBLE[]", "a number or text"),
        ("customer_id", pa.array([b"\xff"]), "BLOB", "text (or an integer)"),
    ],
)
def test_parquet_column_of_the_wrong_type(tmp_path, column, values, shown, expected):
    raw = tmp_path / "raw"
    raw.mkdir()
    _events_parquet(raw / "events.parquet", **{column: values})
    output = failed_build(tmp_path, {"raw_data_dir": str(raw)})
    assert f"input events (parquet files in {raw}): column {column} has type {shown}" in output
    assert f"expected {expected}" in output


def test_parquet_ids_as_integers_and_typed_times_are_accepted(tmp_path):
    """The type check refuses what cannot be read, not every non-text type:
    an integer id, a UTC timestamp and a double reach fct_events as the
    contract reads them."""
    raw = tmp_path / "raw"
    raw.mkdir()
    _events_parquet(
        raw / "events.parquet",
        event_id=pa.array([7], pa.int64()),
        # 2024-01-01T10:00:00Z in microseconds since the epoch
        occurred_at=pa.array([1_704_103_200_000_000], pa.timestamp("us", tz="UTC")),
        revenue=pa.array([12.5]),
    )
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=tmp_path / "journeys.duckdb",
        vars={"raw_data_dir": str(raw)},
        target_path=tmp_path / "target",
    )
    run_dbt(
        invocation,
        ["build", "--select", "+fct_events", "--exclude-resource-type", "test", "unit_test"],
    )
    rows = query(
        tmp_path / "journeys.duckdb",
        "select event_id, occurred_at, customer_key, revenue from fct_events",
    )
    assert rows == [("7", dt.datetime(2024, 1, 1, 10, 0), "c1", 12.5)]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "JOURNEYS_PSEUDONYM_KEY is not set"),
        ("short", "JOURNEYS_PSEUDONYM_KEY is shorter than 16 characters"),
    ],
)
def test_pseudonymization_without_a_key(tmp_path, key, message):
    output = failed_build(
        tmp_path, {"pseudonymize_identifiers": True}, env={"JOURNEYS_PSEUDONYM_KEY": key}
    )
    assert "var pseudonymize_identifiers is true but the environment variable" in output
    assert message in output
