"""The same project on DuckDB, PostgreSQL and Spark gives the same marts.

Each engine builds the sample data (the seeds) with everything `dbt build`
runs: seeds, models, unit tests and data tests (Spark: no data tests, see
spark_marts). The marts are then read
back and compared with DuckDB's, row by row: same row counts, text, dates,
times and booleans equal, numbers within a relative 1e-9.

Marked `postgres` / `spark`, deselected by default (they need a server
binary or Java and take minutes): `make test-postgres`, `make test-spark`
and `make test-engines` select them. PostgreSQL is compared here; Spark in
test_cross_engine_spark.py (the sample) and test_cross_engine_spark_raw.py
(raw_data_dir files through Spark's readers), separate files so that
`make test` runs the three engine builds on different workers at once. The
build and comparison helpers live here and are imported there.
The throwaway engines come from journeys.engines and are stopped (and
their files deleted) whatever happens.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MART_ORDER

from journeys import engines

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))

# Every public mart (conftest.MART_ORDER: adding a mart there compares it here too),
# and intermediate models whose every column is worth holding to DuckDB's:
# int_customer_churn_risk's bins and cell counts (a bin once differed on
# Spark, where doubles summed in another order crossed an edge; D140).
COMPARED_INTERMEDIATES = ("int_customer_churn_risk",)
MARTS = (*MART_ORDER, *COMPARED_INTERMEDIATES)

# The sample lies in the past (it ends 2025-11-01), so future_occurred_at
# rejections do not depend on the day the test runs; as_of is left to its
# default (the latest clean event) on every engine alike.
BUILD_VARS: dict[str, object] = {}

REL_TOL = 1e-9


def build(
    engine: engines.Engine,
    workdir: Path,
    dbt_vars: dict[str, object] | None = None,
    models_only: bool = False,
    data_tests: bool = True,
) -> None:
    """`dbt build` of the whole project (unit tests included) on `engine`,
    in a fresh interpreter; fails with the tail of dbt's log. With
    `models_only`, seeds and models without unit or data tests (a second
    build of the same SQL whose marts are compared with DuckDB's); without
    `data_tests`, seeds, models and unit tests."""
    env = {
        **os.environ,
        **engine.env,
        "JOURNEYS_TARGET": engine.target,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        DBT,
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target",
        engine.target,
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    if models_only:
        command += ["--exclude-resource-type", "test", "unit_test"]
    elif not data_tests:
        command += ["--exclude-resource-type", "test"]
    all_vars = {**BUILD_VARS, **(dbt_vars or {})}
    if all_vars:
        command += ["--vars", json.dumps(all_vars)]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    (workdir / f"dbt-build-{engine.name}.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise AssertionError(
            f"dbt build on {engine.name} failed ({result.returncode}):\n"
            f"{result.stdout[-15000:]}\n{result.stderr[-3000:]}"
        )


def built_marts(
    name: str,
    workdir: Path,
    dbt_vars: dict[str, object] | None = None,
    models_only: bool = False,
    data_tests: bool = True,
) -> Iterator[dict]:
    with engines.start(name) as engine:
        build(engine, workdir, dbt_vars, models_only, data_tests)
        yield engines.read_tables(engine, MARTS)


@pytest.fixture(scope="module")
def duckdb_marts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    yield from built_marts("duckdb", tmp_path_factory.mktemp("engine_duckdb"))


@pytest.fixture(scope="module")
def postgres_marts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    yield from built_marts("postgres", tmp_path_factory.mktemp("engine_postgres"))


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------


def _canonical(value: object) -> object:
    """Values as compared: integers and floats alike as float, a date as a
    date (never a midnight timestamp), everything else as is."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    return value


def _sort_key(row: tuple) -> tuple:
    """Order rows by every column; numbers rounded to 9 significant digits
    so that rows differing within the tolerance sort alike."""
    key = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, bool):
            key.append((1, str(value)))
        elif isinstance(value, float):
            key.append((2, f"{value:.8e}"))
        else:
            key.append((3, str(value)))
    return tuple(key)


def _same(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=REL_TOL, abs_tol=1e-12)
    return type(left) is type(right) and left == right


def _without_build_metadata(names: list[str], rows: list[tuple]) -> tuple[list[str], list]:
    """Drop columns starting with '_' (e.g. _batch_at, when a build ran):
    bookkeeping of the build, not results."""
    keep = [i for i, name in enumerate(names) if not name.startswith("_")]
    return [names[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]


def compare(expected: dict, actual: dict, engine: str) -> list[str]:
    """Differences between the marts of DuckDB (`expected`) and `engine`
    (every table read into `expected`: callers may read fewer than MARTS)."""
    problems = []
    for mart in expected:
        names, rows = _without_build_metadata(*expected[mart])
        other_names, other_rows = _without_build_metadata(*actual[mart])
        if [n.lower() for n in other_names] != [n.lower() for n in names]:
            problems.append(f"{mart}: columns {other_names} on {engine}, {names} on duckdb")
            continue
        if len(other_rows) != len(rows):
            problems.append(f"{mart}: {len(other_rows)} rows on {engine}, {len(rows)} on duckdb")
            continue
        left = sorted((tuple(map(_canonical, r)) for r in rows), key=_sort_key)
        right = sorted((tuple(map(_canonical, r)) for r in other_rows), key=_sort_key)
        shown = 0
        for a, b in zip(left, right, strict=True):
            bad = [n for n, x, y in zip(names, a, b, strict=True) if not _same(x, y)]
            if bad:
                shown += 1
                if shown <= 5:
                    detail = ", ".join(
                        f"{n}: duckdb {a[names.index(n)]!r} vs {engine} {b[names.index(n)]!r}"
                        for n in bad
                    )
                    problems.append(f"{mart}: {detail}")
        if shown > 5:
            problems.append(f"{mart}: ... {shown} differing rows in all")
    return problems


def _assert_same(expected: dict, actual: dict, engine: str) -> None:
    problems = compare(expected, actual, engine)
    assert not problems, f"marts differ between duckdb and {engine}:\n" + "\n".join(problems)


def test_compare_helpers() -> None:
    """The comparison itself: tolerance, types and order do not hide or
    invent differences."""
    names = ["k", "x", "t"]
    stamp = dt.datetime(2025, 1, 1, 10, 0, 0, 1)
    base = {m: (names, [("a", 1.0, stamp), ("b", 2.0, None)]) for m in MARTS}
    close = {m: (names, [("b", 2.0 * (1 + 1e-12), None), ("a", 1, stamp)]) for m in MARTS}
    assert compare(base, close, "x") == []
    far = {m: (names, [("a", 1.0 + 1e-6, stamp), ("b", 2.0, None)]) for m in MARTS}
    assert len(compare(base, far, "x")) == len(MARTS)
    later = {
        m: (names, [("a", 1.0, stamp + dt.timedelta(microseconds=1)), ("b", 2.0, None)])
        for m in MARTS
    }
    assert len(compare(base, later, "x")) == len(MARTS)
    fewer = {m: (names, [("a", 1.0, stamp)]) for m in MARTS}
    assert all("rows on" in p for p in compare(base, fewer, "x"))


@pytest.mark.postgres
def test_postgres_marts_equal_duckdb(duckdb_marts: dict, postgres_marts: dict) -> None:
    _assert_same(duckdb_marts, postgres_marts, "postgres")


@pytest.mark.postgres
@pytest.mark.spark
def test_marts_are_not_empty(duckdb_marts: dict) -> None:
    """The comparison compares something: every mart of the sample has rows
    (DuckDB's build is the reference the others are held to)."""
    empty = [m for m in MARTS if not duckdb_marts[m][1]]
    assert not empty, f"empty marts on the sample: {empty}"
