"""The semantic layer: `mf validate-configs` passes and `mf query` returns the
marts' numbers.

MetricFlow runs as documented in the README: `dbt parse` and `mf` with the
read-only `serving` target pointed at a built database (here the hand-made
build). Every metric is compared with the mart it is defined on, month by
month and per segment / channel; a few values are also checked against the
hand-worked figures of test_marts_handmade.py.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import query
from serving_helpers import copy_project

MF = str(Path(sys.executable).with_name("mf"))
DBT = str(Path(sys.executable).with_name("dbt"))


@pytest.fixture(scope="module")
def mf_project(handmade_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    project = copy_project(tmp_path_factory.mktemp("semantic") / "project")
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "JOURNEYS_TARGET": "serving",
        "JOURNEYS_SERVING_PATH": str(handmade_db),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MF_DISABLE_TELEMETRY": "1",
    }
    parsed = subprocess.run(
        [DBT, "parse"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert parsed.returncode == 0, parsed.stdout[-3000:]
    assert (project / "target" / "semantic_manifest.json").is_file()
    return {"project": project, "env": env}


def mf(mf_project: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MF, *args],
        cwd=mf_project["project"],
        env=mf_project["env"],
        capture_output=True,
        text=True,
        check=False,
    )


def mf_rows(mf_project: dict, metrics: str, group_by: str) -> list[dict]:
    out = mf_project["project"] / f"mf-{abs(hash((metrics, group_by)))}.csv"
    result = mf(
        mf_project,
        "query",
        "--metrics",
        metrics,
        "--group-by",
        group_by,
        "--csv",
        str(out),
        "--quiet",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with out.open() as handle:
        return [{k: _value(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def _value(text: str) -> object:
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text[:10] if text[:4].isdigit() and text[4:5] == "-" else text


def same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def assert_same(mf_result: dict, expected: dict, label: str) -> None:
    assert set(mf_result) == set(expected), label
    bad = {k: (mf_result[k], expected[k]) for k in expected if not same(mf_result[k], expected[k])}
    assert not bad, f"{label}: mf vs mart: {bad}"


def test_validate_configs(mf_project: dict) -> None:
    """Semantic validations and the data-warehouse checks (every semantic
    model, dimension, entity, measure and metric queried)."""
    result = mf(mf_project, "validate-configs")
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Successfully validated the semantics of built manifest" in result.stdout
    assert "Successfully validated metrics against data warehouse" in result.stdout


def test_monthly_metrics_equal_the_marts(mf_project: dict, handmade_db: Path) -> None:
    metrics = (
        "churn_rate,stage_progression_rate,csat,nps,avg_ces,avg_touchpoints_to_convert,"
        "conversions,revenue"
    )
    got = {r["metric_time__month"]: r for r in mf_rows(mf_project, metrics, "metric_time__month")}
    expected = {}
    for month, churn, spr, csat, nps, ces, touch, conv, rev in query(
        handmade_db,
        """
        select cast(churn.period_start as varchar), churn.churn_rate,
               progression.pooled_rate, satisfaction.csat_pct, satisfaction.nps,
               effort.avg_ces, effort.avg_touchpoints_to_convert,
               coalesce(events.conversions, 0), coalesce(events.revenue, 0)
        from rpt_churn as churn
        inner join (
            select period_start, sum(customers_progressed) / nullif(sum(customers_at_start), 0)
                as pooled_rate
            from rpt_stage_progression
            where period_grain = 'month' and segment = 'all' group by period_start
        ) as progression on churn.period_start = progression.period_start
        inner join rpt_satisfaction as satisfaction
            on satisfaction.period_grain = 'month' and satisfaction.channel = 'all'
            and satisfaction.period_start = churn.period_start
        inner join rpt_customer_effort as effort
            on effort.period_grain = 'month' and effort.channel = 'all'
            and effort.period_start = churn.period_start
        left join (
            select date_trunc('month', occurred_at) as month, count(*) as conversions,
                   sum(revenue) as revenue
            from fct_events where is_conversion group by 1
        ) as events on events.month = churn.period_start
        where churn.period_grain = 'month' and churn.segment = 'all'
        """,
    ):
        expected[month] = {
            "metric_time__month": month, "churn_rate": churn, "stage_progression_rate": spr,
            "csat": csat, "nps": nps, "avg_ces": ces, "avg_touchpoints_to_convert": touch,
            "conversions": conv, "revenue": rev,
        }  # fmt: skip
    assert sorted(got) == sorted(expected) == [
        "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"
    ]  # fmt: skip
    for month in expected:
        assert_same(got[month], expected[month], month)
    # hand-worked (test_marts_handmade): April churn 2 of 6; January CSAT 3 of 5
    # satisfied, NPS 3 promoters - 2 detractors of 5; CES (2+7+3)/3 and May 1;
    # touchpoints c1 J1 6, April c3 J2 0, May (4+3)/2; purchases e108 100.00 and
    # e110 50.50 in January, e305 30.00 in April, e118 80.00 and e904 25.00 in May.
    assert got["2024-04-01"]["churn_rate"] == pytest.approx(1 / 3)
    assert got["2024-01-01"]["csat"] == pytest.approx(60.0)
    assert got["2024-01-01"]["nps"] == pytest.approx(20.0)
    assert got["2024-02-01"]["csat"] is None
    assert got["2024-01-01"]["avg_ces"] == pytest.approx(4.0)
    assert got["2024-05-01"]["avg_ces"] == pytest.approx(1.0)
    assert got["2024-05-01"]["avg_touchpoints_to_convert"] == pytest.approx(3.5)
    assert [got[m]["conversions"] for m in sorted(got)] == [2, 0, 0, 1, 2]
    assert [got[m]["revenue"] for m in sorted(got)] == pytest.approx([150.5, 0, 0, 30.0, 105.0])


def test_churn_and_progression_by_segment(mf_project: dict, handmade_db: Path) -> None:
    churn = mf_rows(
        mf_project,
        "churn_rate,customers_churned,customers_active_at_start",
        "metric_time__month,segment",
    )
    mart = {
        (str(p), s): {"churn_rate": r, "customers_churned": c, "customers_active_at_start": a}
        for p, s, r, c, a in query(
            handmade_db,
            "select period_start, segment, churn_rate, customers_churned,"
            " customers_active_at_start from rpt_churn where period_grain = 'month'",
        )
    }
    segments = {row["segment"] for row in churn}
    assert segments == {"gold", "silver", "unknown", "all"}
    for row in churn:
        key = (row["metric_time__month"], row["segment"])
        values = {k: row[k] for k in mart[key]}
        if row["segment"] == "all":  # the rollup row is not a segment: measures skip it
            assert values == dict.fromkeys(values), key
        else:
            assert_same(values, mart[key], str(key))
    # hand-worked: April, gold 2 active (c1, c4) and 1 churned (c1 on Apr 11)
    gold_april = next(
        r for r in churn if r["segment"] == "gold" and r["metric_time__month"] == "2024-04-01"
    )
    assert (gold_april["customers_active_at_start"], gold_april["customers_churned"]) == (2, 1)

    progression = mf_rows(
        mf_project,
        "stage_progression_rate,stage_customers_at_start",
        "metric_time__month,segment,stage_progression__from_stage",
    )
    mart = {
        (str(p), s, f): {"stage_progression_rate": r, "stage_customers_at_start": a}
        for p, s, f, r, a in query(
            handmade_db,
            "select period_start, segment, from_stage, progression_rate, customers_at_start"
            " from rpt_stage_progression where period_grain = 'month' and segment <> 'all'",
        )
    }
    compared = 0
    for row in progression:
        key = (row["metric_time__month"], row["segment"], row["stage_progression__from_stage"])
        if row["segment"] != "all":
            assert_same({k: row[k] for k in mart[key]}, mart[key], str(key))
            compared += 1
    assert compared == len(mart) == 5 * 3 * 5
    # hand-worked: February, consideration -> intent, gold: c4 at start, no progress
    feb = next(
        r
        for r in progression
        if (r["metric_time__month"], r["segment"], r["stage_progression__from_stage"])
        == ("2024-02-01", "gold", "consideration")
    )
    assert (feb["stage_customers_at_start"], feb["stage_progression_rate"]) == (1, 0.0)


def test_satisfaction_and_effort_by_channel(mf_project: dict, handmade_db: Path) -> None:
    rows = mf_rows(
        mf_project, "csat,nps,avg_ces,avg_touchpoints_to_convert", "metric_time__month,channel"
    )
    mart = {
        (str(p), c): {"csat": s, "nps": n, "avg_ces": e, "avg_touchpoints_to_convert": t}
        for p, c, s, n, e, t in query(
            handmade_db,
            """
            select coalesce(satisfaction.period_start, effort.period_start),
                   coalesce(satisfaction.channel, effort.channel), satisfaction.csat_pct,
                   satisfaction.nps, effort.avg_ces, effort.avg_touchpoints_to_convert
            from rpt_satisfaction as satisfaction
            full outer join rpt_customer_effort as effort
                on satisfaction.period_grain = effort.period_grain
                and satisfaction.period_start = effort.period_start
                and satisfaction.channel = effort.channel
            where coalesce(satisfaction.period_grain, effort.period_grain) = 'month'
            """,
        )
    }
    compared = 0
    for row in rows:
        key = (row["metric_time__month"], row["channel"])
        if row["channel"] != "all":
            expected = dict(mart[key])
            assert_same({k: row[k] for k in expected}, expected, str(key))
            compared += 1
    # channels app, email, web over 5 months (rpt_satisfaction has email and web,
    # rpt_customer_effort app, email and web)
    assert compared == 15
    # hand-worked: January web CSAT 2 of 3, NPS (2 - 1) / 3
    january_web = next(
        r for r in rows if (r["metric_time__month"], r["channel"]) == ("2024-01-01", "web")
    )
    assert january_web["csat"] == pytest.approx(200 / 3)
    assert january_web["nps"] == pytest.approx(100 / 3)


def test_conversions_by_customer_segment(mf_project: dict, handmade_db: Path) -> None:
    rows = mf_rows(mf_project, "conversions,revenue", "metric_time__month,customer__segment")
    got = {
        (r["metric_time__month"], r["customer__segment"]): (r["conversions"], r["revenue"])
        for r in rows
        if r["conversions"]
    }
    # hand-worked: c1 (gold) e108, e110 in January and e118 in May; c3 (silver)
    # e305 in April; anon:v9 (unknown) e904 in May
    assert got == {
        ("2024-01-01", "gold"): (2, 150.5),
        ("2024-05-01", "gold"): (1, 80.0),
        ("2024-04-01", "silver"): (1, 30.0),
        ("2024-05-01", "unknown"): (1, 25.0),
    }


def test_quarterly_churn_counts_active_customers_once(mf_project: dict) -> None:
    """Active customers are a stock: a quarter's churn rate divides the
    quarter's churn instants by the customers active at its start."""
    rows = {
        r["metric_time__quarter"]: r
        for r in mf_rows(
            mf_project,
            "churn_rate,customers_active_at_start,customers_churned",
            "metric_time__quarter",
        )
    }
    # Q1 starts Jan 1 with nobody active; Q2 starts Apr 1 with 6 active, and
    # its churn instants are c1 (Apr 11) and c6 (Apr 19), none in May
    assert rows["2024-01-01"]["customers_active_at_start"] == 0
    assert rows["2024-01-01"]["churn_rate"] is None
    assert (
        rows["2024-04-01"]["customers_active_at_start"],
        rows["2024-04-01"]["customers_churned"],
    ) == (6, 2)
    assert rows["2024-04-01"]["churn_rate"] == pytest.approx(1 / 3)


def test_period_metrics_refuse_finer_grains(mf_project: dict) -> None:
    """The period metrics are defined on months: asking for weeks is an error,
    not a silently wrong number."""
    result = mf(
        mf_project, "query", "--metrics", "churn_rate", "--group-by", "metric_time__week", "--quiet"
    )
    assert result.returncode == 1
    assert "does not match any of the available group-by-items" in result.stdout + result.stderr


RULE_MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay")


def test_attribution_by_channel_equals_the_mart(mf_project: dict, handmade_db: Path) -> None:
    """Each rule-based model's attributed conversions and revenue per channel
    are rpt_channel_attribution's channel rows (markov is not a metric)."""
    metrics = ",".join(
        f"attributed_{kind}_{model}" for model in RULE_MODELS for kind in ("conversions", "revenue")
    )
    got = {row["channel"]: row for row in mf_rows(mf_project, metrics, "channel")}
    mart: dict = {}
    for model, channel, conversions, revenue in query(
        handmade_db,
        "select model, channel, attributed_conversions, attributed_revenue"
        " from rpt_channel_attribution where model <> 'markov'",
    ):
        mart.setdefault(channel, {"channel": channel})
        mart[channel][f"attributed_conversions_{model}"] = conversions
        mart[channel][f"attributed_revenue_{model}"] = revenue
    totals = mart.pop("all")
    # a channel the chain knows but no rule credits (0 everywhere) has no
    # credit rows, so MetricFlow has no row for it
    credited = {c: r for c, r in mart.items() if any(v for k, v in r.items() if k != "channel")}
    assert sorted(got) == sorted(credited)
    for channel, expected in credited.items():
        assert_same(got[channel], expected, channel)
    # hand-worked: every model credits each of the 5 purchases once in total,
    # revenue 100.00 + 50.50 + 30.00 + 80.00 + 25.00
    for model in RULE_MODELS:
        assert sum(r[f"attributed_conversions_{model}"] for r in got.values()) == pytest.approx(5)
        assert sum(r[f"attributed_revenue_{model}"] for r in got.values()) == pytest.approx(285.5)
        assert totals[f"attributed_conversions_{model}"] == pytest.approx(5)


def test_attribution_by_month(mf_project: dict) -> None:
    """By the conversion's month: January e108 (100.00) and e110 (50.50),
    April e305 (30.00), May e118 (80.00) and e904 (25.00), whatever the model."""
    rows = mf_rows(
        mf_project,
        "attributed_conversions_linear,attributed_revenue_time_decay",
        "metric_time__month",
    )
    got = {
        r["metric_time__month"]: (
            r["attributed_conversions_linear"],
            r["attributed_revenue_time_decay"],
        )
        for r in rows
        if r["attributed_conversions_linear"]
    }
    assert got == {
        "2024-01-01": pytest.approx((2, 150.5)),
        "2024-04-01": pytest.approx((1, 30.0)),
        "2024-05-01": pytest.approx((2, 105.0)),
    }


# Hand-worked CLV (SPEC 6) of the hand-made data, as of 2024-05-31 00:00 (the
# build's as_of var; test_marts_handmade). Purchases: c1 (gold) e108 2024-01-02 10:35 100.00,
# e110 50.50, e118 2024-05-10 09:10 80.00; c3 (silver) e305 30.00; anon v9
# (unknown) e904 25.00. c1's lifespan: 129 days - 85 min; years observed
# from e108: 150 days - 10 h 35 min (both / 365.25 days). Single purchasers have
# lifespan 0, so silver and unknown have clv 0; gold:
# (230.5 / 3) x (3 / 1 / observed) x lifespan = 230.5 x lifespan / observed;
# all: (285.5 / 5) x (5 / 3 / observed) x (lifespan / 3).
LIFESPAN_DAYS = 129 - 85 / 1440
OBSERVED_DAYS = 150 - 635 / 1440
CLV = {
    "gold": 230.5 * LIFESPAN_DAYS / OBSERVED_DAYS,
    "silver": 0.0,
    "unknown": 0.0,
    "all": 285.5 * LIFESPAN_DAYS / OBSERVED_DAYS / 9,
}


def test_clv_by_segment_equals_the_mart(mf_project: dict, handmade_db: Path) -> None:
    rows = mf_rows(mf_project, "clv,clv_purchasers,clv_revenue", "metric_time__day,segment")
    mart = {
        segment: {"clv": clv, "clv_purchasers": purchasers, "clv_revenue": revenue}
        for segment, clv, purchasers, revenue, as_of in query(
            handmade_db,
            "select segment, clv, purchasers, revenue, cast(as_of_date as varchar)"
            " from rpt_customer_lifetime_value",
        )
        if as_of == "2024-05-31"
    }
    got = {r["segment"]: r for r in rows}
    assert {r["metric_time__day"] for r in rows} == {"2024-05-31"}
    # the rollup row is not a segment: the measures skip it (MetricFlow may
    # still list the segment value `all`, with nulls)
    rollup = got.pop("all", None)
    if rollup is not None:
        assert [rollup[k] for k in ("clv", "clv_purchasers", "clv_revenue")] == [None] * 3
    assert sorted(got) == sorted(s for s in mart if s != "all") == ["gold", "silver", "unknown"]
    for segment, row in got.items():
        assert_same({k: row[k] for k in mart[segment]}, mart[segment], segment)
        assert row["clv"] == pytest.approx(CLV[segment])
    assert (got["gold"]["clv_purchasers"], got["gold"]["clv_revenue"]) == (1, 230.5)


def test_clv_over_all_segments_is_the_all_row(mf_project: dict, handmade_db: Path) -> None:
    """The CLV terms are additive over segments, so CLV without a segment
    group-by is exactly the mart's `all` row, not a sum or mean of segments."""
    [row] = mf_rows(
        mf_project, "clv,clv_purchasers,clv_purchases,clv_customers", "metric_time__day"
    )
    [(clv, purchasers, purchases, customers)] = query(
        handmade_db,
        "select clv, purchasers, purchases, customers from rpt_customer_lifetime_value"
        " where segment = 'all'",
    )
    assert_same(
        {k: row[k] for k in ("clv", "clv_purchasers", "clv_purchases", "clv_customers")},
        {
            "clv": clv,
            "clv_purchasers": purchasers,
            "clv_purchases": purchases,
            "clv_customers": customers,
        },
        "all",
    )
    assert row["clv"] == pytest.approx(CLV["all"])
    assert (row["clv_purchasers"], row["clv_purchases"]) == (3, 5)
