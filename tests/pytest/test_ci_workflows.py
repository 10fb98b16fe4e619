"""The GitHub workflows and the pre-commit hooks do what the README promises:
they parse and match GitHub's workflow schema, their jobs run the promised
steps in order, and every step is a Makefile target (so it runs locally); the
pre-commit hooks run the project's pinned tools from its virtualenv."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from ci_project import copy_project, makefile_default, makefile_targets
from conftest import PROJECT_DIR

WORKFLOWS = PROJECT_DIR / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
MAIN = WORKFLOWS / "main-artefacts.yml"
BIN = Path(sys.executable).parent
MAKE_CALL = re.compile(r"\bmake\s+(?:-C\s+\S+\s+)?([a-z][\w-]*)(.*)")


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as the boolean true
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def runs(job: dict) -> list[str]:
    """The shell lines of a job's run steps, in order, continuation lines joined."""
    lines = []
    for step in job["steps"]:
        if "run" in step:
            text = step["run"].replace("\\\n", " ")
            lines += [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return lines


def make_calls(job: dict) -> list[tuple[str, str]]:
    """(target, arguments) of every `make` the job runs, in order."""
    calls = []
    for line in runs(job):
        for found in MAKE_CALL.finditer(line):
            calls.append((found.group(1), found.group(2).strip()))
    return calls


def uses(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]


@pytest.mark.parametrize("path", [PULL_REQUEST, MAIN], ids=lambda path: path.name)
def test_workflow_matches_github_schema(path):
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        result = subprocess.run(
            [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", [PULL_REQUEST, MAIN], ids=lambda path: path.name)
def test_workflow_steps_are_makefile_targets(path):
    targets = makefile_targets()
    for name, job in load(path)["jobs"].items():
        for target, _args in make_calls(job):
            assert target in targets, f"{path.name} job {name}: make {target} is no target"
        for line in runs(job):
            # the tools themselves only ever run through the Makefile
            assert not re.search(r"(^|\s|/)(dbt|sqlfluff|ruff|pytest|pip)\s", line), line
            assert ".venv/" not in line, line


def test_pull_request_workflow():
    workflow = load(PULL_REQUEST)
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read", "actions": "read"}
    lint, build = workflow["jobs"]["lint"], workflow["jobs"]["build"]

    # lint: the changed SQL against the pull request's base, then ruff
    checkout = uses(lint, "actions/checkout")
    assert checkout and checkout[0]["with"]["fetch-depth"] == 0
    assert [target for target, _ in make_calls(lint)] == ["setup", "lint-changed", "ruff"]
    assert dict(make_calls(lint))["lint-changed"] == 'BASE_REF="origin/${GITHUB_BASE_REF}"'

    # build: main's artefacts, the slim build, the diff as the job summary, pytest
    calls = make_calls(build)
    assert [target for target, _ in calls] == [
        "setup",
        "ci-base",  # only when main published no artefacts
        "ci-slim",
        "diff-marts",
        "pytest",
    ]
    arguments = dict(calls)
    ci_dir, ci_base_dir = makefile_default("CI_DIR"), makefile_default("CI_BASE_DIR")
    assert arguments["ci-slim"] == "BASE=base"
    assert arguments["ci-base"] == 'CI_BASE_DIR="$GITHUB_WORKSPACE/base"'
    assert arguments["diff-marts"] == (
        f'BASE=base DB={ci_dir}/journeys_ci.duckdb DIFF_OUT="$GITHUB_STEP_SUMMARY"'
    )
    fallback = next(step for step in build["steps"] if "ci-base" in step.get("run", ""))
    assert fallback["if"] == "steps.base.outputs.found != 'true'"

    # the artefacts it downloads are the ones main publishes, in the layout
    # ci-slim reads (manifest.json and journeys_base.duckdb side by side)
    fetch = next(step for step in build["steps"] if step.get("id") == "base")
    published = uses(load(MAIN)["jobs"]["base"], "actions/upload-artifact")[0]["with"]
    assert f"--workflow {MAIN.name}" in " ".join(fetch["run"].split())
    assert f"--name {published['name']} --dir base" in " ".join(fetch["run"].split())
    assert published["path"].split() == [
        f"{ci_base_dir}/manifest.json",
        f"{ci_base_dir}/journeys_base.duckdb",
    ]


def test_main_workflow_publishes_base_artefacts():
    workflow = load(MAIN)
    assert workflow["on"]["push"]["branches"] == ["main"]
    job = workflow["jobs"]["base"]
    assert [target for target, _ in make_calls(job)] == ["setup", "lint", "ci-base", "pytest"]
    upload = uses(job, "actions/upload-artifact")
    assert len(upload) == 1 and upload[0]["with"]["name"] == "journeys-base"
    # published only after everything passed: the last step
    assert job["steps"][-1] is upload[0]


# ---------------------------------------------------------------------------
# pre-commit
# ---------------------------------------------------------------------------

PRE_COMMIT = PROJECT_DIR / ".pre-commit-config.yaml"


def hooks() -> list[dict]:
    config = yaml.safe_load(PRE_COMMIT.read_text())
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_pre_commit_config_is_valid():
    result = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(PRE_COMMIT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hooks_run_pinned_tools_from_the_virtualenv():
    config = yaml.safe_load(PRE_COMMIT.read_text())
    # nothing is cloned or installed by pre-commit itself
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    dev = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["dev"]
    pinned = {requirement.split("==")[0] for requirement in dev if "==" in requirement}
    assert {"pre-commit", "pre-commit-hooks", "sqlfluff", "ruff", "check-jsonschema"} <= pinned
    ids = set()
    for hook in hooks():
        ids.add(hook["id"])
        assert hook["language"] == "system", hook["id"]
        executable = hook["entry"].split()[0]
        assert executable.startswith(".venv/bin/"), hook["id"]
        assert (BIN / executable.removeprefix(".venv/bin/")).is_file(), hook["id"]
    assert {
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "check-merge-conflict",
        "check-added-large-files",
        "check-github-workflows",
        "sqlfluff-lint",
        "ruff-check",
        "ruff-format",
    } <= ids


def test_pre_commit_hooks_pass_on_the_project(tmp_path):
    """Every hook on a sample of the project's files (one of each kind the
    hooks look at), in a git repository made from a copy of the project."""
    project = copy_project(tmp_path)
    (project / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    files = [
        "models/staging/stg_customers.sql",
        "analyses/churn_by_segment.sql",
        "scripts/journeys/diff.py",
        "tests/pytest/test_ci_workflows.py",
        "dbt_project.yml",
        "pyproject.toml",
        ".github/workflows/pull-request.yml",
        ".github/workflows/main-artefacts.yml",
        "README.md",
    ]

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)

    git("init", "-q")
    git("add", *files)
    result = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--files", *files],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = re.findall(r"^(.+?)\.{3,}(Passed|Failed|Skipped)", result.stdout, flags=re.M)
    assert {name.strip() for name, status in ran if status == "Passed"} == {
        hook["name"] for hook in hooks()
    }
