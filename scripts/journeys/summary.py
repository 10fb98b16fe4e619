"""Headline figures from a built DuckDB database: latest stage progression
rates, churn rate, CSAT and NPS."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Headline:
    """The figures `journeys run` prints after a build."""

    as_of: str
    period_start: date | None
    progression: list[tuple[str, str, int, float | None, float | None]]
    churn_rate: float | None
    customers_active: int
    csat_pct: float | None
    nps: float | None
    events_clean: int
    rows_rejected: int


def _latest_complete_month(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest month that ended at or before as_of; else the latest."""
    row = con.execute(
        """
        select coalesce(
            max(case when periods.period_end_at <= evaluation.as_of_at
                then periods.period_start end),
            max(periods.period_start)
        )
        from int_periods_enumerated as periods
        cross join int_evaluation_instant as evaluation
        where periods.period_grain = 'month'
        """
    ).fetchone()
    return row[0] if row else None


def _connect(db: Path | duckdb.DuckDBPyConnection) -> AbstractContextManager:
    """A read-only connection to the file `db`, or `db` itself when it is an
    open connection (left open: journeys.diff reads two builds through one)."""
    if isinstance(db, duckdb.DuckDBPyConnection):
        return nullcontext(db)
    return duckdb.connect(str(db), read_only=True)


def read_headline(db: Path | duckdb.DuckDBPyConnection) -> Headline:
    """Read the headline figures (month grain, segment and channel 'all') of
    the DuckDB file `db`, or through an open connection whose default schema
    holds the project's relations."""
    with _connect(db) as con:
        as_of = con.execute("select as_of_at from int_evaluation_instant").fetchone()[0]
        month = _latest_complete_month(con)
        progression = con.execute(
            """
            select progression.from_stage, progression.to_stage,
                   progression.customers_at_start, progression.progression_rate,
                   progression.progression_rate_change
            from rpt_stage_progression as progression
            inner join journey_stages as stages on progression.from_stage = stages.stage
            where progression.period_grain = 'month' and progression.segment = 'all'
              and progression.period_start = ?
            order by stages.stage_order
            """,
            [month],
        ).fetchall()
        churn = con.execute(
            """
            select churn_rate, customers_active_at_start from rpt_churn
            where period_grain = 'month' and segment = 'all' and period_start = ?
            """,
            [month],
        ).fetchone()
        satisfaction = con.execute(
            """
            select csat_pct, nps from rpt_satisfaction
            where period_grain = 'month' and channel = 'all' and period_start = ?
            """,
            [month],
        ).fetchone()
        quality = con.execute(
            """
            select
                sum(case when input_name = 'events' then rows_clean else 0 end),
                sum(rows_rejected)
            from rpt_data_quality
            """
        ).fetchone()
    return Headline(
        as_of=str(as_of),
        period_start=month,
        progression=[tuple(row) for row in progression],
        churn_rate=churn[0] if churn else None,
        customers_active=churn[1] if churn else 0,
        csat_pct=satisfaction[0] if satisfaction else None,
        nps=satisfaction[1] if satisfaction else None,
        events_clean=int(quality[0] or 0),
        rows_rejected=int(quality[1] or 0),
    )


def _pct(value: float | None, scale: float = 100.0) -> str:
    return "n/a" if value is None else f"{value * scale:5.1f}%"


def format_headline(headline: Headline) -> str:
    """The headline as a short plain-text report."""
    month = headline.period_start.strftime("%B %Y") if headline.period_start else "n/a"
    lines = [
        f"journeys: as of {headline.as_of} UTC; figures for {month} (all segments, all channels)",
        f"  clean events: {headline.events_clean:,}   rejected rows (all inputs): "
        f"{headline.rows_rejected:,}",
        "  stage progression (customers at stage at month start -> reached next stage in month):",
    ]
    for from_stage, to_stage, at_start, rate, change in headline.progression:
        trend = "" if change is None else f"  ({change * 100:+.1f} pts vs previous month)"
        lines.append(
            f"    {from_stage:>13} -> {to_stage:<13} {_pct(rate)} of {at_start:>5,}{trend}"
        )
    lines += [
        f"  churn rate:  {_pct(headline.churn_rate)} of {headline.customers_active:,} "
        "active customers",
        f"  CSAT:        {_pct(headline.csat_pct, 1.0)} satisfied (4-5)",
        "  NPS:         " + ("n/a" if headline.nps is None else f"{headline.nps:+.1f}"),
    ]
    return "\n".join(lines)
