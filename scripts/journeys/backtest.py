"""`journeys backtest --cutoff DATE`: honest validation of the predictions.

1. Copy the inputs with every event and survey response at or after the
   cutoff removed (the fit cannot see the future: `as_of` alone would not
   hide later events from the models).
2. Build the predictions on that copy with as_of = the cutoff
   (fct_journey_predictions, int_customer_churn_risk).
3. Build the journeys on the full inputs: what really happened.
4. Score each prediction and its naive baseline against the outcome:
   - conversion: every journey open and not yet converted at the cutoff;
     outcome = the same journey converted at or after the cutoff. The
     journey is followed by the event_id of its latest event: one whose
     visitor identified after the cutoff has another journey_id in the
     full build.
     Model: the Markov conversion_probability; baselines: the conversion
     rate of the journey's stage alone (stage_conversion_rate) and of its
     recency alone (recency_conversion_rate: days since its latest event).
   - churn: every customer active at the cutoff; outcome = no event follows
     their latest one within churn_inactivity_days (SPEC 6), known only
     when the full data reach that far (others are left out). The person
     is followed by event_id: one identified after the cutoff has another
     customer_key in the full build.
     Model: churn_risk; baseline: the recency-only rate.
   Figures: AUC (probability that a random positive case is ranked above a
   random negative one, ties counting half), Brier score (mean squared
   error of the probability), a calibration table by decile of the
   prediction, and on each baseline's row the model's AUC gain over it
   with its 95% DeLong interval (paired: the same cases).
5. Write rpt_prediction_quality: a table in the fit's DuckDB file and a CSV
   beside it, in the work folder.

Runs on DuckDB (the default target). Entry points: `journeys backtest` and
`python -m journeys.backtest`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import numpy as np

from journeys.project import DbtInvocation, find_project_dir

# input -> the timestamp column that places a row in time (None: copied whole)
TIMED_INPUTS = {
    "events": "occurred_at",
    "survey_responses": "responded_at",
    "customers": None,
    "marketing_spend": None,
    "campaigns": None,
}

QUALITY_COLUMNS = [
    "cutoff_date",
    "prediction",
    "model",
    "is_baseline",
    "bucket",
    "cases",
    "positives",
    "mean_predicted",
    "observed_rate",
    "auc",
    "brier_score",
    "auc_gain_of_model",
    "auc_gain_ci_low",
    "auc_gain_ci_high",
]
Z_95 = 1.959963984540054  # the standard normal's 97.5% quantile


@dataclass
class QualityRow:
    cutoff_date: str
    prediction: str
    model: str
    is_baseline: bool
    bucket: str
    cases: int
    positives: int
    mean_predicted: float | None
    observed_rate: float | None
    auc: float | None
    brier_score: float | None
    # baseline rows ("all"): the model's AUC minus this baseline's, with the
    # 95% DeLong interval of that paired difference
    auc_gain_of_model: float | None = None
    auc_gain_ci_low: float | None = None
    auc_gain_ci_high: float | None = None


# --------------------------------------------------------------------------
# metrics (pure functions, unit-tested by hand in tests/pytest)
# --------------------------------------------------------------------------
def auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Area under the ROC curve by the Mann-Whitney statistic: average ranks
    (ties share their mean rank); None when one class is empty."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda pair: pair[0])
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    rank_sum = 0.0
    start = 0
    while start < len(pairs):
        end = start
        while end + 1 < len(pairs) and pairs[end + 1][0] == pairs[start][0]:
            end += 1
        mean_rank = (start + end) / 2 + 1
        rank_sum += mean_rank * sum(label for _, label in pairs[start : end + 1])
        start = end + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def brier(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Mean squared difference between the probability and the 0/1 outcome."""
    if not scores:
        return None
    return sum((s - y) ** 2 for s, y in zip(scores, labels, strict=True)) / len(scores)


def calibration(
    scores: Sequence[float], labels: Sequence[int], buckets: int = 10
) -> list[tuple[int, int, int, float, float]]:
    """(decile, cases, positives, mean predicted, observed rate) per decile of
    the prediction: cases sorted by prediction and cut into `buckets` groups
    of equal size (the first groups one larger when it does not divide)."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda pair: pair[0])
    rows = []
    for bucket in range(buckets):
        part = pairs[len(pairs) * bucket // buckets : len(pairs) * (bucket + 1) // buckets]
        if not part:
            continue
        positives = sum(label for _, label in part)
        rows.append(
            (
                bucket + 1,
                len(part),
                positives,
                sum(score for score, _ in part) / len(part),
                positives / len(part),
            )
        )
    return rows


def _midranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their mean rank."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    starts = np.cumsum(counts) - counts
    return (starts + (counts + 1) / 2)[inverse]


def delong_auc_difference(
    model_scores: Sequence[float], baseline_scores: Sequence[float], labels: Sequence[int]
) -> tuple[float, float, float] | None:
    """AUC(model) - AUC(baseline) on the same cases, with its 95% interval
    by DeLong, DeLong and Clarke-Pearson (1988): each positive's placement
    V10 = the share of negatives it outranks (ties half), each negative's
    V01 = the share of positives outranking it; AUC = mean V10 = mean V01,
    and var(difference) = var(D10) / m + var(D01) / n, D the model's
    placements minus the baseline's, m positives, n negatives (sample
    variances). Placements by midranks (Sun and Xu 2014). None with fewer
    than 2 cases of either class."""
    y = np.asarray(labels, dtype=bool)
    m, n = int(y.sum()), int((~y).sum())
    if m < 2 or n < 2:
        return None
    placements = []
    for scores in (model_scores, baseline_scores):
        x = np.asarray(scores, dtype=float)
        all_ranks = _midranks(x)
        v10 = (all_ranks[y] - _midranks(x[y])) / n
        v01 = 1 - (all_ranks[~y] - _midranks(x[~y])) / m
        placements.append((v10, v01))
    d10 = placements[0][0] - placements[1][0]
    d01 = placements[0][1] - placements[1][1]
    difference = float(d10.mean())
    se = float(np.sqrt(d10.var(ddof=1) / m + d01.var(ddof=1) / n))
    return difference, difference - Z_95 * se, difference + Z_95 * se


def score(
    cutoff: dt.date,
    prediction: str,
    model: str,
    is_baseline: bool,
    scores: Sequence[float],
    labels: Sequence[int],
) -> list[QualityRow]:
    """The overall row and the decile rows of one model's predictions."""
    common = dict(
        cutoff_date=cutoff.isoformat(), prediction=prediction, model=model, is_baseline=is_baseline
    )
    rows = [
        QualityRow(
            **common,
            bucket="all",
            cases=len(labels),
            positives=sum(labels),
            mean_predicted=sum(scores) / len(scores) if scores else None,
            observed_rate=sum(labels) / len(labels) if labels else None,
            auc=auc(scores, labels),
            brier_score=brier(scores, labels),
        )
    ]
    for decile, cases, positives, mean_predicted, observed in calibration(scores, labels):
        rows.append(
            QualityRow(
                **common,
                bucket=f"decile_{decile:02d}",
                cases=cases,
                positives=positives,
                mean_predicted=mean_predicted,
                observed_rate=observed,
                auc=None,
                brier_score=None,
            )
        )
    return rows


# --------------------------------------------------------------------------
# inputs cut at the cutoff
# --------------------------------------------------------------------------
def _input_source(raw_data_dir: Path | None, project_dir: Path, name: str) -> str | None:
    """A DuckDB table expression reading input `name` (all columns as text
    for CSV), or None when the input is absent."""
    if raw_data_dir is None:
        path = project_dir / "seeds" / "sample" / f"raw_{name}.csv"
        return f"read_csv('{path}', all_varchar = true, header = true)" if path.exists() else None
    for suffix, reader in ((".parquet", "read_parquet"), (".csv", "read_csv")):
        path = raw_data_dir / f"{name}{suffix}"
        if path.exists():
            options = ", all_varchar = true, header = true" if reader == "read_csv" else ""
            return f"{reader}('{path}'{options})"
    folder = raw_data_dir / name
    if folder.is_dir():
        if any(folder.glob("*.parquet")):
            return f"read_parquet('{folder}/*.parquet', union_by_name = true)"
        if any(folder.glob("*.csv")):
            return f"read_csv('{folder}/*.csv', all_varchar = true, header = true)"
    return None


def cut_inputs(
    raw_data_dir: Path | None, project_dir: Path, cutoff: dt.date, out_dir: Path
) -> dict[str, int]:
    """Write every input to `out_dir` as Parquet, keeping only the events and
    survey responses strictly before the cutoff (rows whose time does not
    parse are kept: staging rejects them as it would have). Returns the rows
    written per input."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for name, time_column in TIMED_INPUTS.items():
            source = _input_source(raw_data_dir, project_dir, name)
            if source is None:
                continue
            where = ""
            if time_column:
                parsed = f"try_cast(cast({time_column} as varchar) as timestamptz)"
                where = (
                    f" where {parsed} is null"
                    f" or {parsed} < cast('{cutoff.isoformat()} 00:00:00+00' as timestamptz)"
                )
            target = out_dir / f"{name}.parquet"
            con.execute(f"copy (select * from {source}{where}) to '{target}' (format parquet)")
            counts[name] = con.execute(f"select count(*) from '{target}'").fetchone()[0]
    return counts


# --------------------------------------------------------------------------
# the backtest
# --------------------------------------------------------------------------
def _build(invocation: DbtInvocation, select: list[str]) -> None:
    from journeys.runner import run_dbt

    run_dbt(
        invocation,
        [
            "build",
            "--select",
            *select,
            "--indirect-selection",
            "cautious",
            "--exclude-resource-type",
            "unit_test",
        ],
    )


def _conversion_cases(
    con: duckdb.DuckDBPyConnection, cutoff: dt.date
) -> list[tuple[float, float, float, int]]:
    """(conversion_probability, stage_conversion_rate,
    recency_conversion_rate, converted) per journey open and not converted
    at the cutoff. The fit's journey is followed to the full build through
    the event_id of its latest event (DECISIONLOG D173): a visitor
    identified after the cutoff has another customer_key, so another
    journey_id, there, and their journey may be merged with the customer's
    own. Converted: that journey holds a conversion event at or after the
    cutoff (a conversion of the merged journey before the cutoff is not the
    outcome of this prediction)."""
    cutoff_at = f"cast('{cutoff.isoformat()}' as timestamp)"
    return con.execute(
        f"""
        with latest_fit_events as (
            select journey_id, arg_max(event_id, (occurred_at, event_id)) as event_id
            from fit.fct_events
            group by journey_id
        ),
        actual_outcomes as (
            select
                journey_id,
                max(case when is_conversion and occurred_at >= {cutoff_at} then 1 else 0 end)
                    as converted
            from actual.fct_events
            group by journey_id
        )
        select
            predictions.conversion_probability,
            predictions.stage_conversion_rate,
            predictions.recency_conversion_rate,
            outcomes.converted
        from fit.fct_journey_predictions as predictions
        inner join latest_fit_events as latest on predictions.journey_id = latest.journey_id
        inner join actual.fct_events as actual_event on latest.event_id = actual_event.event_id
        inner join actual_outcomes as outcomes on actual_event.journey_id = outcomes.journey_id
        where not predictions.is_converted
            and predictions.conversion_probability is not null
            and predictions.stage_conversion_rate is not null
            and predictions.recency_conversion_rate is not null
        """
    ).fetchall()


def _churn_cases(
    con: duckdb.DuckDBPyConnection, cutoff: dt.date, churn_days: float
) -> list[tuple[float, float, int]]:
    """(churn_risk, recency_churn_rate, churned) per customer active at the
    cutoff. The fit's customer_key is followed to the full build's through
    the event_id of its latest event: an anonymous visitor who identifies
    after the cutoff has another key there (stitching), and came back."""
    churn_us = f"to_microseconds(cast({churn_days} * 86400e6 as bigint))"
    cutoff_at = f"cast('{cutoff.isoformat()}' as timestamp)"
    return con.execute(
        f"""
        with latest_fit_events as (
            select customer_key, arg_max(event_id, (occurred_at, event_id)) as event_id
            from fit.fct_events
            group by customer_key
        ),
        actual_spans as (
            select
                customer_key,
                max(case when occurred_at < {cutoff_at} then occurred_at end) as last_before_at,
                min(case when occurred_at >= {cutoff_at} then occurred_at end) as next_event_at
            from actual.fct_events
            group by customer_key
        ),
        data_end as (select max(occurred_at) as last_at from actual.fct_events)
        select
            risk.churn_risk,
            risk.recency_churn_rate,
            case
                when spans.next_event_at is null
                    or spans.next_event_at > spans.last_before_at + {churn_us}
                then 1 else 0
            end
        from fit.int_customer_churn_risk as risk
        cross join data_end
        inner join latest_fit_events as latest on risk.customer_key = latest.customer_key
        inner join actual.fct_events as actual_event on latest.event_id = actual_event.event_id
        inner join actual_spans as spans on actual_event.customer_key = spans.customer_key
        where risk.is_active_at_as_of
            and (
                spans.next_event_at is not null
                or spans.last_before_at + {churn_us} <= data_end.last_at
            )
        """
    ).fetchall()


def run_backtest(
    cutoff: dt.date,
    workdir: Path,
    raw_data_dir: Path | None = None,
    extra_vars: dict[str, object] | None = None,
) -> list[QualityRow]:
    """Fit before the cutoff, score after it; returns the rows written to
    rpt_prediction_quality (workdir/fit.duckdb and workdir/rpt_prediction_quality.csv)."""
    project_dir = find_project_dir()
    workdir.mkdir(parents=True, exist_ok=True)
    cut_dir = workdir / "inputs_before_cutoff"
    if cut_dir.exists():
        shutil.rmtree(cut_dir)
    cut_inputs(raw_data_dir, project_dir, cutoff, cut_dir)
    dbt_vars = dict(extra_vars or {})
    fit_db, actual_db = workdir / "fit.duckdb", workdir / "actual.duckdb"
    for path in (fit_db, actual_db):
        path.unlink(missing_ok=True)
    _build(
        DbtInvocation(
            project_dir=project_dir,
            duckdb_path=fit_db,
            vars={
                **dbt_vars,
                "raw_data_dir": str(cut_dir),
                "as_of": f"{cutoff.isoformat()}T00:00:00",
            },
            target_path=workdir / "target_fit",
        ),
        ["+fct_journey_predictions", "+int_customer_churn_risk"],
    )
    actual_vars = dict(dbt_vars)
    if raw_data_dir is not None:
        actual_vars["raw_data_dir"] = str(raw_data_dir)
    _build(
        DbtInvocation(
            project_dir=project_dir,
            duckdb_path=actual_db,
            vars=actual_vars,
            target_path=workdir / "target_actual",
        ),
        ["+fct_journeys", "+fct_events"],
    )
    churn_days = float(dbt_vars.get("churn_inactivity_days", 90))
    # connected to fit.duckdb, whose catalog is named `fit`
    with duckdb.connect(str(fit_db)) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{actual_db}' as actual (read_only)")
        rows = _score_all(con, cutoff, churn_days)
        con.execute("drop table if exists fit.main.rpt_prediction_quality")
        con.execute(
            "create table fit.main.rpt_prediction_quality ("
            "cutoff_date date, prediction varchar, model varchar, is_baseline boolean,"
            " bucket varchar, cases bigint, positives bigint, mean_predicted double,"
            " observed_rate double, auc double, brier_score double, auc_gain_of_model double,"
            " auc_gain_ci_low double, auc_gain_ci_high double)"
        )
        con.executemany(
            "insert into fit.main.rpt_prediction_quality values"
            f" ({', '.join('?' for _ in QUALITY_COLUMNS)})",
            [tuple(asdict(row).values()) for row in rows],
        )
    with (workdir / "rpt_prediction_quality.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=QUALITY_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
    return rows


# prediction -> (model, then its baselines), in the order of the case tuples
MODELS = {
    "conversion": ("markov_chain", "stage_conversion_rate", "recency_only"),
    "churn": ("empirical_hierarchy", "recency_only"),
}


def score_prediction(cutoff: dt.date, prediction: str, cases: Sequence[tuple]) -> list[QualityRow]:
    """The rows of one prediction: the model's (first score of each case),
    then each baseline's with the model's AUC gain over it (DeLong 95%)."""
    names = MODELS[prediction]
    labels = [int(case[-1]) for case in cases]
    columns = [[float(case[k]) for case in cases] for k in range(len(names))]
    rows = score(cutoff, prediction, names[0], False, columns[0], labels)
    for name, baseline in zip(names[1:], columns[1:], strict=True):
        baseline_rows = score(cutoff, prediction, name, True, baseline, labels)
        gain = delong_auc_difference(columns[0], baseline, labels)
        if gain is not None:
            overall = baseline_rows[0]
            overall.auc_gain_of_model, overall.auc_gain_ci_low, overall.auc_gain_ci_high = gain
        rows += baseline_rows
    return rows


def _score_all(
    con: duckdb.DuckDBPyConnection, cutoff: dt.date, churn_days: float
) -> list[QualityRow]:
    return score_prediction(cutoff, "conversion", _conversion_cases(con, cutoff)) + (
        score_prediction(cutoff, "churn", _churn_cases(con, cutoff, churn_days))
    )


def format_quality(rows: Sequence[QualityRow]) -> str:
    lines = [
        f"{'prediction':<11} {'model':<29} {'cases':>7} {'rate':>7} {'AUC':>7} {'Brier':>7}"
        "  model's AUC gain [95% CI]"
    ]
    for row in rows:
        if row.bucket != "all":
            continue
        auc_text = f"{row.auc:.4f}" if row.auc is not None else "n/a"
        brier_text = f"{row.brier_score:.4f}" if row.brier_score is not None else "n/a"
        rate = f"{row.observed_rate:.3f}" if row.observed_rate is not None else "n/a"
        gain = ""
        if row.auc_gain_of_model is not None:
            gain = (
                f"  {row.auc_gain_of_model:+.4f}"
                f" [{row.auc_gain_ci_low:+.4f}, {row.auc_gain_ci_high:+.4f}]"
            )
        lines.append(
            f"{row.prediction:<11} {row.model:<29} {row.cases:>7} {rate:>7}"
            f" {auc_text:>7} {brier_text:>7}{gain}"
        )
    return "\n".join(lines)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def add_parser(commands) -> argparse.ArgumentParser:
    """Add the `backtest` subcommand to the `journeys` CLI's subparsers."""
    parser = commands.add_parser(
        "backtest",
        help="fit the predictions before a cutoff and score them after it",
        description="Fit fct_journey_predictions and the churn risk on the inputs before "
        "CUTOFF (as_of = CUTOFF), score them against what happened after (AUC, Brier score, "
        "calibration by decile) beside naive baselines, and write rpt_prediction_quality.",
    )
    _configure(parser)
    return parser


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cutoff", type=_date, required=True, help="first unseen day, YYYY-MM-DD")
    parser.add_argument("--raw-data-dir", help="folder of input files (default: the sample seeds)")
    parser.add_argument(
        "--workdir", default="target/backtest", help="scratch folder (default target/backtest)"
    )
    parser.add_argument("--vars", help="more dbt vars as JSON")
    parser.set_defaults(func=cmd_backtest)


def cmd_backtest(args: argparse.Namespace) -> int:
    rows = run_backtest(
        cutoff=args.cutoff,
        workdir=Path(args.workdir).resolve(),
        raw_data_dir=Path(args.raw_data_dir).resolve() if args.raw_data_dir else None,
        extra_vars=json.loads(args.vars) if args.vars else None,
    )
    print(format_quality(rows))
    print(f"journeys backtest: wrote rpt_prediction_quality to {Path(args.workdir).resolve()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m journeys.backtest")
    _configure(parser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
