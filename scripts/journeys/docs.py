"""`journeys docs`: the dbt docs site (catalogue, lineage, column docs).

`dbt docs generate` needs a database for its catalogue (column types and row
counts). It reads the build database; when there is none, a temporary copy
of the serving database (never the serving file itself: dbt-duckdb opens
its database for writing, which would lock BI readers out); when there is
neither, it writes the docs without a catalogue (`--empty-catalog`). The
site is target/index.html (served by `dbt docs serve`); `--static` also
writes target/static_index.html, one file that opens without a server.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from journeys.marts import build_database, serving_database
from journeys.project import DbtInvocation
from journeys.runner import run_dbt


def generate_docs(
    invocation: DbtInvocation, out_dir: Path | None = None, serving: str | None = None
) -> tuple[Path, str]:
    """Generate the docs; returns (the site's index.html, where the
    catalogue came from). With out_dir, the single-file site is copied there
    as index.html."""
    project = invocation.project_dir
    build_db = build_database(project, invocation.duckdb_path)
    serving_db = serving_database(project, serving)
    command = ["docs", "generate"]
    if out_dir is not None:
        command.append("--static")
    # where dbt writes: --target-path, else $DBT_TARGET_PATH, else target/
    target = (
        invocation.target_path or project / os.environ.get("DBT_TARGET_PATH", "target")
    ).resolve()
    with tempfile.TemporaryDirectory(prefix="journeys-docs-") as scratch:
        if invocation.target not in (None, "duckdb") or build_db.is_file():
            run = replace(invocation, duckdb_path=build_db if build_db.is_file() else None)
            catalog = f"catalogue from {build_db}" if build_db.is_file() else "catalogue"
        elif serving_db.is_file():
            copy = Path(scratch) / serving_db.name
            shutil.copyfile(serving_db, copy)
            run = replace(invocation, duckdb_path=copy)
            catalog = f"catalogue from a copy of {serving_db}"
        else:  # a scratch file, so that no empty journeys.duckdb is left behind
            run = replace(invocation, duckdb_path=Path(scratch) / "journeys.duckdb")
            command.append("--empty-catalog")
            catalog = "no catalogue (no database built yet)"
        run_dbt(run, command)
    site = target / "index.html"
    if out_dir is not None:
        out_dir = out_dir.resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target / "static_index.html", out_dir / "index.html")
        site = out_dir / "index.html"
    return site, catalog


def serve_docs(invocation: DbtInvocation, port: int) -> None:
    """`dbt docs serve` on `port` (blocks until interrupted)."""
    run_dbt(invocation, ["docs", "serve", "--port", str(port), "--no-browser"])
