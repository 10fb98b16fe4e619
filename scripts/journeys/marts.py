"""Where the databases are and what BI tools may read from them.

Two DuckDB files matter:

* the **build database** (`journeys.duckdb`, or $JOURNEYS_DUCKDB_PATH, or
  `--db`): what `journeys build` and plain `dbt build` write. Fine for
  development; a BI tool reading it holds a lock that makes the next build
  fail, and a failed build leaves it half updated.
* the **serving database** (`serving/journeys.duckdb`, or
  $JOURNEYS_SERVING_PATH, or `--serving`): written only by `journeys publish`
  (write-audit-publish, see publish.py), replaced atomically, read by BI.

`export`, `report` read the serving database when one has been published,
else the build database (`source_database`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

SERVING_ENV = "JOURNEYS_SERVING_PATH"
DEFAULT_SERVING = Path("serving") / "journeys.duckdb"
BUILD_ENV = "JOURNEYS_DUCKDB_PATH"
DEFAULT_BUILD = Path("journeys.duckdb")

# The publication record written into every published database.
PUBLICATION_TABLE = "journeys_publication"

# Public marts: what BI tools, exports and the report read (README, "What it
# computes"). Everything else in the database (base_, stg_, int_) is internal.
MART_PREFIXES = ("fct_", "dim_", "rpt_")
AUDIT_MARTS = ("rejected_rows", "dropped_duplicate_rows")
# Public marts whose SPEC name has no mart prefix.
NAMED_MARTS = ("next_best_actions",)


def _resolve(configured: str | os.PathLike | None, env: str, default: Path, base: Path) -> Path:
    path = Path(configured) if configured else Path(os.environ.get(env) or default)
    return path if path.is_absolute() else (base / path)


def build_database(project_dir: Path, configured: str | os.PathLike | None = None) -> Path:
    """The build database: --db, else $JOURNEYS_DUCKDB_PATH, else journeys.duckdb."""
    return _resolve(configured, BUILD_ENV, DEFAULT_BUILD, project_dir).resolve()


def serving_database(project_dir: Path, configured: str | os.PathLike | None = None) -> Path:
    """The serving database: --serving, else $JOURNEYS_SERVING_PATH, else
    serving/journeys.duckdb (relative paths from the project folder)."""
    return _resolve(configured, SERVING_ENV, DEFAULT_SERVING, project_dir).resolve()


def source_database(
    project_dir: Path, db: str | os.PathLike | None = None, serving: str | None = None
) -> Path:
    """What export and report read: --db when given; else the serving
    database when it exists; else the build database. Raises
    FileNotFoundError with what to do when there is none."""
    if db:
        path = Path(db).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"no database at {path}")
        return path
    candidates = [serving_database(project_dir, serving), build_database(project_dir)]
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"no database at {candidates[0]} or {candidates[1]}: run `journeys publish` "
        "(or `journeys build`) first, or pass --db"
    )


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection in UTC: never takes the write lock."""
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    return con


def public_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The public marts present in a database, by name (tables, and views
    such as fct_events, a projection of int_events_journeyed)."""
    names = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'main' and table_type in ('BASE TABLE', 'VIEW')"
            " order by table_name"
        ).fetchall()
    ]
    return [n for n in names if n.startswith(MART_PREFIXES) or n in AUDIT_MARTS or n in NAMED_MARTS]


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'main' and table_name = ?",
            [name],
        ).fetchone()[0]
    )


@dataclass(frozen=True)
class Publication:
    """The record `journeys publish` writes into the database it publishes."""

    build_id: str
    build_mode: str
    built_at: dt.datetime
    published_at: dt.datetime
    as_of_at: dt.datetime | None
    dbt_version: str
    journeys_version: str
    node_counts: dict[str, int]
    row_counts: dict[str, int]


def read_publication(con: duckdb.DuckDBPyConnection) -> Publication | None:
    """The publication record of a database (None for a database that was
    built, not published)."""
    if not table_exists(con, PUBLICATION_TABLE):
        return None
    row = con.execute(
        f"select build_id, build_mode, built_at, published_at, as_of_at, dbt_version,"
        f" journeys_version, node_counts, row_counts from {PUBLICATION_TABLE}"
    ).fetchone()
    if row is None:
        return None
    return Publication(
        build_id=row[0],
        build_mode=row[1],
        built_at=row[2],
        published_at=row[3],
        as_of_at=row[4],
        dbt_version=row[5],
        journeys_version=row[6],
        node_counts=json.loads(row[7]),
        row_counts=json.loads(row[8]),
    )


def as_of(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The evaluation instant of a build (int_evaluation_instant)."""
    if not table_exists(con, "int_evaluation_instant"):
        return None
    row = con.execute("select as_of_at from int_evaluation_instant").fetchone()
    return row[0] if row else None


def row_counts(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> dict[str, int]:
    return {t: int(con.execute(f'select count(*) from main."{t}"').fetchone()[0]) for t in tables}


def build_time(path: Path, con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(ISO time the data was built, where that time comes from): the
    publication record's built_at, else the file's modification time."""
    publication = read_publication(con)
    if publication is not None:
        return publication.built_at.isoformat() + "Z", "journeys_publication.built_at"
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    return stamp.replace(tzinfo=None).isoformat() + "Z", "database file modification time"
