"""The input contract (SPEC section 1) as users meet it: raw_data_dir with
CSV, Parquet and folders of files, optional inputs missing, and clear errors
for a missing events input, a missing required column and bad variables."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import (
    HANDMADE_AS_OF,
    MART_ORDER,
    PROJECT_DIR,
    assert_same_rows,
    copy_fixture,
    mart_rows,
    query,
    run_dbt,
)

from journeys.project import DbtInvocation

# The handmade data has no campaigns input: rpt_campaign_impact is empty
# there (test_marts_value checks that it is, with its columns). Nor has it
# enough customers for any trend test (trend_min_sample_size): no alerts.
MARTS_COMPARED = {
    mart: order
    for mart, order in MART_ORDER.items()
    if mart not in ("rpt_campaign_impact", "rpt_trend_alerts")
}


def _csv_to_parquet(csv_path: Path, parquet_path: Path) -> None:
    """Write a CSV as Parquet with every column as text (as a file export
    from an event pipeline might), so bad values survive the conversion."""
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_csv('{csv_path}', all_varchar = true, header = true))"
            f" to '{parquet_path}' (format parquet)"
        )


@pytest.fixture(scope="module")
def mixed_format_db(build_project, tmp_path_factory) -> Path:
    """The handmade data as events.parquet, a folder survey_responses/ of two
    CSV files and customers.csv: must give the same marts as all-CSV."""
    raw = copy_fixture("handmade", tmp_path_factory.mktemp("mixed_raw"))
    _csv_to_parquet(raw / "events.csv", raw / "events.parquet")
    (raw / "events.csv").unlink()
    lines = (raw / "survey_responses.csv").read_text().splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    half = len(body) // 2
    folder = raw / "survey_responses"
    folder.mkdir()
    (folder / "part-1.csv").write_text(header + "".join(body[:half]))
    (folder / "part-2.csv").write_text(header + "".join(body[half:]))
    (raw / "survey_responses.csv").unlink()
    return build_project(raw, vars={"as_of": HANDMADE_AS_OF}, name="mixed")


@pytest.mark.parametrize("mart", sorted(MARTS_COMPARED))
def test_parquet_and_folders_give_the_same_marts(handmade_db, mixed_format_db, mart):
    order = MARTS_COMPARED[mart]
    expected = mart_rows(handmade_db, mart, order)
    actual = mart_rows(mixed_format_db, mart, order)
    assert len(expected) > 0
    assert_same_rows(actual, expected)


def test_missing_optional_inputs_are_empty_with_zero_counts(handmade_db):
    rows = query(
        handmade_db,
        "select input_name, rows_received, rows_clean, rows_rejected, duplicates_dropped"
        " from rpt_data_quality where input_name in ('marketing_spend', 'campaigns')"
        " order by input_name",
    )
    assert rows == [("campaigns", 0, 0, 0, 0), ("marketing_spend", 0, 0, 0, 0)]


def _failing_run(tmp_path: Path, vars: dict, select: str = "base_events") -> str:
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=tmp_path / "journeys.duckdb",
        vars=vars,
        target_path=tmp_path / "target",
    )
    result = run_dbt(invocation, ["run", "--select", select], expect_success=False)
    assert result.returncode != 0, "the run was expected to fail"
    return result.stdout + result.stderr


def test_raw_data_dir_without_events_names_what_is_expected(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PROJECT_DIR / "tests/fixtures/handmade/customers.csv", raw)
    output = _failing_run(tmp_path, {"raw_data_dir": str(raw)})
    assert f"raw_data_dir '{raw}' holds no events input" in output
    assert "expected events.parquet, events.csv or a folder events/" in output


def test_missing_required_column_is_named(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "events.csv").write_text(
        "event_id,customer_id,event_type,channel\ne1,c1,page_view,web\n"
    )
    output = _failing_run(tmp_path, {"raw_data_dir": str(raw)})
    assert "input events" in output
    assert "lacks required column(s) occurred_at" in output


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("session_timeout_minutes", 0, "var session_timeout_minutes must be a number > 0"),
        ("journey_timeout_days", -3, "var journey_timeout_days must be a number > 0"),
        ("session_timeout_minutes", "30; drop table x", "must be a number > 0"),
    ],
)
def test_bad_timeouts_fail_with_the_variable_named(tmp_path, name, value, message):
    output = _failing_run(tmp_path, {name: value}, select="stg_events int_events_journeyed")
    assert message in output


def test_unparseable_as_of_fails_with_the_variable_named(tmp_path):
    output = _failing_run(tmp_path, {"as_of": "last tuesday"}, select="int_evaluation_instant")
    assert "var as_of must be an ISO-8601 timestamp" in output
    assert "got 'last tuesday'" in output
