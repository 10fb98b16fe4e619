"""The journeys CLI around serving (help, errors, progress, seeding what a
selection needs) and the rules for public marts (contracts, access,
exposures)."""

from __future__ import annotations

import argparse
import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from serving_helpers import copy_project, journeys

from journeys import cli
from journeys.cli import build_parser, main
from journeys.marts import AUDIT_MARTS, MART_PREFIXES, NAMED_MARTS
from journeys.progress import Progress, failure_summary
from journeys.report import CHARTS

COMMANDS = ("generate", "build", "publish", "export", "report", "docs", "summary", "run",
            "bench", "with-engine")  # fmt: skip


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_has_help() -> None:
    commands = _subparsers(build_parser())
    assert set(COMMANDS) <= set(commands)
    for name, parser in commands.items():
        undocumented = [
            action.dest
            for action in parser._actions
            if not isinstance(action, argparse._HelpAction) and not (action.help or "").strip()
        ]
        assert undocumented == [], f"journeys {name}: options without help: {undocumented}"
    for name in ("build", "publish", "export", "report", "docs"):
        assert len(commands[name].description or "") > 150, f"journeys {name} has no description"
        assert (commands[name].epilog or "").startswith("example"), name


@pytest.mark.parametrize("command", ["build", "publish", "export", "report", "docs"])
def test_help_runs(command: str) -> None:
    result = journeys(command, "--help")
    assert result.returncode == 0
    assert f"usage: journeys {command}" in result.stdout


def test_errors_are_one_line(tmp_path: Path) -> None:
    missing = journeys("report", "--out", str(tmp_path / "r"), "--db", str(tmp_path / "x.duckdb"))
    assert missing.returncode == 1
    assert missing.stderr == f"journeys report: no database at {tmp_path / 'x.duckdb'}\n"
    nothing = journeys(
        "export", "--out", str(tmp_path / "e"),
        env={"JOURNEYS_SERVING_PATH": str(tmp_path / "s.duckdb"),
             "JOURNEYS_DUCKDB_PATH": str(tmp_path / "b.duckdb")},
    )  # fmt: skip
    assert nothing.returncode == 1
    assert nothing.stderr.count("\n") == 1
    assert "run `journeys publish` (or `journeys build`) first, or pass --db" in nothing.stderr


# (arguments, the one line expected on stderr); every usage error exits 2
USAGE_ERRORS = [
    ([], "journeys: the following arguments are required: COMMAND (see journeys --help)"),
    (["nope"], "journeys: argument COMMAND: invalid choice: 'nope' (choose from "),
    (["build", "--bogus"],
     "journeys build: unrecognized arguments: --bogus (see journeys build --help)"),
    (["export"],
     "journeys export: the following arguments are required: --out (see journeys export --help)"),
    (["export", "--out", "x", "--format", "xml"],
     "journeys export: argument --format: invalid choice: 'xml' (choose from "),
    (["report", "--out"],
     "journeys report: argument --out: expected one argument (see journeys report --help)"),
    (["generate", "--start", "2025-13-01"],
     "journeys generate: argument --start: not a date (YYYY-MM-DD): '2025-13-01' "
     "(see journeys generate --help)"),
    (["bench", "--events", "many"],
     "journeys bench: argument --events: invalid int value: 'many' (see journeys bench --help)"),
    (["backtest"],
     "journeys backtest: the following arguments are required: --cutoff "
     "(see journeys backtest --help)"),
    (["docs", "--port", "x", "--bogus"],
     "journeys docs: argument --port: invalid int value: 'x' (see journeys docs --help)"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "line"), USAGE_ERRORS, ids=lambda v: " ".join(v) or "none")
def test_usage_errors_are_one_line(argv: list[str], line: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n"), captured.err
    assert captured.err.startswith(line), captured.err
    assert captured.err.rstrip().endswith("--help)")
    assert "usage:" not in captured.err


def test_usage_error_from_the_installed_command() -> None:
    # the console script, not only main(): one line, exit 2
    result = journeys("publish", "--full-refresh", "--bogus", "1")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "journeys publish: unrecognized arguments: --bogus 1 (see journeys publish --help)\n"
    )


def test_failures_and_bugs_are_one_line(monkeypatch, capsys) -> None:
    bad_vars = main(["summary", "--vars", "{not json"])
    assert bad_vars == 1
    err = capsys.readouterr().err
    assert err == (
        "journeys summary: --vars is not a JSON object: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1)\n"
    )

    def broken(args):
        raise RuntimeError("boom\n  second line of the message")

    monkeypatch.setattr(cli, "cmd_report", broken)
    assert main(["report", "--out", "x"]) == 1
    assert capsys.readouterr().err == (
        "journeys report: unexpected error (RuntimeError: boom second line of the message); "
        "JOURNEYS_DEBUG=1 shows the traceback\n"
    )
    monkeypatch.setenv("JOURNEYS_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main(["report", "--out", "x"])

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_export", interrupted)
    assert main(["export", "--out", "x"]) == 130
    assert capsys.readouterr().err == "journeys export: interrupted\n"


def _event(kind: str, status: str, name: str = "x") -> SimpleNamespace:
    return SimpleNamespace(
        info=SimpleNamespace(name="NodeFinished"),
        data=SimpleNamespace(
            node_info=SimpleNamespace(
                resource_type=kind, node_status=status, unique_id=f"{kind}.journeys.{name}"
            ),
            run_result=SimpleNamespace(status=status),
        ),
    )


def test_progress_counts_by_kind_and_failures() -> None:
    stream = io.StringIO()
    progress = Progress(totals={"model": 2, "test": 3, "seed": 0}, stream=stream, live=False,
                        interval=3600)  # fmt: skip
    with progress:
        progress(SimpleNamespace(info=SimpleNamespace(name="MainReportVersion")))  # ignored
        progress(_event("model", "success"))
        progress(_event("test", "pass"))
        progress(_event("test", "fail", "not_null_x"))
    lines = stream.getvalue().splitlines()
    # one line on entry and one on exit (the interval holds the others back)
    assert lines[0] == "models 0/2  tests 0/3  failed 0  00:00"
    assert lines[-1] == "models 1/2  tests 2/3  failed 1  00:00"
    assert progress.failed == ["test.journeys.not_null_x"]


def test_progress_redraws_one_line_on_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(totals={"model": 1}, stream=stream, live=True) as progress:
        progress(_event("model", "success"))
    text = stream.getvalue()
    assert text.count("\r\033[K") >= 2 and text.endswith("\n")
    assert text.count("\n") == 1
    assert "models 1/1  failed 0" in text


def test_failure_summary_names_each_failed_node() -> None:
    def result(status: str, kind: str, name: str, message: str) -> SimpleNamespace:
        node = SimpleNamespace(resource_type=kind, name=name, original_file_path=f"models/{name}")
        return SimpleNamespace(status=status, node=node, message=message)

    lines = failure_summary([
        result("pass", "test", "ok", ""),
        result("fail", "test", "unique_a", "Got 2 results,\n configured to fail if != 0"),
        result("error", "model", "fct_b", "Runtime Error: boom"),
        result("skipped", "model", "fct_c", ""),
    ])  # fmt: skip
    assert lines == [
        "FAIL test unique_a (models/unique_a): Got 2 results, configured to fail if != 0",
        "ERROR model fct_b (models/fct_b): Runtime Error: boom",
    ]


def test_build_seeds_what_a_selection_needs(tmp_path: Path) -> None:
    """A selected build on an empty database loads the seeds it reads first;
    once they are there, it does not load them again."""
    db = tmp_path / "journeys.duckdb"
    first = journeys("build", "--select", "base_customers", "--db", str(db))
    assert first.returncode == 0, first.stderr[-3000:]
    assert "journeys build: dbt seed succeeded: 1 nodes (success 1)" in first.stderr
    assert "journeys build: dbt build succeeded" in first.stderr
    assert first.stderr.index("dbt seed succeeded") < first.stderr.index("dbt build succeeded")
    again = journeys("build", "--select", "base_customers", "--db", str(db))
    assert again.returncode == 0, again.stderr[-3000:]
    assert "dbt seed" not in again.stderr  # raw_customers is loaded already
    assert "journeys build: dbt build succeeded" in again.stderr


# ---------------------------------------------------------------------------
# Public marts: contracts, access, exposures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manifest(handmade_db: Path) -> dict:
    return json.loads((handmade_db.parent / "target" / "manifest.json").read_text())


def test_every_mart_has_an_enforced_contract_and_public_access(manifest: dict) -> None:
    marts = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    }
    assert len(marts) >= 12
    problems = []
    for name, node in sorted(marts.items()):
        if not node["config"]["contract"]["enforced"]:
            problems.append(f"{name}: contract not enforced")
        if node["access"] != "public":
            problems.append(f"{name}: access {node['access']}")
        untyped = [c for c, spec in node["columns"].items() if not spec.get("data_type")]
        if untyped:
            problems.append(f"{name}: no data_type for {untyped}")
        if node["config"]["materialized"] == "incremental" and node["config"].get(
            "on_schema_change"
        ) not in ("fail", "append_new_columns"):
            problems.append(f"{name}: incremental with a contract needs on_schema_change")
    assert problems == []
    # exports and the serving checks find the public marts by name: the rule
    # must pick exactly the models that are public
    public = {n["name"] for n in manifest["nodes"].values() if n.get("access") == "public"}
    by_name = {
        n for n in public if n.startswith(MART_PREFIXES) or n in AUDIT_MARTS or n in NAMED_MARTS
    }
    assert by_name == public == set(marts)


def test_exposures_declare_what_reads_the_marts(manifest: dict) -> None:
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"journeys_report", "mart_file_export"} <= set(exposures)
    assert sum(e["type"] == "dashboard" for e in exposures.values()) >= 3
    names = {uid: node["name"] for uid, node in manifest["nodes"].items()}
    read = {name: {names[uid] for uid in e["depends_on"]["nodes"]} for name, e in exposures.items()}
    # the report exposure lists every built mart or seed a chart reads
    chart_sources = {s for spec in CHARTS for s in spec.sources} & set(names.values())
    assert chart_sources <= read["journeys_report"]
    # the export exposure lists every public mart
    public = {n["name"] for n in manifest["nodes"].values() if n.get("access") == "public"}
    assert read["mart_file_export"] == public
    # every public mart is read by something besides the file export
    others = set().union(*(r for n, r in read.items() if n != "mart_file_export"))
    assert public <= others


def test_docs_site(handmade_db: Path, tmp_path: Path) -> None:
    """`journeys docs --out` writes a single-file site holding the models,
    the semantic layer and the exposures, with a catalogue from the build."""
    project = copy_project(tmp_path / "project")
    db = tmp_path / "journeys.duckdb"
    shutil.copyfile(handmade_db, db)
    result = journeys("docs", "--out", str(tmp_path / "site"), "--db", str(db), project=project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[-1] == (
        f"journeys docs: wrote {tmp_path / 'site' / 'index.html'} (catalogue from {db})"
    )
    page = (tmp_path / "site" / "index.html").read_text()
    for name in ("fct_journeys", "time_spine_daily", "churn_rate", "journeys_report"):
        assert name in page, name
    catalog = json.loads((project / "target" / "catalog.json").read_text())
    assert "model.journeys.fct_journeys" in catalog["nodes"]
