"""The report's charts, drawn with matplotlib (Agg, no display needed).

Each function takes plain rows (tuples read from the marts by report.py)
and returns a matplotlib Figure. Empty data gives a figure that says so
rather than an empty frame.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates
from matplotlib import pyplot as plt
from matplotlib import ticker as mticker
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, PathPatch
from matplotlib.path import Path as MplPath

PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
    "#882255",
    "#44AA99",
]
ALL_COLOR = "#222222"
STAGE_COLORS = ["#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]

plt.rcParams.update(
    {
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
        "axes.titlesize": 11,
        "figure.dpi": 100,
    }
)


def _colors(keys: Sequence[str]) -> dict[str, str]:
    ordered = [k for k in keys if k != "all"]
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(sorted(ordered))}
    colors["all"] = ALL_COLOR
    return colors


def _period_ticks(ax, periods, fmt: str) -> None:
    """One tick per period (every n-th when there are many), labelled `fmt`."""
    periods = sorted(set(periods))
    step = max(1, -(-len(periods) // 12))
    ax.set_xticks(periods[::step])
    ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    if len(periods) == 1:
        ax.set_xlim(periods[0] - dt.timedelta(days=20), periods[0] + dt.timedelta(days=20))


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _empty(fig: Figure, ax, message: str) -> Figure:
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555555")
    return fig


def funnel(stages: Sequence[tuple[str, int]], journeys_total: int) -> Figure:
    """Horizontal funnel: journeys that reached each stage or a later one."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    if not stages or journeys_total == 0:
        return _empty(fig, ax, "No journeys in this build")
    names = [s for s, _ in stages]
    counts = [c for _, c in stages]
    top = max(counts) or 1
    for index, count in enumerate(counts):
        y = len(names) - 1 - index
        left = (top - count) / 2
        ax.barh(y, count, left=left, height=0.72, color=STAGE_COLORS[index % 6])
        share = 100 * count / journeys_total
        step = (
            ""
            if index == 0 or not counts[index - 1]
            else (f"  ({100 * count / counts[index - 1]:.0f}% of previous)")
        )
        inside = count >= 0.15 * top  # else the label goes right of the bar
        ax.text(
            top / 2 if inside else left + count + top * 0.01,
            y,
            f"{count:,}",
            ha="center" if inside else "left",
            va="center",
            color="white" if inside else "#08306b",
            fontweight="bold",
        )
        ax.text(top * 1.02, y, f"{share:.1f}% of journeys{step}", va="center", fontsize=9)
    ax.set_yticks(range(len(names)), list(reversed(names)))
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.set_xlim(0, top * 1.6)
    ax.set_title(f"Journeys reaching each stage (or a later one), of {journeys_total:,} journeys")
    fig.tight_layout()
    return fig


# A progression rate from a handful of customers swings between 0% and 100%
# month to month (one customer of one reaching the next stage is 100%):
# points from fewer customers at the month start than this are not drawn.
MIN_PROGRESSION_CUSTOMERS = 10


def progression_points(
    rows: Sequence[tuple], min_customers: int
) -> dict[tuple[str, str], dict[str, list[tuple]]]:
    """{(from_stage, to_stage): {segment: [(period, rate %, customers), ...]}}
    of the points the chart draws: a rate, from at least `min_customers`
    customers at the month start. rows: (period_start, segment, from_stage,
    to_stage, progression_rate, customers_at_start)."""
    points: dict[tuple[str, str], dict[str, list[tuple]]] = {}
    for period, segment, from_stage, to_stage, rate, customers in rows:
        pair = points.setdefault((from_stage, to_stage), {})
        if rate is not None and customers >= min_customers:
            pair.setdefault(segment, []).append((period, 100 * rate, customers))
    return {pair: {s: sorted(p) for s, p in by.items()} for pair, by in points.items()}


def stage_progression(
    rows: Sequence[tuple], min_customers: int = MIN_PROGRESSION_CUSTOMERS
) -> Figure:
    """Monthly progression rate per stage pair (one panel each), a line per
    segment, only at points from at least `min_customers` customers at the
    month start (a line breaks where one is left out); below each panel the
    customers at the month start of every segment, the n behind the rates.
    rows: (period_start, segment, from_stage, to_stage, progression_rate,
    customers_at_start)."""
    pairs = list(dict.fromkeys((r[2], r[3]) for r in rows))
    if not pairs:
        fig, ax = plt.subplots(figsize=(11, 3))
        return _empty(fig, ax, "No stage progression rows")
    points = progression_points(rows, min_customers)
    segments = sorted({r[1] for r in rows})
    colors = _colors(segments)
    periods = sorted({r[0] for r in rows})
    fig, grid = plt.subplots(
        2,
        len(pairs),
        figsize=(3.1 * len(pairs), 5.2),
        sharex=True,
        sharey="row",
        squeeze=False,
        gridspec_kw={"height_ratios": [3, 1.4]},
    )
    margin = dt.timedelta(days=20)
    bar_width = 24 / max(len(segments), 1)
    for column, pair in enumerate(pairs):
        rate_ax, count_ax = grid[0][column], grid[1][column]
        for segment in segments:
            # NaN where a point is left out, so the line breaks there
            drawn = {p: r for p, r, _ in points[pair].get(segment, [])}
            if drawn:
                rate_ax.plot(
                    periods,
                    [drawn.get(p, float("nan")) for p in periods],
                    marker="o",
                    markersize=3.5,
                    linewidth=2.4 if segment == "all" else 1.3,
                    color=colors[segment],
                    label=segment,
                )
        if not any(points[pair].values()):
            rate_ax.text(
                0.5,
                0.5,
                f"no month with {min_customers}+\ncustomers at its start",
                transform=rate_ax.transAxes,
                ha="center",
                va="center",
                fontsize=8,
                color="#777777",
            )
        rate_ax.set_title(f"{pair[0]} → {pair[1]}", fontsize=10)
        rate_ax.grid(axis="y", alpha=0.3)
        for index, segment in enumerate(segments):
            counts = {r[0]: r[5] for r in rows if (r[2], r[3]) == pair and r[1] == segment}
            offset = dt.timedelta(days=(index - (len(segments) - 1) / 2) * bar_width)
            count_ax.bar(
                [p + offset for p in periods],
                [counts.get(p, 0) for p in periods],
                width=bar_width,
                color=colors[segment],
                alpha=0.85 if segment == "all" else 0.55,
                label=segment,
            )
        count_ax.axhline(min_customers, color="#D55E00", linewidth=0.9, linestyle="--")
        count_ax.grid(axis="y", alpha=0.3)
        _period_ticks(count_ax, periods, "%b %y")
    grid[0][0].set_xlim(min(periods) - margin, max(periods) + margin)
    grid[0][0].set_ylim(-5, 105)
    grid[0][0].set_ylabel("progression rate (%)")
    grid[1][0].set_ylabel("customers at\nmonth start")
    handles = [
        plt.Line2D([], [], color=colors[s], linewidth=2.4 if s == "all" else 1.3, marker="o")
        for s in segments
    ]
    handles.append(plt.Line2D([], [], color="#D55E00", linewidth=0.9, linestyle="--"))
    fig.suptitle(
        "Stage progression rate by month and segment (a point needs at least "
        f"{min_customers} customers at the month start)",
        fontweight="bold",
    )
    fig.legend(
        handles,
        [*segments, f"minimum customers ({min_customers})"],
        ncol=len(handles),
        fontsize=9,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.95),
        frameon=False,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def _band(ax, x0: float, y0: float, x1: float, y1: float, width: float, lift: float, color: str):
    """A band of constant vertical width from centre (x0, y0) to centre
    (x1, y1): an S-curve when lift is 0, an arc `lift` high otherwise."""
    half = width / 2
    mid = (x0 + x1) / 2
    top = [(x0, y0 + half), (mid, y0 + half + lift), (mid, y1 + half + lift), (x1, y1 + half)]
    bottom = [(x1, y1 - half), (mid, y1 - half + lift), (mid, y0 - half + lift), (x0, y0 - half)]
    vertices = [*top, *bottom, top[0]]
    codes = [MplPath.MOVETO, *[MplPath.CURVE4] * 3, MplPath.LINETO, *[MplPath.CURVE4] * 3]
    codes.append(MplPath.CLOSEPOLY)
    patch = PathPatch(MplPath(vertices, codes), facecolor=color, edgecolor="none", alpha=0.55)
    ax.add_patch(patch)


def stage_flow(
    stages: Sequence[str], at_stage: dict[str, int], transitions: Sequence[tuple[str, str, int]]
) -> Figure:
    """Sankey-like flow: a node per stage, its height the journeys that were
    at it; a band per transition, its width the transitions. Bands leave a
    node stacked from its top (the longest skip first) and arrive stacked
    from the top (the farthest source first); what is left of a node below
    its incoming bands is the journeys that started at that stage. Moves to
    the next stage run between neighbours; skips arc over the stages they
    jump."""
    fig, ax = plt.subplots(figsize=(11, 5.2))
    if not transitions and not any(at_stage.values()):
        return _empty(fig, ax, "No stage transitions")
    order = {s: i for i, s in enumerate(stages)}
    outflow: dict[str, int] = defaultdict(int)
    for from_stage, _, count in transitions:
        outflow[from_stage] += count
    size = {s: max(at_stage.get(s, 0), outflow[s]) for s in stages}
    scale = 1.8 / max([*size.values(), 1])  # the busiest stage is 1.8 high
    node_w = 0.3
    heights = {s: max(size[s] * scale, 0.03) for s in stages}
    for stage in stages:
        x, height = order[stage], heights[stage]
        ax.add_patch(
            FancyBboxPatch(
                (x - node_w / 2, -height / 2),
                node_w,
                height,
                boxstyle="round,pad=0.01",
                color=STAGE_COLORS[x % 6],
            )
        )
        ax.text(
            x,
            -height / 2 - 0.08,
            f"{stage}\n{_plural(at_stage.get(stage, 0), 'journey')}",
            ha="center",
            va="top",
            fontsize=9,
        )
    out_top = {s: heights[s] / 2 for s in stages}
    in_top = dict(out_top)
    leaving = sorted(transitions, key=lambda t: (order[t[0]], -order[t[1]]))
    arriving = sorted(transitions, key=lambda t: (order[t[1]], order[t[0]]))
    centres: dict[tuple[str, str], list[float]] = {}
    for from_stage, to_stage, count in leaving:
        width = count * scale
        centres[(from_stage, to_stage)] = [out_top[from_stage] - width / 2]
        out_top[from_stage] -= width
    for from_stage, to_stage, count in arriving:
        width = count * scale
        centres[(from_stage, to_stage)].append(in_top[to_stage] - width / 2)
        in_top[to_stage] -= width
    for from_stage, to_stage, count in sorted(transitions, key=lambda t: -t[2]):
        y0, y1 = centres[(from_stage, to_stage)]
        x0, x1 = order[from_stage] + node_w / 2, order[to_stage] - node_w / 2
        width = max(count * scale, 0.008)
        jumped = stages[order[from_stage] + 1 : order[to_stage]]
        if jumped:
            # clear the highest node jumped over; a cubic's peak is 3/4 of its lift
            clearance = max(heights[s] / 2 for s in jumped) + 0.15 + 0.12 * len(jumped)
            lift = max((clearance - min(y0, y1) + width / 2) / 0.75, 0.2)
            color = "#E69F00"
            label_y = (y0 + y1) / 2 + 0.75 * lift + width / 2 + 0.03
        else:
            lift, color, label_y = 0.0, STAGE_COLORS[order[to_stage] % 6], (y0 + y1) / 2
        _band(ax, x0, y0, x1, y1, width, lift, color)
        ax.text(
            (x0 + x1) / 2,
            label_y,
            f"{count:,}",
            ha="center",
            va="bottom" if jumped else "center",
            fontsize=8,
            fontweight="bold",
            color="#333333",
        )
    ax.set_xlim(-0.6, len(stages) - 0.4)
    ax.autoscale_view(scalex=False)
    low = min(-h / 2 for h in heights.values()) - 0.45
    ax.set_ylim(low, ax.get_ylim()[1] + 0.15)
    ax.axis("off")
    ax.set_title("Stage transitions: bands move to the next stage, orange arcs skip stages")
    fig.tight_layout()
    return fig


def churn(rows: Sequence[tuple]) -> Figure:
    """Monthly churn rate by segment, and churned vs active customers (all).
    rows: (period_start, segment, churn_rate, customers_churned, customers_active_at_start)."""
    fig, (rate_ax, count_ax) = plt.subplots(
        2, 1, figsize=(10, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    if not rows:
        count_ax.axis("off")
        return _empty(fig, rate_ax, "No churn rows")
    segments = sorted({r[1] for r in rows})
    colors = _colors(segments)
    for segment in segments:
        points = sorted((r[0], r[2]) for r in rows if r[1] == segment and r[2] is not None)
        rate_ax.plot(
            [p for p, _ in points],
            [100 * v for _, v in points],
            marker="o",
            markersize=3,
            linewidth=2.4 if segment == "all" else 1.3,
            color=colors[segment],
            label=segment,
        )
    rate_ax.set_ylabel("churn rate (%)")
    rate_ax.grid(axis="y", alpha=0.3)
    rate_ax.legend(title="segment", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    rate_ax.set_title("Churn by month: customers churned / customers active at the month start")
    totals = sorted((r[0], r[3], r[4]) for r in rows if r[1] == "all")
    periods = [p for p, _, _ in totals]
    width = 12
    count_ax.bar(
        periods, [a for _, _, a in totals], width=width, color="#c6dbef", label="active at start"
    )
    count_ax.bar(periods, [c for _, c, _ in totals], width=width, color="#D55E00", label="churned")
    count_ax.set_ylabel("customers (all)")
    count_ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    _period_ticks(count_ax, periods, "%b %Y")
    fig.tight_layout()
    return fig


def satisfaction_effort(rows: Sequence[tuple]) -> Figure:
    """Per channel: CSAT %, NPS, average CES and touchpoints to convert.
    rows: (channel, csat_pct, csat_n, nps, nps_n, avg_ces, ces_n, avg_touchpoints, converted)."""
    fig, axes = plt.subplots(1, 4, figsize=(13, 4.4), sharey=True)
    if not rows:
        for ax in axes[1:]:
            ax.axis("off")
        return _empty(fig, axes[0], "No survey responses or conversions")
    ordered = sorted(rows, key=lambda r: (r[0] != "all", r[0]))
    channels = [r[0] for r in ordered]
    ys = list(range(len(channels)))[::-1]
    # each measure on its own scale (CSAT 0-100 %, NPS -100 to 100, CES 0-7,
    # never beyond); a label goes inside the bar's end when the bar is long
    panels = [
        ("CSAT (% scoring 4-5)", 1, 2, "{:.0f}%", (0, 100)),
        ("NPS (-100 to 100)", 3, 4, "{:+.0f}", (-100, 100)),
        ("Average CES (1-7, lower is easier)", 5, 6, "{:.2f}", (0, 7)),
        ("Touchpoints before first purchase", 7, 8, "{:.1f}", None),
    ]
    for ax, (title, value_at, n_at, fmt, limits) in zip(axes, panels, strict=True):
        values = [r[value_at] for r in ordered]
        colors = [ALL_COLOR if c == "all" else "#0072B2" for c in channels]
        if limits is None:
            limits = (0, max([v or 0 for v in values] + [1]) * 1.6)
        ax.barh(ys, [v or 0 for v in values], color=colors, height=0.65)
        for y, value, row in zip(ys, values, ordered, strict=True):
            text = f"{'n/a' if value is None else fmt.format(value)} (n={row[n_at]:,})"
            # inside a bar that covers most of the axis right of 0
            inside = value is not None and value > 0.6 * limits[1]
            ax.text(
                value if inside else max(value or 0, 0),  # of 0 for a negative NPS
                y,
                f"{text} " if inside else f" {text}",
                ha="right" if inside else "left",
                va="center",
                fontsize=7.5,
                color="white" if inside else "#222222",
            )
        ax.set_xlim(*limits)
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.set_title(title, fontsize=9.5)
    axes[0].set_yticks(ys, channels)
    fig.suptitle("Satisfaction and effort by channel (all months)", fontweight="bold")
    fig.tight_layout()
    return fig


def attribution(rows: Sequence[tuple]) -> Figure:
    """Attributed conversions (left) and revenue (right) per channel, a bar
    per attribution model; models in the order of the rows (the mart's
    model_order: first_touch, last_touch, linear, position_based,
    time_decay, markov), channels alphabetical, `all` left out.
    rows: (model, channel, attributed_conversions, attributed_revenue)."""
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.8), sharex=True)
    if not rows:
        axes[1].axis("off")
        return _empty(fig, axes[0], "rpt_channel_attribution has no rows")
    models = list(dict.fromkeys(r[0] for r in rows))
    channels = sorted({r[1] for r in rows if r[1] != "all"})
    width = 0.8 / len(models)
    for ax, measure, label in (
        (axes[0], 2, "attributed conversions"),
        (axes[1], 3, "attributed revenue"),
    ):
        values = {(r[0], r[1]): r[measure] or 0 for r in rows}
        for index, model in enumerate(models):
            xs = [i + (index - (len(models) - 1) / 2) * width for i in range(len(channels))]
            ax.bar(
                xs,
                [values.get((model, c), 0) for c in channels],
                width=width,
                color=PALETTE[index % len(PALETTE)],
                label=model,
            )
        ax.set_xticks(range(len(channels)), channels, rotation=30)
        ax.set_ylabel(label)
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(f"{label.capitalize()} by channel")
    axes[1].yaxis.set_major_formatter(mticker.StrMethodFormatter("{x:,.0f}"))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.suptitle("Attribution by model: conversions and revenue credited to each channel",
                 fontweight="bold")  # fmt: skip
    fig.legend(
        handles, labels, ncol=len(labels), fontsize=9, loc="upper center",
        bbox_to_anchor=(0.5, 0.94), frameon=False,
    )  # fmt: skip
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    return fig


def lifetime_value(rows: Sequence[tuple]) -> Figure:
    """CLV per segment. rows: (segment, purchasers, clv)."""
    fig, ax = plt.subplots(figsize=(9, 3.8))
    if not rows:
        return _empty(fig, ax, "rpt_customer_lifetime_value has no rows")
    ordered = sorted(rows, key=lambda r: (r[0] != "all", r[0]))
    names = [r[0] for r in ordered]
    values = [r[2] or 0 for r in ordered]
    ax.bar(names, values, color=[ALL_COLOR if n == "all" else "#009E73" for n in names])
    for index, row in enumerate(ordered):
        label = "n/a" if row[2] is None else f"{row[2]:,.0f}"
        ax.text(
            index,
            values[index],
            f"{label}\n{_plural(row[1], 'purchaser')}",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_ylabel("customer lifetime value")
    ax.set_ylim(0, max([*values, 1]) * 1.3)
    ax.set_title("Customer lifetime value by segment")
    fig.tight_layout()
    return fig


def month_label(value: dt.date | None) -> str:
    return value.strftime("%B %Y") if value else "n/a"
