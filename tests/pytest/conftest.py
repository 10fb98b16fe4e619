"""Shared fixtures: build the dbt project on a given raw_data_dir into a
temporary DuckDB file and hand back a read-only connection to it."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import pytest

from journeys.project import DbtInvocation, find_project_dir

PROJECT_DIR = find_project_dir(Path(__file__).parent)
FIXTURES_DIR = PROJECT_DIR / "tests" / "fixtures"
DBT = str(Path(sys.executable).with_name("dbt"))

# `make pytest` runs the files on two pytest-xdist workers. dbt's log and
# DuckDB's spill folder get a folder per worker, so two builds never share
# one (the subprocesses the tests start inherit these variables). Builds
# get their own target path from the fixtures below (copied projects keep
# their own target/).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    os.environ.setdefault("DBT_LOG_PATH", str(PROJECT_DIR / "logs" / f"pytest-{_WORKER}"))
    os.environ.setdefault(
        "JOURNEYS_DUCKDB_TEMP_DIR", str(PROJECT_DIR / ".duckdb_tmp" / f"pytest-{_WORKER}")
    )

# The files that start a Spark session run one after another on one worker
# (with --dist loadfile): three local Spark sessions at once on two cores
# made each of them several times slower (a unit test that takes 20 s alone
# took 430 s), and the engine files then held up the end of `make test`.
SPARK_TEST_FILES = frozenset(
    {
        "test_cross_engine_spark.py",
        "test_cross_engine_spark_raw.py",
        "test_reliability_engines.py",
    }
)


def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile, with the Spark files as one unit of work."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SparkFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "spark-files" if Path(scope).name in SPARK_TEST_FILES else scope

    return SparkFilesTogether(config, log)


HANDMADE_AS_OF = "2024-05-31T00:00:00"

# Every public mart and the columns that order its rows for comparisons.
MART_ORDER = {
    "fct_events": "event_id",
    "fct_sessions": "session_id",
    "fct_journeys": "journey_id",
    "fct_stage_transitions": "transition_id",
    "dim_customers": "customer_key",
    "rpt_stage_progression": "period_grain, period_start, segment, from_stage",
    "rpt_churn": "period_grain, period_start, segment",
    "rpt_customer_effort": "period_grain, period_start, channel",
    "rpt_satisfaction": "period_grain, period_start, channel",
    "rejected_rows": "rejected_row_id",
    "dropped_duplicate_rows": "dropped_row_id",
    "rpt_data_quality": "input_name",
    "rpt_data_quality_gates": "input_name, reason",
    "fct_conversion_paths": "conversion_event_id",
    "fct_attribution_credits": "conversion_event_id, touch_position",
    "rpt_channel_attribution": "model, channel",
    "rpt_channel_transitions": "period_grain, period_start, from_channel, to_channel",
    "rpt_channel_funnel": "period_grain, period_start, channel",
    "rpt_customer_lifetime_value": "segment",
    "rpt_campaign_impact": "campaign_id, phase",
    "rpt_journey_scores": "period_grain, period_start, channel",
    "rpt_engagement": "customer_key, period_grain, period_start",
    "rpt_engagement_by_segment": "period_grain, period_start, segment",
    "fct_customer_signals": "customer_key",
    "next_best_actions": "customer_key",
    "rpt_abandonment_recovery": "period_grain, period_start, segment",
    "time_spine_daily": "date_day",
    "rpt_funnel": (
        "period_grain, period_start, segment, first_touch_channel, journey_pattern, step_number"
    ),
    "rpt_paths": "path_type, path_rank",
    "rpt_sequences": "sequence_length, sequence_rank",
    "rpt_retention": "cohort_type, period_grain, cohort_period_start, period_number",
    "rpt_lifecycle": "period_grain, period_start",
    "rpt_stickiness": "period_grain, period_start, active_days",
    "rpt_stage_progression_by_pattern": ("period_grain, period_start, journey_pattern, from_stage"),
    "rpt_channel_funnel_by_pattern": "period_grain, period_start, journey_pattern, channel",
    "rpt_paths_by_pattern": "journey_pattern, path_type, path_rank",
    "rpt_trend_alerts": "metric, metric_detail, breakdown_value, period_grain, period_start",
    "fct_journey_predictions": "journey_id",
}


def run_dbt(
    invocation: DbtInvocation, command: list[str], expect_success: bool = True
) -> subprocess.CompletedProcess:
    """Run one dbt command in a subprocess (dbt keeps global state, so each
    build gets a fresh interpreter). Raises with dbt's output on failure
    (unless expect_success is False: then the result is returned as is)."""
    result = subprocess.run(
        [DBT, *invocation.args(command)],
        cwd=PROJECT_DIR,
        env=invocation.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if expect_success and result.returncode != 0:
        raise AssertionError(
            f"dbt {' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
        )
    return result


BuildFn = Callable[..., Path]


@pytest.fixture(scope="session")
def build_project(tmp_path_factory: pytest.TempPathFactory) -> BuildFn:
    """Factory: build(raw_data_dir, vars=None, command=("build",)) -> path of
    the DuckDB file the project was built into.

    `raw_data_dir` is a folder in the SPEC's input contract (or None for the
    shipped seeds). `vars` are extra dbt vars (as_of, timeouts, ...). Every
    call builds into its own temporary folder and target path. Data tests run;
    unit tests do not (they run once, in `make dbt-build`)."""

    def build(
        raw_data_dir: Path | None,
        vars: Mapping[str, object] | None = None,
        command: tuple[str, ...] = ("build", "--exclude-resource-type", "unit_test"),
        name: str = "build",
    ) -> Path:
        workdir = tmp_path_factory.mktemp(name)
        all_vars = dict(vars or {})
        if raw_data_dir is not None:
            all_vars["raw_data_dir"] = str(raw_data_dir)
        invocation = DbtInvocation(
            project_dir=PROJECT_DIR,
            duckdb_path=workdir / "journeys.duckdb",
            vars=all_vars,
            target_path=workdir / "target",
        )
        run_dbt(invocation, list(command))
        return workdir / "journeys.duckdb"

    return build


@pytest.fixture(scope="session")
def handmade_db(build_project: BuildFn, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built once on tests/fixtures/handmade with as_of fixed."""
    raw = copy_fixture("handmade", tmp_path_factory.mktemp("handmade_raw"))
    return build_project(raw, vars={"as_of": HANDMADE_AS_OF}, name="handmade")


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run a query against a built DuckDB file (read-only, UTC)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchall()


def query_dicts(db_path: Path, sql: str, params: list | None = None) -> list[dict]:
    """Like query(), returning one dict per row keyed by column name."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def mart_rows(db_path: Path, table: str, order_by: str) -> list[tuple]:
    """Every row of `table` ordered by `order_by`, without the incremental
    bookkeeping columns (_batch_at, ...), which record when a row was built."""
    columns = [
        row[0]
        for row in query(
            db_path,
            "select column_name from information_schema.columns"
            " where table_name = ? and column_name not like '\\_%' escape '\\'"
            " order by ordinal_position",
            [table],
        )
    ]
    return query(db_path, f"select {', '.join(columns)} from {table} order by {order_by}")


def assert_same_rows(actual: list[tuple], expected: list[tuple]) -> None:
    """Two builds' rows are the same: equal values, except that doubles agree
    within 1e-9 relative (a parallel sum of doubles depends on the order it
    adds in, so two correct builds may differ in the last bits; DECISIONLOG
    D21)."""
    assert len(actual) == len(expected)
    for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
        same = len(got) == len(want) and all(
            math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
            if isinstance(a, float) and isinstance(b, float)
            else a == b
            for a, b in zip(got, want, strict=True)
        )
        assert same, f"row {index} differs:\n  got      {got}\n  expected {want}"


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy tests/fixtures/<name> into dest and return the copy."""
    target = dest / name
    shutil.copytree(FIXTURES_DIR / name, target)
    return target
