"""Run dbt commands in-process through dbtRunner."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

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
