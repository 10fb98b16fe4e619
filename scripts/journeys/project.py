"""Where the dbt project lives and how to run dbt against it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def find_project_dir(start: Path | None = None) -> Path:
    """The folder holding dbt_project.yml: $JOURNEYS_PROJECT_DIR, else the
    nearest ancestor of `start` (default: the current folder), else the
    source checkout this package was installed from."""
    env = os.environ.get("JOURNEYS_PROJECT_DIR")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "dbt_project.yml").is_file():
        return checkout
    raise FileNotFoundError(
        "no dbt_project.yml found: run inside the journeys project or set JOURNEYS_PROJECT_DIR"
    )


@dataclass
class DbtInvocation:
    """One dbt command against the project, with its own state folders so
    that several invocations (tests, benchmarks) never share target/."""

    project_dir: Path
    duckdb_path: Path | None = None
    vars: Mapping[str, object] = field(default_factory=dict)
    target_path: Path | None = None
    target: str | None = None

    def args(self, command: Sequence[str]) -> list[str]:
        args = [*command, "--project-dir", str(self.project_dir)]
        args += ["--profiles-dir", str(self.project_dir)]
        if self.target:
            args += ["--target", self.target]
        if self.vars:
            args += ["--vars", json.dumps(dict(self.vars))]
        if self.target_path:
            args += ["--target-path", str(self.target_path)]
        return args

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.duckdb_path is not None:
            env["JOURNEYS_DUCKDB_PATH"] = str(self.duckdb_path)
        return env
