"""`journeys report`: one self-contained HTML page of charts from the marts.

`render_report(db, out_dir)` reads the marts (read-only), draws each chart
(charts.py) to `<out_dir>/<chart>.png` and writes `<out_dir>/index.html`
with the same PNGs embedded as data URIs, so the page can be mailed or
opened anywhere on its own. A chart whose mart is not in the database (an
optional mart not built yet) becomes a "not built" panel instead; nothing
else is affected. The page has no scripts and loads nothing from outside.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from journeys import __version__, charts
from journeys.marts import as_of, build_time, connect_read_only, read_publication, table_exists


@dataclass
class Panel:
    """One chart of the report: rendered (png set) or not (reason set)."""

    key: str
    title: str
    caption: str
    sources: tuple[str, ...]
    png: bytes | None = None
    reason: str | None = None


@dataclass
class Report:
    source: Path
    out_dir: Path
    panels: list[Panel] = field(default_factory=list)
    as_of: dt.datetime | None = None
    built_at: str = ""
    build_id: str | None = None

    @property
    def html_path(self) -> Path:
        return self.out_dir / "index.html"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def draw_png(spec: ChartSpec, data: tuple) -> bytes:
    """The chart's PNG from its data (deterministic: the same data, the same
    bytes, so a test can tell that a PNG was drawn from given data)."""
    return _png(spec.draw(*data))


# --- data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What a reader may choose about the charts (journeys report options)."""

    # stage progression: a segment's monthly rate is drawn only from this many
    # customers at the month start (charts.MIN_PROGRESSION_CUSTOMERS)
    min_customers: int = charts.MIN_PROGRESSION_CUSTOMERS


def _funnel(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple:
    stages = con.execute(
        """
        select stages.stage, count(journeys.journey_id)
        from journey_stages as stages
        left join fct_journeys as journeys on journeys.max_stage_order >= stages.stage_order
        group by stages.stage, stages.stage_order
        order by stages.stage_order
        """
    ).fetchall()
    total = con.execute("select count(*) from fct_journeys").fetchone()[0]
    return [tuple(r) for r in stages], int(total)


def _progression(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple:
    rows = con.execute(
        """
        select progression.period_start, progression.segment, progression.from_stage,
               progression.to_stage, progression.progression_rate,
               progression.customers_at_start
        from rpt_stage_progression as progression
        inner join journey_stages as stages on progression.from_stage = stages.stage
        where progression.period_grain = 'month'
        order by stages.stage_order, progression.period_start, progression.segment
        """
    ).fetchall()
    return [(p, s, f, t, _num(r), int(n)) for p, s, f, t, r, n in rows], settings.min_customers


def _flow(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple:
    stages = [
        r[0]
        for r in con.execute("select stage from journey_stages order by stage_order").fetchall()
    ]
    transitions = con.execute(
        "select from_stage, to_stage, count(*) from fct_stage_transitions group by all"
    ).fetchall()
    # Journeys that were at each stage: those that entered the journey at it
    # (their first staged event) plus the transitions into it.
    first = con.execute(
        """
        select stages.stage, count(*)
        from (
            select journey_id, min(journey_stage_order) as first_stage_order
            from fct_events
            where journey_stage_order is not null
            group by journey_id
        ) as firsts
        inner join journey_stages as stages on firsts.first_stage_order = stages.stage_order
        group by stages.stage
        """
    ).fetchall()
    at_stage = {stage: 0 for stage in stages} | dict(first)
    for _, to_stage, count in transitions:
        at_stage[to_stage] += count
    return stages, at_stage, sorted(tuple(t) for t in transitions)


def _churn(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple:
    rows = con.execute(
        """
        select period_start, segment, churn_rate, customers_churned, customers_active_at_start
        from rpt_churn where period_grain = 'month' order by period_start, segment
        """
    ).fetchall()
    return ([(p, s, _num(r), int(c), int(a)) for p, s, r, c, a in rows],)


def _satisfaction_effort(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple:
    rows = con.execute(
        """
        with satisfaction as (
            select
                channel,
                100.0 * sum(csat_satisfied_responses) / nullif(sum(csat_responses), 0) as csat,
                sum(csat_responses) as csat_n,
                100.0 * (sum(nps_promoters) - sum(nps_detractors))
                    / nullif(sum(nps_responses), 0) as nps,
                sum(nps_responses) as nps_n
            from rpt_satisfaction where period_grain = 'month' group by channel
        ),
        effort as (
            select
                channel,
                sum(avg_ces * ces_responses) / nullif(sum(ces_responses), 0) as avg_ces,
                sum(ces_responses) as ces_n,
                sum(avg_touchpoints_to_convert * journeys_converted)
                    / nullif(sum(journeys_converted), 0) as touchpoints,
                sum(journeys_converted) as converted
            from rpt_customer_effort where period_grain = 'month' group by channel
        )
        select
            coalesce(satisfaction.channel, effort.channel),
            satisfaction.csat, coalesce(satisfaction.csat_n, 0),
            satisfaction.nps, coalesce(satisfaction.nps_n, 0),
            effort.avg_ces, coalesce(effort.ces_n, 0),
            effort.touchpoints, coalesce(effort.converted, 0)
        from satisfaction
        full outer join effort on satisfaction.channel = effort.channel
        """
    ).fetchall()
    return (sorted(tuple(r[:1]) + tuple(_num(v) for v in r[1:]) for r in rows),)


def _attribution(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple:
    # models in the mart's model_order (first_touch ... markov), the legend's
    rows = con.execute(
        "select model, channel, attributed_conversions, attributed_revenue"
        " from rpt_channel_attribution order by model_order, channel"
    ).fetchall()
    return ([(m, c, _num(n), _num(r)) for m, c, n, r in rows],)


def _lifetime_value(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple:
    rows = con.execute(
        "select segment, purchasers, clv from rpt_customer_lifetime_value order by segment"
    ).fetchall()
    return ([(s, int(p or 0), _num(v)) for s, p, v in rows],)


def _num(value: object) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return float(value)


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    caption: str
    sources: tuple[str, ...]
    load: Callable[[duckdb.DuckDBPyConnection, Settings], tuple]
    draw: Callable[..., Figure]

    def caption_for(self, settings: Settings) -> str:
        return self.caption.format(min_customers=settings.min_customers)


CHARTS = (
    ChartSpec(
        "funnel",
        "Stage funnel",
        "Journeys whose highest stage reached is each stage or a later one, with the share "
        "of all journeys and of the previous stage.",
        ("fct_journeys", "journey_stages"),
        _funnel,
        charts.funnel,
    ),
    ChartSpec(
        "stage_progression",
        "Stage progression rate over time, by segment",
        "For each month and adjacent stage pair A → B: of the customers whose open journey "
        "was at A at the month start, the share that reached B or beyond during the month "
        "(SPEC 6). The black line is all segments. A point is drawn only when at least "
        "{min_customers} customers were at A at the month start (a rate from fewer swings "
        "between 0% and 100%); the bars below show those customers per segment, the dashed "
        "line the minimum (journeys report --min-customers).",
        ("rpt_stage_progression", "journey_stages"),
        _progression,
        charts.stage_progression,
    ),
    ChartSpec(
        "stage_flow",
        "Flow of stage transitions",
        "Each node is a stage, its height the journeys that were at it (entered there or "
        "moved into it); each band a stage transition, its width the number of transitions. "
        "Skips (A to C) are one transition and arc over the stages they jump.",
        ("fct_stage_transitions", "fct_events", "journey_stages"),
        _flow,
        charts.stage_flow,
    ),
    ChartSpec(
        "churn",
        "Churn over time",
        "Monthly churn rate by segment (churn instants in the month / customers active at "
        "its start), and the counts behind the all-segment rate.",
        ("rpt_churn",),
        _churn,
        charts.churn,
    ),
    ChartSpec(
        "satisfaction_effort",
        "Satisfaction and effort by channel",
        "Over all months: CSAT (% of CSAT responses scoring 4-5), NPS (% promoters - % "
        "detractors), average CES (1-7, lower is easier), all by the response's channel, and "
        "the touchpoints of a journey before its first purchase, by the purchase's channel.",
        ("rpt_satisfaction", "rpt_customer_effort"),
        _satisfaction_effort,
        charts.satisfaction_effort,
    ),
    ChartSpec(
        "attribution",
        "Attribution by model",
        "Conversions (left) and revenue (right) credited to each channel by each attribution "
        "model, in the order first touch, last touch, linear, position based, time decay, "
        "Markov (SPEC 6). Every model credits all conversions and all revenue.",
        ("rpt_channel_attribution",),
        _attribution,
        charts.attribution,
    ),
    ChartSpec(
        "lifetime_value",
        "Customer lifetime value by segment",
        "Average purchase value x purchase frequency per year x average lifespan in years, "
        "over customers with at least one purchase (SPEC 6).",
        ("rpt_customer_lifetime_value",),
        _lifetime_value,
        charts.lifetime_value,
    ),
)


def chart_data(con: duckdb.DuckDBPyConnection, key: str, settings: Settings | None = None) -> tuple:
    """The data one chart is drawn from (the arguments of its draw function,
    what the tests check)."""
    return next(spec for spec in CHARTS if spec.key == key).load(con, settings or Settings())


# --- page -------------------------------------------------------------------------

STYLE = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       margin: 0 auto; max-width: 1180px; padding: 24px; color: #222; background: #fff; }
header { border-bottom: 2px solid #0072B2; margin-bottom: 16px; }
h1 { margin: 0 0 6px 0; font-size: 26px; }
.meta { color: #555; font-size: 13px; margin: 0 0 12px 0; }
nav a { margin-right: 14px; font-size: 13px; color: #0072B2; }
section { margin: 28px 0; }
h2 { font-size: 19px; margin-bottom: 4px; }
p.caption { color: #444; font-size: 13px; margin: 2px 0 10px 0; max-width: 900px; }
p.sources { color: #777; font-size: 12px; }
img.chart { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
div.missing { border: 2px dashed #bbb; background: #fafafa; color: #555; padding: 28px;
              text-align: center; font-size: 14px; }
footer { color: #777; font-size: 12px; border-top: 1px solid #ddd; padding-top: 8px; }
"""


def _panel_html(panel: Panel) -> str:
    sources = ", ".join(f"<code>{html.escape(s)}</code>" for s in panel.sources)
    if panel.png is not None:
        data = base64.b64encode(panel.png).decode()
        body = (
            f'<img class="chart" id="chart-{panel.key}" alt="{html.escape(panel.title)}" '
            f'src="data:image/png;base64,{data}">'
        )
    else:
        body = (
            f'<div class="missing" id="missing-{panel.key}">Not built: '
            f"{html.escape(panel.reason or '')}</div>"
        )
    return (
        f'<section id="{panel.key}">\n<h2>{html.escape(panel.title)}</h2>\n'
        f'<p class="caption">{html.escape(panel.caption)}</p>\n{body}\n'
        f'<p class="sources">From {sources}; also saved as <code>{panel.key}.png</code>.</p>\n'
        "</section>"
    )


def page(report: Report) -> str:
    as_of_text = f"{report.as_of:%Y-%m-%d %H:%M:%S} UTC" if report.as_of else "n/a"
    build = f", build {html.escape(report.build_id)}" if report.build_id else ""
    nav = " ".join(f'<a href="#{p.key}">{html.escape(p.title)}</a>' for p in report.panels)
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Customer journeys report</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n<header>\n"
        "<h1>Customer journeys</h1>\n"
        f'<p class="meta">As of {as_of_text}; data built {html.escape(report.built_at)}{build}; '
        f"from <code>{html.escape(report.source.name)}</code>.</p>\n"
        f"<nav>{nav}</nav>\n</header>\n"
        + "\n".join(_panel_html(p) for p in report.panels)
        + f"\n<footer>Generated {generated} by journeys {__version__}. Metric definitions: "
        "SPEC.md section 6; modelling choices: DECISIONLOG.md.</footer>\n</body>\n</html>\n"
    )


def render_report(source: Path, out_dir: Path, settings: Settings | None = None) -> Report:
    """Draw every chart from `source` into `out_dir` and write index.html."""
    settings = settings or Settings()
    if settings.min_customers < 1:
        raise ValueError(f"--min-customers must be at least 1, not {settings.min_customers}")
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    report = Report(source=source, out_dir=out_dir)
    with connect_read_only(source) as con:
        publication = read_publication(con)
        report.build_id = publication.build_id if publication else None
        report.built_at = build_time(source, con)[0]
        report.as_of = as_of(con)
        for spec in CHARTS:
            panel = Panel(spec.key, spec.title, spec.caption_for(settings), spec.sources)
            missing = [name for name in spec.sources if not table_exists(con, name)]
            if missing:
                panel.reason = (
                    f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in "
                    "this database (build the mart, then run journeys report again)."
                )
                (out_dir / f"{spec.key}.png").unlink(missing_ok=True)  # not a stale one
            else:
                panel.png = draw_png(spec, spec.load(con, settings))
                (out_dir / f"{spec.key}.png").write_bytes(panel.png)
            report.panels.append(panel)
    report.html_path.write_text(page(report))
    return report
