"""`journeys export` and `journeys report` on the hand-made build.

Export: Parquet read back with pyarrow and CSV with the csv module (tools
that are not DuckDB) hold exactly the marts' rows; the manifest describes
the files. Report: the numbers behind the charts are the hand-worked ones;
the page opens in headless Chromium with every chart rendered (non-blank
screenshots, no console errors); a mart that is not built gives a "not
built" panel.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from conftest import query
from PIL import Image
from serving_helpers import Browser, find_chromium, journeys

from journeys.export import export
from journeys.marts import connect_read_only, public_marts
from journeys.report import CHARTS, chart_data, render_report

MARTS = [
    "dim_customers", "dropped_duplicate_rows", "fct_events", "fct_journeys", "fct_sessions",
    "fct_stage_transitions", "rejected_rows", "rpt_churn", "rpt_customer_effort",
    "rpt_data_quality", "rpt_satisfaction", "rpt_stage_progression",
]  # fmt: skip


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


def _duckdb_rows(db: Path, mart: str) -> list[tuple]:
    return query(db, f"select * from {mart} order by all")


def _plain(value: object) -> object:
    """A DuckDB value as the export writes it (UTC instants, plain numbers)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC)
    return value


def test_export_parquet_reads_back_without_duckdb(handmade_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    result = journeys("export", "--format", "parquet", "--out", str(out), "--db", str(handmade_db))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    with duckdb.connect(str(handmade_db), read_only=True) as con:
        expected = public_marts(con)
    assert [m["name"] for m in manifest["models"]] == expected
    assert set(MARTS) <= set(expected)  # the original marts, fct_events (a view) among them
    assert manifest["format"] == "parquet"
    assert manifest["as_of"] == "2024-05-31T00:00:00Z"
    assert manifest["source_database"] == str(handmade_db)
    assert manifest["built_at_source"] == "database file modification time"
    for entry in manifest["models"]:
        path = out / entry["file"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size
        table = pq.read_table(path)
        expected = _duckdb_rows(handmade_db, entry["name"])
        assert table.num_rows == entry["rows"] == len(expected), entry["name"]
        assert table.column_names == [c["name"] for c in entry["columns"]]
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        rows = list(zip(*columns, strict=True))
        assert rows == [tuple(_plain(v) for v in row) for row in expected], entry["name"]
    # hand-made: 41 clean events, 11 journeys (test_marts_handmade)
    counts = {m["name"]: m["rows"] for m in manifest["models"]}
    assert (counts["fct_events"], counts["fct_journeys"]) == (41, 11)
    # counts are plain 64-bit integers (DuckDB's HUGEINT sums are narrowed)
    journeys_schema = pq.read_schema(out / "fct_journeys.parquet")
    assert str(journeys_schema.field("touchpoint_count").type) == "int64"
    assert str(journeys_schema.field("started_at").type) == "timestamp[us, tz=UTC]"


def test_export_csv_subset(handmade_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    manifest = export(handmade_db, out, "csv", ["rpt_churn", "fct_journeys"])
    assert sorted(p.name for p in out.iterdir()) == [
        "fct_journeys.csv", "manifest.json", "rpt_churn.csv"
    ]  # fmt: skip
    assert [m["name"] for m in manifest["models"]] == ["rpt_churn", "fct_journeys"]
    with (out / "rpt_churn.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == manifest["models"][0]["rows"] == 27 * 4
    april = next(
        r
        for r in rows
        if (r["period_grain"], r["period_start"], r["segment"]) == ("month", "2024-04-01", "all")
    )
    # hand-worked: 6 active at April 1, 2 churned (c1 Apr 11, c6 Apr 19)
    assert (april["customers_active_at_start"], april["customers_churned"]) == ("6", "2")
    assert float(april["churn_rate"]) == pytest.approx(1 / 3)
    with (out / "fct_journeys.csv").open() as handle:
        journey = next(
            r for r in csv.DictReader(handle) if r["started_at"].startswith("2024-01-02")
        )
    assert journey["started_at"] == "2024-01-02T09:00:00.000000Z"  # ISO, UTC
    assert journey["is_converted"] == "true"


def test_export_errors_are_one_line(handmade_db: Path, tmp_path: Path) -> None:
    bad = journeys("export", "--out", str(tmp_path), "--db", str(handmade_db), "--models", "nope")
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1
    assert bad.stderr.startswith("journeys export: not a built public mart: nope (available: ")
    missing = journeys("export", "--out", str(tmp_path), "--db", str(tmp_path / "no.duckdb"))
    assert missing.returncode == 1
    assert missing.stderr == f"journeys export: no database at {tmp_path / 'no.duckdb'}\n"
    assert not list(tmp_path.glob(".export-*"))


# ---------------------------------------------------------------------------
# Report: the data behind each chart, hand-worked
# ---------------------------------------------------------------------------


def test_chart_data_is_hand_worked(handmade_db: Path) -> None:
    with connect_read_only(handmade_db) as con:
        funnel = chart_data(con, "funnel")
        stages, at_stage, transitions = chart_data(con, "stage_flow")
        channels = {row[0]: row[1:] for row in chart_data(con, "satisfaction_effort")[0]}
        churn = chart_data(con, "churn")[0]
    # highest stage of the 11 journeys (test_marts_handmade EXPECTED_JOURNEYS):
    # advocacy c1 J1, c1 J2; conversion c3 J2, v9; intent c3 J1, c5;
    # consideration c2 J1, c4 J1, c6; awareness c2 J2, c4 J2
    assert funnel == (
        [("awareness", 11), ("consideration", 9), ("intent", 6), ("conversion", 4),
         ("retention", 2), ("advocacy", 2)],
        11,
    )  # fmt: skip
    # journeys at each stage = those starting there (9 at awareness, c2 J1 at
    # consideration, c3 J2 at conversion) + the transitions into it
    assert transitions == [
        ("awareness", "consideration", 6), ("awareness", "intent", 1),
        ("consideration", "conversion", 1), ("consideration", "intent", 3),
        ("conversion", "advocacy", 1), ("conversion", "retention", 1),
        ("intent", "conversion", 2), ("retention", "advocacy", 1),
    ]  # fmt: skip
    assert at_stage == {
        "awareness": 9, "consideration": 7, "intent": 4, "conversion": 4, "retention": 1,
        "advocacy": 2,
    }  # fmt: skip
    assert stages == ["awareness", "consideration", "intent", "conversion", "retention", "advocacy"]
    # over all months; responses and first conversions as in test_marts_handmade:
    # web CSAT 5, 3, 4; NPS 10, 6, 9; CES 2, 3, 1; touchpoints c3 J2 0, c1 J2 4, v9 3
    # email CSAT 4, 1; NPS 9, 0, 8; CES 7; app: c1 J1's 6 touchpoints, no survey
    approx = pytest.approx
    assert channels["all"] == approx((60.0, 5, 100 / 6, 6, 3.25, 4, 3.25, 4))
    assert channels["web"] == approx((200 / 3, 3, 100 / 3, 3, 2.0, 3, 7 / 3, 3))
    assert channels["email"][:6] == approx((50.0, 2, 0.0, 3, 7.0, 1))
    assert channels["email"][6:] == (None, 0)
    assert channels["app"][:6] == (None, 0, None, 0, None, 0)
    assert channels["app"][6:] == approx((6.0, 1))
    assert (dt.date(2024, 4, 1), "all", approx(1 / 3), 2, 6) in churn


# ---------------------------------------------------------------------------
# Report: the page
# ---------------------------------------------------------------------------


ATTRIBUTION_ROWS = [
    ("first_touch", "ads", 2.0, 180.0), ("first_touch", "social", 1.0, 25.0),
    ("last_touch", "web", 3.0, 205.0), ("linear", "ads", 1.2, 100.0),
    ("linear", "web", 1.8, 105.0), ("markov", "web", 2.5, 170.0), ("markov", "ads", 0.5, 35.0),
]  # fmt: skip


@pytest.fixture(scope="module")
def full_db(handmade_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made build plus stand-ins for the two marts other branches
    build (rpt_channel_attribution, rpt_customer_lifetime_value; SPEC 5
    columns), so that every chart of the report is drawn."""
    db = tmp_path_factory.mktemp("full_report") / "journeys.duckdb"
    shutil.copyfile(handmade_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "create or replace table rpt_channel_attribution (model varchar, channel varchar,"
            " attributed_conversions double, attributed_revenue double)"
        )
        con.executemany("insert into rpt_channel_attribution values (?, ?, ?, ?)", ATTRIBUTION_ROWS)
        con.execute(
            "create or replace table rpt_customer_lifetime_value as select * from (values"
            " ('all', 3, 5, 285.5, 57.1, 2.1, 0.1, 12.0), ('gold', 1, 3, 230.5, 76.8, 4.0, 0.4,"
            " 122.9), ('silver', 1, 1, 30.0, 30.0, 1.0, 0.0, 0.0)) as t(segment, purchasers,"
            " purchases, revenue, average_purchase_value, purchase_frequency_per_year,"
            " average_lifespan_years, clv)"
        )
    return db


def test_report_without_optional_marts(handmade_db: Path, tmp_path: Path) -> None:
    # a build without the attribution and lifetime-value marts (an older
    # project, or a partial --select build): their panels say "not built"
    db = tmp_path / "partial.duckdb"
    shutil.copyfile(handmade_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("drop table rpt_channel_attribution cascade")
        con.execute("drop table rpt_customer_lifetime_value cascade")
    result = journeys("report", "--out", str(tmp_path), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "5 charts; not built: attribution, lifetime_value" in result.stdout
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert pngs == sorted(
        f"{key}.png"
        for key in ("funnel", "stage_progression", "stage_flow", "churn", "satisfaction_effort")
    )
    page = (tmp_path / "index.html").read_text()
    assert page.count('<img class="chart"') == 5
    assert 'id="missing-attribution">Not built: rpt_channel_attribution is not in' in page
    assert 'id="missing-lifetime_value">Not built: rpt_customer_lifetime_value' in page
    # self-contained: nothing is loaded from anywhere else
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert page.count('src="data:image/png;base64,') == 5
    assert "As of 2024-05-31 00:00:00 UTC" in page


def _non_blank(png: bytes) -> tuple[float, int]:
    """(share of pixels that are not near-white, number of distinct colours)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    inked = int((pixels.min(axis=1) < 235).sum())
    return inked / len(pixels), len(np.unique(pixels, axis=0))


@pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
def test_report_renders_in_headless_chromium(full_db: Path, tmp_path: Path) -> None:
    report = render_report(full_db, tmp_path / "report")
    assert [p.key for p in report.panels if p.png is None] == []
    browser = Browser(find_chromium(), tmp_path / "profile", tmp_path / "chromium.log")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            browser.send(domain, session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        browser.send("Page.navigate", {"url": report.html_path.as_uri()}, session=session)
        browser.wait_for_event("Page.loadEventFired", session)
        images = json.loads(
            browser.send(
                "Runtime.evaluate",
                {
                    "expression": "JSON.stringify([...document.images].map(i => ({id: i.id,"
                    " complete: i.complete, width: i.naturalWidth, height: i.naturalHeight,"
                    " x: i.getBoundingClientRect().x + window.scrollX,"
                    " y: i.getBoundingClientRect().y + window.scrollY,"
                    " w: i.getBoundingClientRect().width, h: i.getBoundingClientRect().height})))",
                    "returnByValue": True,
                },
                session=session,
            )["result"]["value"]
        )
        assert [i["id"] for i in images] == [f"chart-{spec.key}" for spec in CHARTS]
        for image in images:
            key = image["id"].removeprefix("chart-")
            on_disk = Image.open(tmp_path / "report" / f"{key}.png")
            assert image["complete"] and (image["width"], image["height"]) == on_disk.size, key
            shot = browser.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {
                        "x": image["x"],
                        "y": image["y"],
                        "width": image["w"],
                        "height": image["h"],
                        "scale": 1,
                    },
                },
                session=session,
            )
            inked, colours = _non_blank(base64.b64decode(shot["data"]))
            assert inked > 0.02 and colours > 20, f"{key} looks blank ({inked:.3f}, {colours})"
        metrics = browser.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
        page_shot = base64.b64decode(
            browser.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {
                        "x": 0,
                        "y": 0,
                        "width": metrics["width"],
                        "height": metrics["height"],
                        "scale": 0.5,
                    },
                },
                session=session,
            )["data"]
        )
        (tmp_path / "page.png").write_bytes(page_shot)
        assert _non_blank(page_shot)[0] > 0.02
        problems = [
            event
            for event in browser.events
            if event.get("method") == "Runtime.exceptionThrown"
            or (
                event.get("method") == "Runtime.consoleAPICalled"
                and event["params"]["type"] in ("error", "assert")
            )
            or (
                event.get("method") == "Log.entryAdded"
                and event["params"]["entry"]["level"] == "error"
            )
        ]
        assert problems == []
    finally:
        browser.close()
