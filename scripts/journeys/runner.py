"""Run dbt commands in-process through dbtRunner."""

from __future__ import annotations

import contextlib
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


def run_dbt(invocation: DbtInvocation, command: Sequence[str]) -> object:
    """Invoke one dbt command; raise DbtError when it fails. Returns the
    dbtRunnerResult's `result` (run results, manifest, ...)."""
    from dbt.cli.main import dbtRunner  # imported lazily: dbt is slow to import

    with _environment(invocation.project_dir, invocation.env()):
        outcome = dbtRunner().invoke(invocation.args(command))
    if not outcome.success:
        reason = outcome.exception or "one or more nodes failed; see the dbt output above"
        raise DbtError(f"dbt {' '.join(command)} failed: {reason}")
    return outcome.result
