"""What would make an incremental base_events wrong fails loudly instead
(DECISIONLOG D38): a file read before that changed, and a change of the
rules that decide which rows are clean. A third run with only a new file
goes through and reads just that file plus the rows sharing its keys."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES_DIR, PROJECT_DIR, query, run_dbt

from journeys.project import DbtInvocation

MESSAGE_FULL_REFRESH = "rerun with --full-refresh"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("guards")
    raw = workdir / "raw"
    (raw / "events").mkdir(parents=True)
    shutil.copy(FIXTURES_DIR / "handmade" / "events.csv", raw / "events" / "part-1.csv")
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=workdir / "guards.duckdb",
        vars={"raw_data_dir": str(raw)},
        target_path=workdir / "target",
    )
    run_dbt(invocation, ["seed"])
    run_dbt(invocation, ["run", "--select", "base_events"])
    return invocation, raw


def _with_vars(invocation: DbtInvocation, **extra) -> DbtInvocation:
    return DbtInvocation(
        project_dir=invocation.project_dir,
        duckdb_path=invocation.duckdb_path,
        vars={**invocation.vars, **extra},
        target_path=invocation.target_path,
    )


def test_a_new_file_is_read_with_the_rows_sharing_its_keys(built):
    invocation, raw = built
    first = (raw / "events" / "part-1.csv").read_text().splitlines()
    header, first_row = first[0], first[1]
    event_id = first_row.split(",")[0]
    # one row repeating an existing event_id (a conflicting copy: a day later)
    # and one new event
    second = raw / "events" / "part-2.csv"
    second.write_text(
        f"{header}\n{first_row.replace('2024', '2025', 1)}\n"
        f"guard-new-1,2024-05-01T10:00:00Z,c-guard,,page_view,web,,\n"
    )
    run_dbt(invocation, ["run", "--select", "base_events"])
    rows = query(
        invocation.duckdb_path,
        """
        select record_key, _source_file like '%part-2.csv'
        from base_events
        where _batch_at = (select max(_batch_at) from base_events)
            and record_key is not null
        order by 1, 2
        """,
    )
    # the new event, both rows of the repeated key (the old one re-read from
    # part-1), and x008, part-1's row dated 2099 (rejected as future: checked
    # again every run, the clock moves); keyless rows of part-1 are re-read
    # too (excluded here). Nothing else of part-1.
    assert rows == sorted(
        [("guard-new-1", True), (event_id, False), (event_id, True), ("x008", False)]
    )


def test_other_classification_rules_stop_the_run(built):
    invocation, _ = built
    result = run_dbt(
        _with_vars(invocation, future_tolerance_days=2),
        ["run", "--select", "base_events"],
        expect_success=False,
    )
    assert result.returncode != 0
    assert "future_tolerance_days changed" in result.stdout
    assert MESSAGE_FULL_REFRESH in result.stdout


def test_a_changed_file_stops_the_run(built):
    invocation, raw = built
    first = raw / "events" / "part-1.csv"
    original = first.read_text()
    try:
        first.write_text(original + "guard-new-2,2024-05-02T10:00:00Z,c-guard,,page_view,web,,\n")
        result = run_dbt(invocation, ["run", "--select", "base_events"], expect_success=False)
        assert result.returncode != 0
        assert "changed or vanished since the last run" in result.stdout
        assert MESSAGE_FULL_REFRESH in result.stdout
    finally:
        first.write_text(original)
