"""Trends and prediction (issue 9): the normal CDF macro against known
values, the backtest's metrics on hand-worked cases, the trend alerts on a
planted change and on a stationary series of the same size, and the
backtest end to end on the sample."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import subprocess
from pathlib import Path

import pytest
from conftest import DBT, PROJECT_DIR, query, query_dicts

from journeys import generate
from journeys.backtest import auc, brier, calibration, run_backtest
from journeys.project import DbtInvocation

# --------------------------------------------------------------------------
# journeys_normal_cdf (Abramowitz-Stegun 26.2.17, |error| < 7.5e-8)
# --------------------------------------------------------------------------
# Phi(x) to 16 digits (tables of the standard normal distribution).
KNOWN_PHI = {
    -3.0: 0.0013498980316300946,
    -1.959963984540054: 0.025,
    -1.0: 0.15865525393145707,
    0.0: 0.5,
    0.5: 0.6914624612740131,
    1.0: 0.8413447460685429,
    1.6448536269514722: 0.95,
    2.5758293035489004: 0.995,
    4.0: 0.9999683287581669,
}


def test_normal_cdf_matches_known_values(tmp_path: Path) -> None:
    columns = ", ".join(
        f"{{{{ journeys_normal_cdf('cast({x!r} as double)') }}}} as phi_{i}"
        for i, x in enumerate(KNOWN_PHI)
    )
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=tmp_path / "cdf.duckdb",
        target_path=tmp_path / "target",
    )
    result = subprocess.run(
        [DBT, *invocation.args(["show", "--inline", f"select {columns}", "--output", "json"])],
        cwd=PROJECT_DIR,
        env=invocation.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    payload = result.stdout[result.stdout.index('{\n  "show"') :]
    row = json.loads(payload[: payload.rindex("}") + 1])["show"][0]
    for i, expected in enumerate(KNOWN_PHI.values()):
        assert row[f"phi_{i}"] == pytest.approx(expected, abs=7.5e-8)


# --------------------------------------------------------------------------
# backtest metrics, hand-worked
# --------------------------------------------------------------------------
def test_auc_by_hand() -> None:
    # positives 0.9, 0.4; negatives 0.8, 0.1: pairs (pos > neg) = (0.9>0.8),
    # (0.9>0.1), (0.4>0.1) = 3 of 4.
    assert auc([0.9, 0.4, 0.8, 0.1], [1, 1, 0, 0]) == 0.75
    # a tie between a positive and a negative counts half: 0.5 of 1 pair
    assert auc([0.3, 0.3], [1, 0]) == 0.5
    # perfect ranking, and undefined with one class
    assert auc([0.2, 0.6, 0.7], [0, 1, 1]) == 1.0
    assert auc([0.2, 0.6], [1, 1]) is None


def test_brier_by_hand() -> None:
    # ((0.9 - 1)^2 + (0.2 - 0)^2) / 2 = (0.01 + 0.04) / 2 = 0.025
    assert brier([0.9, 0.2], [1, 0]) == pytest.approx(0.025)
    assert brier([], []) is None


def test_calibration_deciles_by_hand() -> None:
    # 20 cases, prediction i / 20 for i = 0..19, positive when i is odd:
    # decile 1 = i 0, 1 (mean 0.025, 1 of 2), ... decile 10 = i 18, 19.
    scores = [i / 20 for i in range(20)]
    labels = [i % 2 for i in range(20)]
    rows = calibration(scores, labels)
    assert [row[:3] for row in rows] == [(d, 2, 1) for d in range(1, 11)]
    assert rows[0][3] == pytest.approx(0.025)
    assert rows[9][3] == pytest.approx(0.925)
    assert all(row[4] == 0.5 for row in rows)


# --------------------------------------------------------------------------
# trend alerts: a planted change is found, a stationary series raises none
# --------------------------------------------------------------------------
PLANT_START = dt.date(2025, 9, 1)
CHANNELS = ("web", "app")


def _csat_responses(planted: bool, seed: int) -> list[dict[str, str]]:
    """40 CSAT responses per channel and week for a year from 2025-01-06,
    satisfied (4-5) with probability 0.7; when planted, web drops to 0.45
    from PLANT_START on. The same random draws for both datasets."""
    rng = random.Random(seed)
    rows = []
    day = dt.date(2025, 1, 6)
    number = 0
    while day < dt.date(2026, 1, 5):
        for channel in CHANNELS:
            for _ in range(40):
                number += 1
                draw = rng.random()
                at = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                    seconds=rng.randrange(7 * 86400)
                )
                rate = 0.45 if planted and channel == "web" and at.date() >= PLANT_START else 0.7
                score = rng.choice("45") if draw < rate else rng.choice("123")
                rows.append(
                    {
                        "response_id": f"resp_{number:07d}",
                        "customer_id": "",
                        "responded_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "survey_type": "csat",
                        "score": score,
                        "channel": channel,
                    }
                )
        day += dt.timedelta(days=7)
    return rows


def _dataset(root: Path, planted: bool) -> Path:
    out = root / ("planted" if planted else "stationary")
    generate.generate_dataset(
        customers=300, days=364, out_dir=out, seed=11, fmt="csv", bad_rows=False
    )
    # customer_id empty is missing_identity: give each response a customer
    rows = _csat_responses(planted, seed=5)
    for row in rows:
        row["customer_id"] = "cust_000001"
    with (out / "survey_responses.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


TREND_VARS = {"as_of": "2026-01-05T00:00:00", "trend_alert_p_value": 0.001}
TREND_BUILD = (
    "build",
    "--select",
    "+rpt_trend_alerts",
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
)


@pytest.fixture(scope="module")
def trend_dbs(build_project, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("trend_inputs")
    return {
        kind: build_project(
            _dataset(root, kind == "planted"),
            vars=TREND_VARS,
            command=TREND_BUILD,
            name=f"trend_{kind}",
        )
        for kind in ("planted", "stationary")
    }


def _csat_alerts(db: Path) -> list[dict]:
    return query_dicts(
        db,
        "select * from rpt_trend_alerts where metric = 'csat'"
        " order by period_grain, period_start, breakdown_value",
    )


def test_planted_csat_drop_is_found(trend_dbs) -> None:
    alerts = _csat_alerts(trend_dbs["planted"])
    web_month = [
        a
        for a in alerts
        if a["breakdown_value"] == "web"
        and a["period_grain"] == "month"
        and a["period_start"] == PLANT_START
    ]
    assert len(web_month) == 1
    alert = web_month[0]
    assert alert["direction"] == "down" and alert["is_adverse"]
    # every alert is a drop on web (or the rollup it drags), at or after the plant
    assert {a["breakdown_value"] for a in alerts} <= {"web", "all"}
    assert all(a["direction"] == "down" and a["period_start"] >= PLANT_START for a in alerts)
    # the statistics, recomputed by hand from the alert's own counts
    x, n = alert["successes"], alert["trials"]
    x0, n0 = alert["baseline_successes"], alert["baseline_trials"]
    pooled = (x + x0) / (n + n0)
    z = (x / n - x0 / n0) / math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n0))
    assert alert["z_score"] == pytest.approx(z, rel=1e-12)
    assert alert["p_value"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), abs=2e-7)
    assert alert["p_value"] < 0.001
    assert alert["description"].startswith(f"month of {PLANT_START}: CSAT (share satisfied)")


def test_stationary_csat_raises_no_alert(trend_dbs) -> None:
    assert _csat_alerts(trend_dbs["stationary"]) == []
    # ... although the same series were tested, as many as in the planted set
    tested = "select count(*) from int_trend_series_tested where metric = 'csat' and is_tested"
    stationary_tested = query(trend_dbs["stationary"], tested)[0][0]
    assert stationary_tested == query(trend_dbs["planted"], tested)[0][0]
    assert stationary_tested > 100


# --------------------------------------------------------------------------
# backtest end to end on the sample
# --------------------------------------------------------------------------
def test_backtest_on_sample(tmp_path: Path) -> None:
    rows = run_backtest(cutoff=dt.date(2025, 7, 1), workdir=tmp_path)
    overall = {(r.prediction, r.model): r for r in rows if r.bucket == "all"}
    assert set(overall) == {
        ("conversion", "markov_chain"),
        ("conversion", "stage_conversion_rate"),
        ("churn", "empirical_hierarchy"),
        ("churn", "recency_only"),
    }
    # the fit saw nothing from the cutoff on
    fit = tmp_path / "fit.duckdb"
    assert query(fit, "select max(occurred_at) < '2025-07-01' from fct_events")[0][0]
    # deciles add up to the overall cases, and the table was written
    for key, row in overall.items():
        deciles = [r for r in rows if (r.prediction, r.model) == key and r.bucket != "all"]
        assert sum(d.cases for d in deciles) == row.cases
        assert sum(d.positives for d in deciles) == row.positives
    written = query(fit, "select count(*) from rpt_prediction_quality")[0][0]
    assert written == len(rows)
    assert (tmp_path / "rpt_prediction_quality.csv").exists()
    # the Markov chain ranks and scores better than the stage rate alone
    markov = overall[("conversion", "markov_chain")]
    naive = overall[("conversion", "stage_conversion_rate")]
    assert markov.auc > naive.auc and markov.brier_score < naive.brier_score
