"""Every worked example in analyses/ compiles and runs on a real build, and
the CLI prints the headline figures of a build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import HANDMADE_AS_OF, PROJECT_DIR, copy_fixture, run_dbt

from journeys.project import DbtInvocation
from journeys.summary import format_headline, read_headline

ANALYSES = sorted(path.stem for path in (PROJECT_DIR / "analyses").glob("*.sql"))


@pytest.fixture(scope="module")
def compiled_analyses(handmade_db, tmp_path_factory) -> Path:
    """Compile analyses/ against the handmade inputs; return the folder of SQL."""
    workdir = tmp_path_factory.mktemp("analyses")
    raw = copy_fixture("handmade", workdir)
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=handmade_db,
        vars={"raw_data_dir": str(raw), "as_of": HANDMADE_AS_OF},
        target_path=workdir / "target",
    )
    run_dbt(invocation, ["compile", "--select", "path:analyses"])
    return workdir / "target" / "compiled" / "journeys" / "analyses"


def test_every_mart_has_a_worked_example():
    assert len(ANALYSES) >= 10


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_runs(handmade_db, compiled_analyses, name):
    sql = (compiled_analyses / f"{name}.sql").read_text()
    with duckdb.connect(str(handmade_db), read_only=True) as con:
        rows = con.execute(sql).fetchall()
    assert isinstance(rows, list)


def test_headline_figures(handmade_db):
    headline = read_headline(handmade_db)
    # as_of 2024-05-31: the latest month ended by then is April 2024
    assert headline.as_of == "2024-05-31 00:00:00"
    assert str(headline.period_start) == "2024-04-01"
    # April, all segments (hand-worked in test_marts_handmade): 6 active, 2 churned
    assert headline.customers_active == 6
    assert headline.churn_rate == pytest.approx(1 / 3, rel=1e-9)
    assert [row[:2] for row in headline.progression] == [
        ("awareness", "consideration"),
        ("consideration", "intent"),
        ("intent", "conversion"),
        ("conversion", "retention"),
        ("retention", "advocacy"),
    ]
    text = format_headline(headline)
    assert "figures for April 2024" in text
    assert "churn rate:   33.3% of 6 active customers" in text


def test_cli_summary_and_errors(handmade_db, tmp_path):
    journeys = str(Path(sys.executable).with_name("journeys"))
    ok = subprocess.run(
        [journeys, "summary", "--db", str(handmade_db)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("journeys: as of 2024-05-31 00:00:00 UTC")
    missing = subprocess.run(
        [journeys, "summary", "--db", str(tmp_path / "nope.duckdb")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0
    assert "no database at" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_cli_run_builds_then_summarises_in_one_process(tmp_path):
    """`journeys run` builds with dbtRunner and then reads the same DuckDB
    file in the same process (dbt-duckdb must have released it)."""
    raw = copy_fixture("handmade", tmp_path)
    journeys = str(Path(sys.executable).with_name("journeys"))
    result = subprocess.run(
        [
            journeys,
            "run",
            "--raw-data-dir",
            str(raw),
            "--as-of",
            HANDMADE_AS_OF,
            "--db",
            str(tmp_path / "run.duckdb"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "journeys: as of 2024-05-31 00:00:00 UTC; figures for April 2024" in result.stdout
    assert "churn rate:   33.3% of 6 active customers" in result.stdout


def test_channel_funnel_by_pattern_adds_up_to_the_mart(handmade_db, compiled_analyses):
    """The journey-pattern cut of the channel funnel (an analysis over
    fct_journeys, fct_events and dim_customers) splits rpt_channel_funnel's
    monthly channel rows exactly: every journey has one customer, so one
    pattern, and the patterns' figures add up to the mart's."""
    sql = (compiled_analyses / "channel_funnel_by_pattern.sql").read_text()
    with duckdb.connect(str(handmade_db), read_only=True) as con:
        cut = con.execute(
            f"""
            select
                cast(period_start as date), channel, count(distinct journey_pattern),
                sum(journeys_touched), sum(journeys_reached_intent),
                sum(journeys_converted), sum(revenue)
            from ({sql}) as by_pattern
            group by 1, 2
            order by 1, 2
            """
        ).fetchall()
        mart = con.execute(
            """
            select
                period_start, channel, journeys_touched, journeys_reached_intent,
                journeys_converted, revenue
            from rpt_channel_funnel
            where period_grain = 'month' and channel <> 'all' and journeys_touched > 0
            order by 1, 2
            """
        ).fetchall()
        patterns = con.execute("select count(distinct journey_pattern) from dim_customers")
        pattern_count = patterns.fetchone()[0]
        # the same cut, row by row, against the mart that ships it (D192)
        analysis_rows = con.execute(
            f"""
            select cast(period_start as date), journey_pattern, channel, journeys_touched,
                journeys_reached_intent, journeys_converted, revenue
            from ({sql}) as by_pattern
            order by 1, 2, 3
            """
        ).fetchall()
        mart_rows = con.execute(
            """
            select period_start, journey_pattern, channel, journeys_touched,
                journeys_reached_intent, journeys_converted, revenue
            from rpt_channel_funnel_by_pattern
            where period_grain = 'month' and journey_pattern <> 'all' and channel <> 'all'
                and journeys_touched > 0
            order by 1, 2, 3
            """
        ).fetchall()
    assert pattern_count >= 2, "the hand-made customers fall into several patterns"
    assert max(row[2] for row in cut) >= 2, "some channel-month is split across patterns"
    assert [(r[0], r[1], *r[3:6]) for r in cut] == [r[:5] for r in mart]
    assert [r[6] for r in cut] == pytest.approx([r[5] for r in mart], rel=1e-9)
    assert [r[:6] for r in analysis_rows] == [r[:6] for r in mart_rows]
    assert [r[6] for r in analysis_rows] == pytest.approx([r[6] for r in mart_rows], rel=1e-9)
