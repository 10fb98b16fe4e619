"""Issue 7 on PostgreSQL and Spark: hostile values, pseudonymized
identifiers and read-only grants give the same marts as on DuckDB.

tests/fixtures/hostile (SQL-looking, quoted, backslashed, multi-line and
unicode values; a byte-order mark, CRLF) is built with
pseudonymize_identifiers on:
- on DuckDB and Spark from a raw_data_dir whose own path holds a quote, a
  semicolon and a comment (Spark's string literals escape differently);
- on PostgreSQL from raw_* tables loaded with the same values (PostgreSQL
  reads no files), with read_only_roles granting a role SELECT on the marts.
Every mart must equal DuckDB's (so the keyed hash is the same on every
engine), and the read-only role can read the marts and nothing else.

Unit tests are left out everywhere (test_cross_engine's sample build runs
them on every engine). Data tests run on the DuckDB reference only: the
other engines' marts must equal it row by row, which is a stronger check
than the tests and costs a fraction of their time on Spark.

Marked postgres / spark: run by make test-engines.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES_DIR, MART_ORDER
from test_cross_engine import compare

from journeys import engines
from journeys.generate import COLUMNS

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
MARTS = tuple(MART_ORDER)
KEY = "cross-engine-test-key-0123456789"
HOSTILE_DIR_NAME = "it's; drop table fct_events; --q"
VARS = {"as_of": "2024-03-31T00:00:00", "pseudonymize_identifiers": True}
BI_ROLE = "journeys_bi"


def build(engine: engines.Engine, workdir: Path, dbt_vars: dict, extra: list[str]) -> None:
    env = {
        **os.environ,
        **engine.env,
        "JOURNEYS_TARGET": engine.target,
        "JOURNEYS_PSEUDONYM_KEY": KEY,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        DBT,
        "build",
        "--exclude-resource-type",
        "unit_test",
        *(["test"] if engine.name != "duckdb" else []),
        *extra,
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
        "--vars",
        json.dumps(dbt_vars),
    ]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    (workdir / f"dbt-build-{engine.name}.log").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, (
        f"dbt build on {engine.name} failed:\n{result.stdout[-15000:]}\n{result.stderr[-3000:]}"
    )


def hostile_raw_dir(parent: Path) -> Path:
    raw = parent / HOSTILE_DIR_NAME
    shutil.copytree(FIXTURES_DIR / "hostile", raw)
    return raw


@pytest.fixture(scope="module")
def duckdb_hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    workdir = tmp_path_factory.mktemp("hostile_duckdb")
    raw = hostile_raw_dir(workdir)
    with engines.start("duckdb") as engine:
        build(engine, workdir, {**VARS, "raw_data_dir": str(raw)}, [])
        yield engines.read_tables(engine, MARTS)


def _load_postgres(engine: engines.Engine) -> None:
    """The hostile inputs as text tables named like the sample seeds, and a
    read-only login role with no privileges yet."""
    import psycopg2

    con = psycopg2.connect(**_pg_args(engine))
    con.autocommit = True
    schema = engine.env["JOURNEYS_PG_SCHEMA"]
    with con.cursor() as cursor:
        cursor.execute(f'create schema if not exists "{schema}"')
        cursor.execute(f"create role {BI_ROLE} login")
        for name, columns in COLUMNS.items():
            table = f'"{schema}"."raw_{name}"'
            cursor.execute(f"create table {table} ({', '.join(f'{c} text' for c in columns)})")
            path = FIXTURES_DIR / "hostile" / f"{name}.csv"
            if not path.exists():
                continue
            with open(path, newline="", encoding="utf-8-sig") as handle:
                for record in csv.DictReader(handle):
                    values = [record.get(c) or None for c in columns]
                    cursor.execute(
                        f"insert into {table} values ({', '.join(['%s'] * len(columns))})",
                        values,
                    )
    con.close()


def _pg_args(engine: engines.Engine, user: str | None = None) -> dict:
    return {
        "host": engine.env["JOURNEYS_PG_HOST"],
        "port": int(engine.env["JOURNEYS_PG_PORT"]),
        "user": user or engine.env["JOURNEYS_PG_USER"],
        "dbname": engine.env["JOURNEYS_PG_DBNAME"],
        "options": "-c timezone=UTC",
    }


def _as_bi_role(engine: engines.Engine, sql: str) -> object:
    """Run `sql` as the read-only role: its first row, or the error text."""
    import psycopg2

    con = psycopg2.connect(**_pg_args(engine, user=BI_ROLE))
    con.autocommit = True
    try:
        with con.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone() if cursor.description else None
    except psycopg2.Error as error:
        return f"error: {error.pgerror or error}"
    finally:
        con.close()


@pytest.mark.postgres
def test_postgres_hostile_pseudonymized_and_read_only(
    duckdb_hostile: dict, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workdir = tmp_path_factory.mktemp("hostile_postgres")
    schema = engines.PG_SCHEMA
    with engines.start("postgres") as engine:
        _load_postgres(engine)
        build(
            engine,
            workdir,
            {**VARS, "read_only_roles": [BI_ROLE]},
            ["--exclude", "path:seeds/sample"],
        )
        marts = engines.read_tables(engine, MARTS)
        reads = _as_bi_role(engine, f'select count(*) from "{schema}".fct_events')
        reads_gates = _as_bi_role(engine, f'select count(*) from "{schema}".rpt_data_quality_gates')
        writes = _as_bi_role(engine, f'delete from "{schema}".dim_customers')
        creates = _as_bi_role(engine, f'create table "{schema}".stolen (x int)')
        internal = _as_bi_role(engine, f'select count(*) from "{schema}".base_events')
        staging = _as_bi_role(engine, f'select count(*) from "{schema}".stg_events')
    problems = compare(duckdb_hostile, marts, "postgres")
    assert not problems, "marts differ between duckdb and postgres:\n" + "\n".join(problems)
    # seven clean events (test_injection.py); every report readable
    assert reads == (7,)
    # events all, invalid_revenue, unknown_event_type; four other inputs: all
    assert reads_gates == (7,)
    assert "permission denied" in str(writes)
    assert "permission denied" in str(creates)
    assert "permission denied" in str(internal)
    assert "permission denied" in str(staging)


@pytest.mark.spark
def test_spark_hostile_path_and_pseudonymized(
    duckdb_hostile: dict, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workdir = tmp_path_factory.mktemp("hostile_spark")
    raw = hostile_raw_dir(workdir)
    with engines.start("spark") as engine:
        build(engine, workdir, {**VARS, "raw_data_dir": str(raw)}, [])
        marts = engines.read_tables(engine, MARTS)
    problems = compare(duckdb_hostile, marts, "spark")
    assert not problems, "marts differ between duckdb and spark:\n" + "\n".join(problems)


@pytest.mark.postgres
@pytest.mark.spark
def test_reference_is_pseudonymized(duckdb_hostile: dict) -> None:
    """The DuckDB reference itself: no raw identifier of the fixture left."""
    names, rows = duckdb_hostile["fct_events"]
    keys = {row[names.index("customer_key")] for row in rows}
    assert len(keys) == 5
    assert not keys & {"o'brien", "c\\2", 'anon:anon"1', "seg_all", "seg_all_data"}
    assert all(len(key.removeprefix("anon:")) == 64 for key in keys)
