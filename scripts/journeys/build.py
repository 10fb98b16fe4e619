"""`journeys build`: seed what is missing, build, test, with live progress.

A whole-project build is one `dbt build` (seeds, models, unit and data
tests, in dependency order). A selected build (`--select`) first loads the
seeds its models need when they are not in the database yet (on DuckDB the
file is checked; on other engines the upstream seeds are always loaded), so
`journeys build --select rpt_churn+` works on a fresh database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

import duckdb

from journeys.marts import build_database
from journeys.project import DbtInvocation
from journeys.runner import BuildOutcome, list_nodes, parse_project, run_dbt_with_progress


def missing_seeds(invocation: DbtInvocation, manifest: object, select: Sequence[str]) -> list[str]:
    """Seeds upstream of `select` whose tables are not in the target database."""
    upstream = list_nodes(
        invocation,
        manifest,
        ["--select", *[f"+{item.lstrip('+')}" for item in select], "--resource-type", "seed"],
    )
    seeds = sorted({node["name"] for node in upstream})
    if not seeds or invocation.target not in (None, "duckdb"):
        return seeds
    path = build_database(invocation.project_dir, invocation.duckdb_path)
    if not path.is_file():
        return seeds
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            present = {
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'main'"
                ).fetchall()
            }
    except duckdb.Error:  # locked or unreadable: load them to be safe
        return seeds
    return [seed for seed in seeds if seed not in present]


def build(
    invocation: DbtInvocation,
    select: Sequence[str] | None = None,
    full_refresh: bool = False,
    stream: TextIO | None = None,
    live: bool | None = None,
) -> list[BuildOutcome]:
    """Run the build; returns the outcome of each dbt command run (a seed
    step first when a selection needs seeds that are missing)."""
    manifest = parse_project(invocation)
    outcomes = []
    command = ["build"]
    if full_refresh:
        command.append("--full-refresh")
    if select:
        seeds = missing_seeds(invocation, manifest, select)
        if seeds:
            seeding = run_dbt_with_progress(
                invocation, ["seed", "--select", *seeds], stream, live, manifest
            )
            outcomes.append(seeding)
            if not seeding.success:
                return outcomes
        command += ["--select", *select]
    outcomes.append(run_dbt_with_progress(invocation, command, stream, live, manifest))
    return outcomes
