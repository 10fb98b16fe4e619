"""`make ci-slim` builds exactly what a change touches, deferring the rest to
the main branch's artefacts, and `make diff-marts` reports it.

In a copy of the project: `make ci-base` builds everything (the main
branch's artefacts: manifest.json and journeys_base.duckdb). Unchanged, a
slim build selects nothing. Then one staging model, stg_customers, gets a
comment (a change of its file: state:modified compares file checksums) and
the slim build must build and test exactly stg_customers and its
descendants, reading every other parent from the base database, and the mart
diff must find the rebuilt marts identical to the base (a comment changes no
row)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from ci_project import copy_project, make, makefile_default

CHANGED = "model.journeys.stg_customers"
# Worked out by hand from the models' refs: stg_customers is read by
# int_customers_segmented (segment per customer_key), which dim_customers,
# rpt_churn and rpt_stage_progression read. The test also requires the
# exact set to be the manifest's descendants, so that a model added
# downstream later is expected too.
KNOWN_DESCENDANTS = {
    "model.journeys.int_customers_segmented",
    "model.journeys.dim_customers",
    "model.journeys.rpt_churn",
    "model.journeys.rpt_stage_progression",
}
# ... and models that must not be rebuilt: its own parent, and the event
# pipeline it does not feed.
NOT_DESCENDANTS = {
    "model.journeys.base_customers",
    "model.journeys.stg_events",
    "model.journeys.int_events_journeyed",
    "model.journeys.fct_events",
    "model.journeys.fct_journeys",
    "model.journeys.rpt_satisfaction",
}
# Marts the change rebuilds (of the known descendants).
REBUILT_MARTS = {"dim_customers", "rpt_churn", "rpt_stage_progression"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with its base artefacts built (make ci-base)."""
    project = copy_project(tmp_path_factory.mktemp("ci_slim"))
    make(project, "ci-base")
    return project


def base_dir(project: Path) -> Path:
    return project / makefile_default("CI_BASE_DIR")


def ci_dir(project: Path) -> Path:
    return project / makefile_default("CI_DIR")


def run_results(project: Path) -> dict[str, str]:
    """unique_id -> status of every node the last slim build ran."""
    results = json.loads((ci_dir(project) / "run_results.json").read_text())
    return {result["unique_id"]: result["status"] for result in results["results"]}


def descendants(manifest: dict, node: str) -> set[str]:
    """Models reachable from `node` through the manifest's child map."""
    found: set[str] = set()
    pending = [node]
    while pending:
        for child in manifest["child_map"].get(pending.pop(), []):
            if child.startswith("model.") and child not in found:
                found.add(child)
                pending.append(child)
    return found


def node_tests(manifest: dict, models: set[str]) -> set[str]:
    """Data tests with a selected parent (dbt's eager indirect selection)
    and unit tests of a selected model."""
    data_tests = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and models & set(node["depends_on"]["nodes"])
    }
    unit_tests = {
        unique_id
        for unique_id, test in manifest["unit_tests"].items()
        if f"model.journeys.{test['model']}" in models
    }
    return data_tests | unit_tests


def relations(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables()"
                " union all select view_name from duckdb_views() where not internal"
            ).fetchall()
        }


def mart_table(markdown: str) -> dict[str, list[str]]:
    """The mart rows of a diff-marts report: mart -> its cells."""
    rows = {}
    for line in markdown.splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def test_ci_slim_needs_base_artefacts(tmp_path):
    result = make(copy_project(tmp_path), "ci-slim", f"BASE={tmp_path}/nothing", check=False)
    assert result.returncode != 0
    assert "BASE=<folder holding manifest.json and journeys_base.duckdb" in result.stdout


def test_base_artefacts(project):
    base = base_dir(project)
    assert (base / "manifest.json").is_file()
    assert {"stg_customers", "dim_customers", "fct_events"} <= relations(
        base / "journeys_base.duckdb"
    )


def test_unchanged_project_builds_nothing(project):
    make(project, "ci-slim", f"BASE={base_dir(project)}")
    assert run_results(project) == {}
    report = make(
        project,
        "diff-marts",
        f"BASE={base_dir(project)}",
        f"DB={ci_dir(project)}/journeys_ci.duckdb",
    ).stdout
    marts = mart_table(report)
    assert "fct_events" in marts
    assert all(cells[-1].startswith("not rebuilt") for cells in marts.values())


def test_changed_staging_model_builds_exactly_it_and_its_descendants(project):
    model = project / "models" / "staging" / "stg_customers.sql"
    model.write_text(model.read_text() + "-- a reviewed change: nothing but this comment\n")
    make(project, "ci-slim", f"BASE={base_dir(project)}")
    ran = run_results(project)
    manifest = json.loads((ci_dir(project) / "manifest.json").read_text())

    expected_models = {CHANGED} | descendants(manifest, CHANGED)
    assert expected_models >= KNOWN_DESCENDANTS | {CHANGED}
    assert not expected_models & NOT_DESCENDANTS
    built = {unique_id for unique_id in ran if unique_id.startswith("model.")}
    assert built == expected_models
    assert not {unique_id for unique_id in ran if unique_id.startswith("seed.")}

    tested = {unique_id for unique_id in ran if unique_id.startswith(("test.", "unit_test."))}
    assert tested == node_tests(manifest, expected_models)
    # the changed model's own tests and its descendants' unit tests ran
    assert any(".not_null_stg_customers_" in unique_id for unique_id in tested)
    assert any(unique_id.startswith("unit_test.journeys.rpt_churn.") for unique_id in tested)
    # models and tests succeed; exposures (the dashboards reading the
    # rebuilt marts) are selected too and report no-op
    assert {status for uid, status in ran.items() if not uid.startswith("exposure.")} <= {
        "success",
        "pass",
    }
    assert {status for uid, status in ran.items() if uid.startswith("exposure.")} <= {"no-op"}

    # Deferral: the slim database holds the rebuilt models and nothing else;
    # their unchanged parents were read from the base database.
    slim_db = ci_dir(project) / "journeys_ci.duckdb"
    assert relations(slim_db) == {unique_id.split(".")[-1] for unique_id in expected_models}
    compiled = (
        ci_dir(project)
        / "compiled"
        / "journeys"
        / "models"
        / "marts"
        / "core"
        / "dim_customers.sql"
    ).read_text()
    assert '"journeys_base"."main"."int_customer_activity"' in compiled

    # The mart diff: the rebuilt marts equal the base's (a comment changes
    # no row), every other mart is reported as not rebuilt.
    summary = project / "summary.md"
    report = make(
        project,
        "diff-marts",
        f"BASE={base_dir(project)}",
        f"DB={slim_db}",
        f"DIFF_OUT={summary}",
    ).stdout
    assert summary.read_text() in report
    marts = mart_table(report)
    for name in REBUILT_MARTS:
        # key | rows before | rows after | added | removed | changed | what
        cells = marts[name]
        assert cells[1] == cells[2] != ""
        assert cells[3:] == ["0", "0", "0", "identical"], (name, cells)
    for name in ("fct_events", "fct_journeys", "rpt_satisfaction", "rpt_channel_attribution"):
        assert marts[name][-1].startswith("not rebuilt"), (name, marts[name])
    assert "**0 changed**" in report
    churn_line = next(line for line in report.splitlines() if line.startswith("| churn rate |"))
    before, after = churn_line.strip("|").split("|")[1:3]
    assert before.strip() == after.strip() != "n/a"
