"""A throwaway copy of the project and `make` run inside it, for the tests of
the pull-request CI targets (make ci-base / ci-slim / diff-marts, pre-commit)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_DIR

# The virtualenv running these tests: `make` in a copy uses it (VENV=...)
# instead of creating one, and its stamp says `make setup` already ran.
VENV = Path(sys.prefix)

# Build state and local files that are not part of the project.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "target",
    "logs",
    "dbt_packages",
    ".duckdb_tmp",
    "*.duckdb",
    "*.duckdb.wal",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
)


def copy_project(dest: Path) -> Path:
    """Copy the project's files (no build state, no virtualenv) to dest."""
    if not list(VENV.glob(".installed-*")):
        pytest.skip("the tests' virtualenv was not made by `make setup`")
    target = dest / "journeys"
    shutil.copytree(PROJECT_DIR, target, ignore=NOT_COPIED)
    return target


def make(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `make ARGS` in `project` with the tests' virtualenv; the caller's
    JOURNEYS_* settings and make flags are not passed on."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JOURNEYS_", "MAKE", "MFLAGS", "DBT_"))
    }
    result = subprocess.run(
        ["make", "--no-print-directory", *args, f"VENV={VENV}"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"make {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
        )
    return result


def makefile_targets(project: Path = PROJECT_DIR) -> set[str]:
    """The rules the Makefile defines."""
    text = (project / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, flags=re.MULTILINE))


def makefile_default(name: str, project: Path = PROJECT_DIR) -> str:
    """The default of a `NAME ?= value` variable of the Makefile."""
    found = re.search(rf"^{name}\s*\?=\s*(.*)$", (project / "Makefile").read_text(), re.M)
    assert found, f"Makefile sets no default for {name}"
    return found.group(1).strip()
