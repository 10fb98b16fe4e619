"""Write-audit-publish, proved with a reader in a loop.

A separate process (like a BI tool) opens the serving database read-only,
checks that what it sees is one complete, consistent build, closes it, and
does it again, all the time, while these publishes run against the same
serving file:

  A  the hand-made dataset (full build)                    -> published
  B  the same plus three new events of a new customer c7   -> published (incremental)
  C  as B, with a singular test that fails                 -> refused, serving unchanged
  M  as B, with a model whose SQL fails                    -> refused, serving unchanged
  D  as B, killed (SIGKILL) in the middle of its build     -> serving unchanged;
     while D runs, a second publish is refused (one at a time)
  E  as B again, through `journeys build --publish`        -> published; D's leftovers gone

The reader must never fail, never wait noticeably, and only ever see A, B
or E, in that order, each complete: every public mart has the row count
the publication recorded, and the marts agree with each other.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import HANDMADE_AS_OF, copy_fixture, query
from serving_helpers import JOURNEYS, copy_project, journeys

READER = r"""
import json, os, sys, time
import duckdb

path, out, stop = sys.argv[1:4]
with open(out, "a") as log:
    while not os.path.exists(stop):
        started = time.monotonic()
        record = {"at": time.time()}
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                build_id, counts = con.execute(
                    "select build_id, row_counts from journeys_publication").fetchone()
                counts = json.loads(counts)
                actual = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0]
                          for t in counts}
                events_clean = con.execute(
                    "select rows_clean from rpt_data_quality where input_name = 'events'"
                ).fetchone()[0]
                customers = con.execute(
                    "select count(distinct customer_key) from fct_events").fetchone()[0]
                record.update(
                    build_id=build_id,
                    events=actual["fct_events"],
                    ok=(actual == counts
                        and events_clean == actual["fct_events"]
                        and customers == actual["dim_customers"]),
                )
            finally:
                con.close()
        except Exception as error:  # anything at all is a failure of the test
            record["error"] = f"{type(error).__name__}: {error}"
        record["seconds"] = time.monotonic() - started
        log.write(json.dumps(record) + "\n")
        log.flush()
        time.sleep(0.02)
"""

# Three new events of a new customer, after every hand-made event and before as_of.
NEW_EVENTS = (
    "e701,2024-05-29T10:00:00,c7,,page_view,web,,\n"
    "e702,2024-05-29T10:05:00,c7,,product_view,web,,\n"
    "e703,2024-05-29T10:10:00,c7,,purchase,web,,42.00\n"
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build_id(serving: Path) -> str:
    return query(serving, "select build_id from journeys_publication")[0][0]


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("publish")
    project = copy_project(root / "project")
    raw_a = copy_fixture("handmade", root / "a")
    raw_b = copy_fixture("handmade", root / "b")
    # raw_data_dir files are append-only between incremental runs: new
    # events arrive as a new file beside events.csv (events/<part>.csv).
    # B is another folder holding A's files unchanged (copied with their
    # modification times), so B's build is incremental on A's.
    header = (raw_b / "events.csv").read_text().splitlines()[0]
    (raw_b / "events").mkdir()
    (raw_b / "events" / "late.csv").write_text(header + "\n" + NEW_EVENTS)
    serving = root / "serving" / "journeys.duckdb"
    return {"root": root, "project": project, "a": raw_a, "b": raw_b, "serving": serving}


def test_reader_sees_only_whole_publications(setup: dict) -> None:
    project, serving, root = setup["project"], setup["serving"], setup["root"]

    def publish(raw: Path) -> subprocess.CompletedProcess:
        return journeys(
            "publish",
            "--raw-data-dir",
            str(raw),
            "--as-of",
            HANDMADE_AS_OF,
            "--serving",
            str(serving),
            project=project,
        )

    # A: first publication (nothing served before: a full build).
    a = publish(setup["a"])
    assert a.returncode == 0, a.stderr[-3000:]
    assert "(full)" in a.stdout
    id_a = _build_id(serving)
    # the hand-made dataset has 41 clean events (test_marts_handmade)
    assert query(serving, "select count(*) from fct_events")[0][0] == 41

    reader_log, stop = root / "reader.jsonl", root / "stop-reader"
    script = root / "reader.py"
    script.write_text(READER)
    reader = subprocess.Popen(
        [sys.executable, str(script), str(serving), str(reader_log), str(stop)]
    )
    try:
        _wait_for(
            lambda: reader_log.exists() and len(reader_log.read_text().splitlines()) >= 5,
            60,
            "the reader's first reads",
        )

        # B: more data, built incrementally on a copy of A.
        b = publish(setup["b"])
        assert b.returncode == 0, b.stderr[-3000:]
        assert "(incremental)" in b.stdout
        id_b = _build_id(serving)
        assert id_b != id_a
        # 41 + the 3 new events; 7 + c7 customers
        assert query(serving, "select count(*) from fct_events")[0][0] == 44
        assert query(serving, "select count(*) from dim_customers")[0][0] == 8
        served_b = _sha256(serving)

        # C: an audit failure. Nothing is published, the serving file is untouched.
        failing = project / "tests" / "assert_publish_audit_fails.sql"
        failing.write_text(
            "-- fails on purpose: the audit must stop the publish\nselect 1 as failure\n"
        )
        c = publish(setup["b"])
        failing.unlink()
        assert c.returncode == 1
        assert "assert_publish_audit_fails" in c.stderr  # the failure is named
        assert "audit failed, nothing published" in c.stderr
        assert "is unchanged" in c.stderr
        assert "Traceback" not in c.stderr
        assert _sha256(serving) == served_b
        assert not (serving.parent / ".journeys-work").exists()

        # M: a model error, not a test: rpt_stage_progression's SQL fails
        # when it runs (a value that is no integer). It has no unit test
        # (which would run the SQL first and fail instead), so the model node
        # itself errors and what reads it (the trend series) is skipped; the
        # serving file is untouched and still says B.
        broken = project / "models" / "marts" / "reports" / "rpt_stage_progression.sql"
        sql = broken.read_text()
        assert sql.rstrip().endswith("select * from final")
        broken.write_text(
            sql.rstrip().removesuffix("select * from final")
            + "select * from final where cast('no integer' as integer) = 1\n"
        )
        try:
            m = publish(setup["b"])
        finally:
            broken.write_text(sql)
        assert m.returncode == 1, m.stderr[-3000:]
        assert (
            "ERROR model rpt_stage_progression (models/marts/reports/rpt_stage_progression.sql)"
            in m.stderr
        ), m.stderr[-3000:]
        assert "nothing published" in m.stderr and "is unchanged" in m.stderr
        assert m.stderr.strip().splitlines()[-1].startswith("journeys publish: ")
        assert "Traceback" not in m.stderr
        assert _sha256(serving) == served_b
        assert _build_id(serving) == id_b
        assert not (serving.parent / ".journeys-work").exists()

        # D: killed in the middle of its build.
        log_d = root / "publish-d.log"
        with log_d.open("w") as out:
            killed = subprocess.Popen(
                [
                    JOURNEYS,
                    "publish",
                    "--raw-data-dir",
                    str(setup["b"]),
                    "--as-of",
                    HANDMADE_AS_OF,
                    "--serving",
                    str(serving),
                ],
                cwd=project,
                env={**os.environ, "JOURNEYS_PROJECT_DIR": str(project)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        lock = serving.parent / ".journeys.duckdb.publish-lock"
        _wait_for(
            lambda: lock.exists() and lock.read_text() == str(killed.pid),
            60,
            "publish D to take the lock",
        )
        # one publish at a time: a second one is refused at once
        second = publish(setup["b"])
        assert second.returncode == 1
        assert f"another publish into {serving} is running (pid {killed.pid})" in second.stderr
        # kill D once its build has finished some models
        _wait_for(
            lambda: any(
                line.startswith("seeds") and " models 0/" not in line
                for line in log_d.read_text().splitlines()
            ),
            120,
            "publish D to build a model",
        )
        assert killed.poll() is None, "publish D finished before it could be killed"
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
        assert (serving.parent / ".journeys-work" / "journeys.duckdb").exists()  # left behind
        assert _sha256(serving) == served_b
        assert _build_id(serving) == id_b

        # E: the next publish clears D's leftovers and publishes, here through
        # `journeys build --publish` (the build command's write-audit-publish)
        e = journeys(
            "build", "--publish", "--raw-data-dir", str(setup["b"]), "--as-of", HANDMADE_AS_OF,
            "--serving", str(serving), project=project,
        )  # fmt: skip
        assert e.returncode == 0, e.stderr[-3000:]
        assert "journeys publish: dbt build succeeded" in e.stderr
        assert e.stdout.startswith("journeys publish: published build ")
        assert f"(incremental) to {serving}: " in e.stdout
        id_e = _build_id(serving)
        assert e.stdout.split()[4] == id_e
        assert query(serving, "select count(*) from fct_events")[0][0] == 44
        assert id_e not in (id_a, id_b)
        assert not (serving.parent / ".journeys-work").exists()
        time.sleep(0.5)  # let the reader see E
    finally:
        stop.write_text("stop")
        reader.wait(timeout=30)

    records = [json.loads(line) for line in reader_log.read_text().splitlines()]
    errors = [r["error"] for r in records if "error" in r]
    assert errors == [], errors[:5]
    assert all(r["ok"] for r in records), [r for r in records if not r["ok"]][:3]
    order = {id_a: 0, id_b: 1, id_e: 2}
    seen = [r["build_id"] for r in records]
    assert set(seen) <= set(order), "the reader saw a build that was never published"
    assert {id_a, id_b, id_e} <= set(seen)
    ranks = [order[s] for s in seen]
    assert ranks == sorted(ranks), "the reader went back to an older publication"
    assert {r["events"] for r in records if r["build_id"] == id_a} == {41}
    assert {r["events"] for r in records if r["build_id"] != id_a} == {44}
    # it read all along: hundreds of reads, none held up by the builds
    assert len(records) > 200
    assert max(r["seconds"] for r in records) < 5.0


def test_publish_refuses_other_targets_and_selection(setup: dict) -> None:
    wrong = journeys(
        "publish",
        "--target",
        "postgres",
        "--serving",
        str(setup["root"] / "x" / "j.duckdb"),
        project=setup["project"],
    )
    assert wrong.returncode == 1
    assert wrong.stderr.strip().splitlines()[-1].startswith("journeys publish: publish serves")
    selected = journeys("build", "--publish", "--select", "fct_events", project=setup["project"])
    assert selected.returncode == 1
    assert "--publish builds the whole project" in selected.stderr


def test_publish_status(tmp_path: Path) -> None:
    nothing = journeys("publish", "--status", "--serving", str(tmp_path / "none.duckdb"))
    assert nothing.returncode == 0
    assert nothing.stdout.startswith("nothing published at")
