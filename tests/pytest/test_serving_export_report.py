"""`journeys export` and `journeys report` on the hand-made build.

Export: Parquet read back with pyarrow and CSV with the csv module (tools
that are not DuckDB) hold exactly the marts' rows; the manifest describes
the files. Report, on the real hand-made build (every chart, attribution
and lifetime value included): the numbers behind the charts are the
hand-worked ones; the charts' bars and lines, read back from the figures,
are those numbers; each PNG is exactly the drawing of that data and shows
its series' colours; the page opens in headless Chromium with every chart
rendered (each screenshot the same picture as its PNG, non-blank; no
console errors), and in CI (CI=true) a missing Chromium fails instead of
skipping; a mart that is not built gives a "not built" panel.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import shutil
from fractions import Fraction
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
import serving_helpers
from conftest import query
from matplotlib import pyplot as plt
from PIL import Image
from serving_helpers import Browser, journeys

from journeys import charts
from journeys.charts import MIN_PROGRESSION_CUSTOMERS
from journeys.export import export
from journeys.marts import connect_read_only, public_marts
from journeys.report import CHARTS, Settings, chart_data, draw_png, render_report

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


def test_export_csv_writes_lists_as_json(handmade_db: Path, tmp_path: Path) -> None:
    manifest = export(handmade_db, tmp_path, "csv", ["fct_conversion_paths"])
    columns = {c["name"]: c["type"] for c in manifest["models"][0]["columns"]}
    assert columns["channel_list"] == "JSON"
    with (tmp_path / "fct_conversion_paths.csv").open() as handle:
        rows = {r["conversion_event_id"]: r for r in csv.DictReader(handle)}
    # c1's first purchase e108: ad_click, four web touches, checkout_start on app
    assert json.loads(rows["e108"]["channel_list"]) == ["ads", "web", "web", "web", "web", "app"]
    assert rows["e108"]["channel_path"] == "ads > web > web > web > web > app"
    assert json.loads(rows["e305"]["channel_list"]) == ["direct"]


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


# Attribution on the hand-made build (as_of 2024-05-31, look-back 30 days,
# half-life 7 days), from the journeys of test_marts_handmade. Conversion
# paths (touchpoints of the journey after its previous conversion):
#   e108 c1 J1  ads > web > web > web > web > app     revenue 100
#   e110 c1 J1  email (e109; e108 came before it)      50.50
#   e118 c1 J2  app > app > email > web                80
#   e305 c3 J2  direct (the journey starts with it)    30
#   e904 v9     social > web > web                     25
# 5 conversions, revenue 285.5. Null paths (closed journeys, after the last
# conversion): c1 J1 web (e111); c2 J1 web > web; c3 J1 web > chat (e301 is
# 30 d 5 min older than e303: out; e302 exactly 30 d: in); c3 J2 email;
# c4 J1 email > email; c4 J2 web > unknown (e404, no channel); c5 social >
# web > web; c6 web > store. Open at as_of: c1 J2, c2 J2 (exactly 30 days),
# v9. Channels of the chain: ads app chat direct email social store unknown
# web; chat, store and unknown credit nothing under any model.
REVENUE = {"e108": 100.0, "e110": 50.5, "e118": 80.0, "e305": 30.0, "e904": 25.0}
PATHS = {
    "e108": ["ads", "web", "web", "web", "web", "app"],
    "e110": ["email"],
    "e118": ["app", "app", "email", "web"],
    "e305": ["direct"],
    "e904": ["social", "web", "web"],
}
# Ages of the touches in minutes before the conversion (time decay):
#   e108 at Jan 2 10:35: e102 09:10, e103 09:40, e104 10:10:01, e105 and e106
#   10:20, e107 10:30; e118 at May 10 09:10: e113 Apr 20 15:00 (19 d 18 h 10
#   min), e114 15:10, e115 May 1 00:00 (9 d 9 h 10 min), e116 May 10 09:00;
#   e904 at May 28 09:30: e901 May 27 00:00, e902 00:20, e903 May 28 09:00.
DAY = 1440
AGES_MINUTES = {
    "e108": [85, 55, 24 + 59 / 60, 15, 15, 5],
    "e110": [0],
    "e118": [19 * DAY + 18 * 60 + 10, 19 * DAY + 18 * 60, 9 * DAY + 9 * 60 + 10, 10],
    "e305": [0],
    "e904": [DAY + 9 * 60 + 30, DAY + 9 * 60 + 10, 30],
}


def _rule_credits(path: list[str], ages: list[float]) -> dict[str, list[float]]:
    """SPEC 6's rule-based credits of one path's touches, in touch order."""
    n = len(path)
    decay = [2 ** (-age / DAY / 7) for age in ages]
    if n == 1:
        position = [1.0]
    elif n == 2:
        position = [0.5, 0.5]
    else:
        position = [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4]
    return {
        "first_touch": [1.0] + [0.0] * (n - 1),
        "last_touch": [0.0] * (n - 1) + [1.0],
        "linear": [1 / n] * n,
        "position_based": position,
        "time_decay": [w / sum(decay) for w in decay],
    }


# Markov, by hand. Steps (13 paths: 5 conversion, 8 null):
#   start: web 5, email 3, social 2, ads 1, app 1, direct 1
#   web: web 6, null 3, conversion 2, app 1, chat 1, store 1, unknown 1 (15)
#   email: null 2, conversion 1, web 1, email 1 (5); app: conversion 1, app
#   1, email 1 (3); ads: web 1; social: web 2; direct: conversion 1;
#   chat, store, unknown: null 1.
# x_s = P(conversion from s): 9 x_web = x_app + 2; 2 x_app = 1 + x_email;
# 4 x_email = 1 + x_web; so x_web = 21/71, x_email = 23/71, x_app = 47/71,
# x_ads = x_social = x_web, x_direct = 1; P = 355 / (71 x 13) = 5/13.
# Removing a channel (steps into it go to null), P without it and the effect
# 1 - P' / P:  ads 334/923: 21/355; social 313/923: 42/355; direct 284/923:
# 1/5; app (x_web = 2/9, x_email = 11/36) 133/468: 47/180; email (x_app =
# 1/2, x_web = 5/18) 67/234: 23/90; web (x_email = 1/4, x_app = 5/8) 19/104:
# 21/40; chat, store, unknown: 0 (they only lead to null).
MARKOV_EFFECTS = {
    "ads": Fraction(21, 355), "app": Fraction(47, 180), "chat": Fraction(0),
    "direct": Fraction(1, 5), "email": Fraction(23, 90), "social": Fraction(42, 355),
    "store": Fraction(0), "unknown": Fraction(0), "web": Fraction(21, 40),
}  # fmt: skip
CHANNELS = sorted(MARKOV_EFFECTS)
MODELS = ["first_touch", "last_touch", "linear", "position_based", "time_decay", "markov"]


def expected_attribution() -> dict[tuple[str, str], tuple[float, float]]:
    expected = {(m, c): [0.0, 0.0] for m in MODELS for c in CHANNELS}
    for conversion, path in PATHS.items():
        for model, credits in _rule_credits(path, AGES_MINUTES[conversion]).items():
            for channel, credit in zip(path, credits, strict=True):
                expected[(model, channel)][0] += credit
                expected[(model, channel)][1] += credit * REVENUE[conversion]
    total = sum(MARKOV_EFFECTS.values())  # 12091 / 8520
    for channel, effect in MARKOV_EFFECTS.items():
        expected[("markov", channel)] = [float(5 * effect / total), 285.5 * float(effect / total)]
    for model in MODELS:
        expected[(model, "all")] = [5.0, 285.5]
    return {k: tuple(v) for k, v in expected.items()}


# Lifetime value (purchases e108, e110, e118 of c1; e305 of c3; e904 of v9):
#   gold c1, c4: 1 purchaser, 3 purchases, 230.5; earliest Jan 2 10:35, 149 d
#   13 h 25 min before as_of; c1's lifespan Jan 2 10:35 -> May 10 09:10 =
#   128 d 22 h 35 min; clv = (230.5 / 3) x (3 / years observed) x lifespan
#   = 230.5 x lifespan / observed.
#   silver c3, c6 and unknown c2, c5, v9: one single purchase each: clv 0.
#   all: 3 purchasers, 5 purchases, 285.5, the same earliest purchase;
#   clv = 57.1 x (5 / 3 / observed) x (lifespan / 3) = 285.5 x lifespan / 9 / observed.
OBSERVED_MINUTES = 149 * DAY + 13 * 60 + 25
LIFESPAN_MINUTES = 128 * DAY + 22 * 60 + 35
CLV = {
    "all": (3, 285.5 * LIFESPAN_MINUTES / 9 / OBSERVED_MINUTES),
    "gold": (1, 230.5 * LIFESPAN_MINUTES / OBSERVED_MINUTES),
    "silver": (1, 0.0),
    "unknown": (1, 0.0),
}

# Stage progression, month rows (test_marts_handmade EXPECTED_SPR works the
# instants): the cells with customers at the month start, as (customers,
# rate); every other cell of the 5 months x 4 segments x 5 pairs has 0 and
# a null rate. gold c1, c4; silver c3, c6; unknown c2, c5, v9.
#   Feb: c4 and c6 at consideration, neither moves. Mar: c3 at intent.
#   Apr: c2, c5 at consideration (c5 reaches intent Apr 1 00:00); c3 intent.
#   May: c4 J2 awareness; c1 J2 consideration (intent May 10); c5 intent;
#   c3 J2 conversion.
FEB, MAR, APR, MAY = (dt.date(2024, m, 1) for m in (2, 3, 4, 5))
PROGRESSION = {
    (FEB, "all", "consideration"): (2, 0.0), (FEB, "gold", "consideration"): (1, 0.0),
    (FEB, "silver", "consideration"): (1, 0.0),
    (MAR, "all", "intent"): (1, 0.0), (MAR, "silver", "intent"): (1, 0.0),
    (APR, "all", "consideration"): (2, 0.5), (APR, "unknown", "consideration"): (2, 0.5),
    (APR, "all", "intent"): (1, 0.0), (APR, "silver", "intent"): (1, 0.0),
    (MAY, "all", "awareness"): (1, 0.0), (MAY, "gold", "awareness"): (1, 0.0),
    (MAY, "all", "consideration"): (1, 1.0), (MAY, "gold", "consideration"): (1, 1.0),
    (MAY, "all", "intent"): (1, 0.0), (MAY, "unknown", "intent"): (1, 0.0),
    (MAY, "all", "conversion"): (1, 0.0), (MAY, "silver", "conversion"): (1, 0.0),
}  # fmt: skip
STAGES = ["awareness", "consideration", "intent", "conversion", "retention", "advocacy"]
PAIRS = list(itertools.pairwise(STAGES))
MONTHS = [dt.date(2024, m, 1) for m in range(1, 6)]
SEGMENTS = ["all", "gold", "silver", "unknown"]


def test_attribution_lifetime_value_and_progression_data_are_hand_worked(
    handmade_db: Path,
) -> None:
    with connect_read_only(handmade_db) as con:
        [attribution] = chart_data(con, "attribution")
        [lifetime] = chart_data(con, "lifetime_value")
        progression, min_customers = chart_data(con, "stage_progression")
        progression_2 = chart_data(con, "stage_progression", Settings(min_customers=2))
    # the legend's order is the rows': first_touch ... time_decay, markov
    assert list(dict.fromkeys(row[0] for row in attribution)) == MODELS
    want = expected_attribution()
    assert [row[:2] for row in attribution] == [(m, c) for m in MODELS for c in sorted(
        [*CHANNELS, "all"])]  # fmt: skip
    for model, channel, conversions, revenue in attribution:
        assert (conversions, revenue) == pytest.approx(want[(model, channel)], rel=1e-9), (
            model,
            channel,
        )
    assert {row[0]: (row[1], row[2]) for row in lifetime} == {
        segment: (purchasers, pytest.approx(clv, rel=1e-9))
        for segment, (purchasers, clv) in CLV.items()
    }
    assert min_customers == MIN_PROGRESSION_CUSTOMERS and progression_2[1] == 2
    assert progression_2[0] == progression
    expected_rows = []
    for from_stage, to_stage in PAIRS:
        for month in MONTHS:
            for segment in SEGMENTS:
                customers, rate = PROGRESSION.get((month, segment, from_stage), (0, None))
                expected_rows.append((month, segment, from_stage, to_stage, rate, customers))
    assert progression == expected_rows


# ---------------------------------------------------------------------------
# Report: the charts draw that data (their artists, read back)
# ---------------------------------------------------------------------------


def _figure(handmade_db: Path, key: str, settings: Settings | None = None):
    spec = next(s for s in CHARTS if s.key == key)
    with connect_read_only(handmade_db) as con:
        return spec.draw(*chart_data(con, key, settings))


def _bars(ax) -> dict[str, list[float]]:
    """{label: bar heights (vertical) or widths (horizontal)} of an axes."""
    out = {}
    for container in ax.containers:
        patches = list(container)
        horizontal = container.orientation == "horizontal"
        out[container.get_label()] = [
            p.get_width() if horizontal else p.get_height() for p in patches
        ]
    return out  # fmt: skip


def test_attribution_chart_draws_conversions_and_revenue_per_model(handmade_db: Path) -> None:
    figure = _figure(handmade_db, "attribution")
    conversions_ax, revenue_ax = figure.axes
    want = expected_attribution()
    for ax, measure in ((conversions_ax, 0), (revenue_ax, 1)):
        assert [t.get_text() for t in ax.get_xticklabels()] == CHANNELS  # no 'all'
        bars = _bars(ax)
        assert list(bars) == MODELS  # legend order
        for model, heights in bars.items():
            assert heights == pytest.approx([want[(model, c)][measure] for c in CHANNELS])
    legend = figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == MODELS
    plt.close(figure)


def test_lifetime_value_and_satisfaction_charts(handmade_db: Path) -> None:
    figure = _figure(handmade_db, "lifetime_value")
    [ax] = figure.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == ["all", "gold", "silver", "unknown"]
    [heights] = _bars(ax).values()
    assert heights == pytest.approx([CLV[s][1] for s in ("all", "gold", "silver", "unknown")])
    plt.close(figure)
    figure = _figure(handmade_db, "satisfaction_effort")
    # each measure on its own scale, never beyond: CSAT 0-100 %, NPS -100 to
    # 100, CES 0-7 (touchpoints: from the data)
    assert [ax.get_xlim() for ax in figure.axes[:3]] == [(0, 100), (-100, 100), (0, 7)]
    csat = next(iter(_bars(figure.axes[0]).values()))
    # channels all, app, email, web (top to bottom): CSAT 60, n/a (0), 50, 66.7
    assert csat == pytest.approx([60.0, 0.0, 50.0, 200 / 3])
    plt.close(figure)


def test_stage_progression_chart_hides_rates_from_few_customers(handmade_db: Path) -> None:
    def drawn(figure) -> dict[tuple[str, str], dict[str, list[float]]]:
        top = figure.axes[: len(PAIRS)]
        return {
            pair: {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
            for pair, ax in zip(PAIRS, top, strict=True)
        }

    nan = float("nan")
    # at least 2 customers at the month start: only Feb (all 0 %) and Apr
    # (all and unknown 50 %) at consideration -> intent; every 1-customer
    # point (c4 in Feb, c3 in Mar and Apr, May's four) is left out
    figure = _figure(handmade_db, "stage_progression", Settings(min_customers=2))
    lines = drawn(figure)
    assert {pair: list(by) for pair, by in lines.items() if by} == {
        ("consideration", "intent"): ["all", "unknown"]
    }
    got = lines[("consideration", "intent")]
    assert got["all"] == pytest.approx([nan, 0.0, nan, 50.0, nan], nan_ok=True)
    assert got["unknown"] == pytest.approx([nan, nan, nan, 50.0, nan], nan_ok=True)
    # the n behind them, every segment, below each panel
    counts = _bars(figure.axes[len(PAIRS) + 1])
    assert list(counts) == SEGMENTS
    # customers at consideration at each month start, Jan to May
    assert counts == {"all": [0, 2, 0, 2, 1], "gold": [0, 1, 0, 0, 1],
                      "silver": [0, 1, 0, 0, 0], "unknown": [0, 0, 0, 2, 0]}  # fmt: skip
    plt.close(figure)
    # at least 1: every rate is drawn, e.g. May's 100 % for gold
    lines = drawn(_figure(handmade_db, "stage_progression", Settings(min_customers=1)))
    assert lines[("consideration", "intent")]["gold"] == pytest.approx(
        [nan, 0.0, nan, nan, 100.0], nan_ok=True
    )
    assert lines[("intent", "conversion")]["silver"] == pytest.approx(
        [nan, nan, 0.0, 0.0, nan], nan_ok=True
    )
    # the default minimum hides every hand-made rate (none has 10 customers)
    lines = drawn(_figure(handmade_db, "stage_progression"))
    assert all(not by for by in lines.values())
    plt.close("all")


# ---------------------------------------------------------------------------
# Report: the page
# ---------------------------------------------------------------------------


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
    # the caption names the minimum the progression chart used
    assert "at least 10 customers were at A" in page


def test_min_customers_option(handmade_db: Path, tmp_path: Path) -> None:
    from journeys import cli

    assert cli.MIN_PROGRESSION_CUSTOMERS == MIN_PROGRESSION_CUSTOMERS
    result = journeys("report", "--out", str(tmp_path), "--db", str(handmade_db),
                      "--min-customers", "2")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "at least 2 customers were at A" in (tmp_path / "index.html").read_text()
    bad = journeys("report", "--out", str(tmp_path), "--db", str(handmade_db),
                   "--min-customers", "0")  # fmt: skip
    assert (bad.returncode, bad.stderr) == (
        1, "journeys report: --min-customers must be at least 1, not 0\n"
    )  # fmt: skip


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _colour_pixels(pixels: np.ndarray, color: str, tolerance: int = 6) -> int:
    return int((np.abs(pixels - _rgb(color)).max(axis=2) <= tolerance).sum())


def _inked(pixels: np.ndarray) -> float:
    return float((pixels.min(axis=2) < 235).mean())


# Colours each chart must show, because the hand-made data gives them
# something to draw: every stage of the funnel and the flow (the funnel has
# journeys at each), a bar colour per attribution model (each credits some
# channel), the all-segment series and the segments' of churn, the `all` and
# channel bars of satisfaction and lifetime value, and at min_customers 2
# the progression lines of `all` and `unknown`.
def _expected_colours(key: str) -> list[str]:
    segments = charts._colors(SEGMENTS)
    return {
        "funnel": charts.STAGE_COLORS,
        "stage_flow": charts.STAGE_COLORS,
        "stage_progression": [segments["all"], segments["unknown"]],
        "churn": [segments[s] for s in SEGMENTS],
        "satisfaction_effort": [charts.ALL_COLOR, "#0072B2"],
        "attribution": charts.PALETTE[: len(MODELS)],
        "lifetime_value": [charts.ALL_COLOR, "#009E73"],
    }[key]


def test_chromium_is_required_in_ci(monkeypatch) -> None:
    monkeypatch.setattr(serving_helpers, "find_chromium", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium is required in CI"):
        serving_helpers.chromium_or_skip()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        serving_helpers.chromium_or_skip()


def test_report_renders_in_headless_chromium(handmade_db: Path, tmp_path: Path) -> None:
    """The real hand-made build, every chart (attribution and lifetime value
    included): each PNG is exactly the drawing of the hand-worked chart data
    above and shows the colours of its series; the page opens in headless
    Chromium with every image loaded at its size, each screenshot non-blank
    and the same picture as the PNG, and no console errors."""
    binary = serving_helpers.chromium_or_skip()
    settings = Settings(min_customers=2)
    report = render_report(handmade_db, tmp_path / "report", settings)
    assert [p.key for p in report.panels if p.png is None] == []
    with connect_read_only(handmade_db) as con:
        for spec, panel in zip(CHARTS, report.panels, strict=True):
            # the PNG is the chart of exactly the data the tests check
            assert panel.png == draw_png(spec, chart_data(con, spec.key, settings)), spec.key
            assert (tmp_path / "report" / f"{spec.key}.png").read_bytes() == panel.png
            pixels = _pixels(panel.png)
            missing = [c for c in _expected_colours(spec.key) if _colour_pixels(pixels, c) < 15]
            assert missing == [], f"{spec.key}: no {missing} in the PNG"
    browser = Browser(binary, tmp_path / "profile", tmp_path / "chromium.log")
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
        # no scrollbar: a full-page capture would otherwise drop it and shift
        # the centred page by half its width between layout and screenshot
        browser.send("Emulation.setScrollbarsHidden", {"hidden": True}, session=session)
        browser.send("Page.navigate", {"url": report.html_path.as_uri()}, session=session)
        browser.wait_for_event("Page.loadEventFired", session)
        images = json.loads(
            browser.send(
                "Runtime.evaluate",
                {
                    "expression": "JSON.stringify([...document.images].map(i => ({id: i.id,"
                    " complete: i.complete, width: i.naturalWidth, height: i.naturalHeight,"
                    # the picture inside the image's border (its content box)
                    " x: i.getBoundingClientRect().x + window.scrollX + i.clientLeft,"
                    " y: i.getBoundingClientRect().y + window.scrollY + i.clientTop,"
                    " w: i.clientWidth, h: i.clientHeight})))",
                    "returnByValue": True,
                },
                session=session,
            )["result"]["value"]
        )
        assert [i["id"] for i in images] == [f"chart-{spec.key}" for spec in CHARTS]
        for image, panel in zip(images, report.panels, strict=True):
            key = panel.key
            on_disk = Image.open(io.BytesIO(panel.png))
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
            seen = _pixels(base64.b64decode(shot["data"]))
            # the browser shows this PNG, not a broken image or an empty
            # frame: pixel for pixel when shown at its own size, else (wider
            # than the page, scaled down) the same picture within a mean
            # difference of 3 of 255 (another chart differs by 7 to 30)
            if (seen.shape[1], seen.shape[0]) == on_disk.size:
                assert np.array_equal(seen, _pixels(panel.png)), f"{key}: not the PNG"
            else:
                drawn = on_disk.convert("RGB").resize(
                    (seen.shape[1], seen.shape[0]), Image.Resampling.BOX
                )
                difference = float(np.abs(seen - np.asarray(drawn).astype(int)).mean())
                assert difference < 3, f"{key}: the screenshot is not the PNG ({difference:.1f})"
            assert _inked(seen) > 0.03, f"{key} looks blank ({_inked(seen):.3f})"
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
        assert _inked(_pixels(page_shot)) > 0.02
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
