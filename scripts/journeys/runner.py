"""Run dbt commands in-process through dbtRunner."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from journeys.project import DbtInvocation


class DbtError(RuntimeError):
    """A dbt command did not succeed."""


@contextlib.contextmanager
def _environment(directory: Path, env: Mapping[str, str]) -> Iterator[None]:
    """Run inside `directory` with `env` applied, restoring both afterwards
    (dbt resolves the relative DuckDB path against the working folder)."""
    previous_dir = Path.cwd()
    previous_env = dict(os.environ)
    os.environ.update(env)
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous_dir)
        os.environ.clear()
        os.environ.update(previous_env)


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process.

    dbt-duckdb holds one shared DuckDB instance per process after a command;
    until it is closed, this process cannot open the same file with another
    configuration (e.g. read-only, to read the results). dbt-duckdb's own
    close_all_connections() only drops the reference, so close it first."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing held
        return
    environment = getattr(DuckDBConnectionManager, "_ENV", None)
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def run_dbt(invocation: DbtInvocation, command: Sequence[str]) -> object:
    """Invoke one dbt command; raise DbtError when it fails. Returns the
    dbtRunnerResult's `result` (run results, manifest, ...). The database is
    released afterwards, so the caller may open it."""
    from dbt.cli.main import dbtRunner  # imported lazily: dbt is slow to import

    with _environment(invocation.project_dir, invocation.env()):
        try:
            outcome = dbtRunner().invoke(invocation.args(command))
        finally:
            release_duckdb()
    if not outcome.success:
        reason = outcome.exception or "one or more nodes failed; see the dbt output above"
        raise DbtError(f"dbt {' '.join(command)} failed: {reason}")
    return outcome.result


@dataclass
class BuildOutcome:
    """What a dbt command with a progress display did."""

    command: list[str]
    success: bool
    elapsed_seconds: float
    status_counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    results: list[Any] = field(default_factory=list)

    def summary(self) -> str:
        """One line: node counts by status and the wall time."""
        total = sum(self.status_counts.values())
        counts = ", ".join(f"{status} {n}" for status, n in sorted(self.status_counts.items()))
        verb = "succeeded" if self.success else "FAILED"
        return (
            f"dbt {self.command[0]} {verb}: {total} nodes ({counts or 'none'}) "
            f"in {self.elapsed_seconds:.1f}s"
        )


def parse_project(invocation: DbtInvocation) -> Any:
    """Parse the project (partial parsing applies) and return the manifest,
    to hand to later commands so that they do not parse again."""
    from dbt.cli.main import dbtRunner

    with _environment(invocation.project_dir, invocation.env()):
        parsed = dbtRunner().invoke(invocation.args(["parse", "--log-level", "none"]))
    if not parsed.success:
        raise DbtError(f"dbt parse failed: {_one_line(parsed.exception) or 'see logs/dbt.log'}")
    return parsed.result


def list_nodes(invocation: DbtInvocation, manifest: Any, selection: Sequence[str]) -> list[dict]:
    """`dbt ls` of a selection (--select/--exclude/--resource-type ...
    arguments): [{"resource_type": ..., "unique_id": ..., "name": ...}]."""
    from dbt.cli.main import dbtRunner

    args = ["ls", *selection, "--output", "json", "--output-keys", "resource_type", "unique_id"]
    args += ["name", "--log-level", "none"]
    with _environment(invocation.project_dir, invocation.env()):
        listed = dbtRunner(manifest=manifest).invoke(invocation.args(args))
    if not listed.success:
        raise DbtError(f"dbt ls failed: {_one_line(listed.exception) or 'see logs/dbt.log'}")
    return [json.loads(line) for line in listed.result or []]


SELECTION_OPTIONS = ("--select", "-s", "--exclude", "--exclude-resource-type", "--resource-type")
# What each dbt command runs, for commands that do not run every kind of node.
COMMAND_RESOURCE_TYPES = {
    "seed": ["seed"],
    "run": ["model"],
    "test": ["test", "unit_test"],
    "snapshot": ["snapshot"],
}


def selection_args(command: Sequence[str]) -> list[str]:
    """The node-selection arguments of a dbt command line, restricted to
    the kinds of node the command runs (`dbt seed` runs only seeds)."""
    selection: list[str] = []
    take = False
    for arg in command[1:]:
        if arg.startswith("-"):
            take = arg in SELECTION_OPTIONS
            if take:
                selection.append(arg)
        elif take:
            selection.append(arg)
    kinds = COMMAND_RESOURCE_TYPES.get(command[0]) if command else None
    if kinds and "--resource-type" not in selection:
        selection += ["--resource-type", *kinds]
    return selection


def _one_line(error: object) -> str:
    return " ".join(str(error).split()) if error is not None else ""


def run_dbt_with_progress(
    invocation: DbtInvocation,
    command: Sequence[str],
    stream: TextIO | None = None,
    live: bool | None = None,
    manifest: Any = None,
) -> BuildOutcome:
    """Run one dbt command (build, seed, run, test) with a live progress
    line on `stream` (default stderr) instead of dbt's own log lines (those
    still go to logs/dbt.log). Never raises for failed nodes: the outcome
    says what failed; raises DbtError only when dbt itself could not run."""
    from dbt.cli.main import dbtRunner

    from journeys.progress import Progress, count_by_type, failure_summary, status_counts

    stream = stream or sys.stderr
    if manifest is None:
        manifest = parse_project(invocation)
    nodes = list_nodes(invocation, manifest, selection_args(command))
    progress = Progress(totals=count_by_type(nodes), stream=stream, live=live)
    started = time.monotonic()
    with (
        _environment(invocation.project_dir, invocation.env()),
        progress,
        warnings.catch_warnings(),
    ):
        # agate warns for every seed column_types entry of another input;
        # the warnings would tear the progress line apart.
        warnings.filterwarnings("ignore", category=RuntimeWarning, module="agate")
        try:
            outcome = dbtRunner(manifest=manifest, callbacks=[progress]).invoke(
                invocation.args([*command, "--log-level", "none"])
            )
        finally:
            release_duckdb()
    results = list(getattr(outcome.result, "results", None) or [])
    return BuildOutcome(
        command=list(command),
        success=bool(outcome.success),
        elapsed_seconds=time.monotonic() - started,
        status_counts=status_counts(results),
        failures=failure_summary(results),
        error=_one_line(outcome.exception) or None,
        results=results,
    )
