"""What a change does to the marts: every mart of a build compared with a
base build (`make diff-marts`, `python -m journeys.diff`).

Marts are the models under models/marts/ in the current build's dbt
manifest. Each is compared row by row on its primary key, taken from the
mart's own `unique` or `unique_combination_of_columns` test: rows whose key
is only in the build are added, only in the base removed, in both with any
other column different changed (doubles within 1e-9 relative, as the
project's tests compare two builds; columns starting with `_` record when a
row was built and are ignored). Beside the marts: the headline figures of
`journeys summary` and a few totals, before and after. The result is
Markdown, for a pull request's job summary.

A slim build (`make ci-slim`) holds only the models it rebuilt; a mart it
did not rebuild is reported as such (its SQL and every parent are unchanged,
so it is the base's). Its figures are read from the rebuilt marts where
there are some and from the base for the rest."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from journeys.summary import Headline, read_headline

# How ci-base names the base database, and so the catalog the relations a
# slim build defers to live in (profiles.yml, target duckdb_ci).
BASE_DATABASE = "journeys_base"
CURRENT_DATABASE = "journeys_current"
REL_TOL = 1e-9
ABS_TOL = 1e-12
EXAMPLES = 3
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}


@dataclass(frozen=True)
class Mart:
    """A mart of the current build's manifest."""

    name: str
    schema: str
    identifier: str
    key: tuple[str, ...]  # empty: no primary-key test, whole rows compared
    run_status: str | None  # from run_results.json beside the manifest, if any


@dataclass
class MartDiff:
    """One mart, base against current."""

    name: str
    key: tuple[str, ...]
    status: str  # compared | not rebuilt | new | removed | failed
    rows_before: int | None = None
    rows_after: int | None = None
    added: int | None = None
    removed: int | None = None
    changed: int | None = None
    changed_columns: dict[str, int] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    duplicate_keys: tuple[int, int] = (0, 0)
    added_keys: list[tuple] = field(default_factory=list)
    removed_keys: list[tuple] = field(default_factory=list)
    # (key, [(column, before, after), ...]) for a few changed rows
    examples: list[tuple[tuple, list[tuple[str, object, object]]]] = field(default_factory=list)

    @property
    def is_changed(self) -> bool:
        return self.status in ("new", "removed", "failed") or bool(
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed
        )


@dataclass(frozen=True)
class Figure:
    """A key figure before and after; kind says how to print it."""

    label: str
    kind: str  # count | pct (a 0-1 rate) | percent (already x100) | score | amount | text
    before: object
    after: object


@dataclass
class DiffReport:
    base_path: Path
    current_path: Path
    marts: list[MartDiff]
    figures: list[Figure]
    notes: list[str]


# ---------------------------------------------------------------------------
# Inputs: which files, which marts, which keys
# ---------------------------------------------------------------------------


def resolve_base(base: Path) -> Path:
    """A base DuckDB file, or a `make ci-base` folder holding one."""
    if base.is_dir():
        base = base / f"{BASE_DATABASE}.duckdb"
    if not base.is_file():
        raise FileNotFoundError(f"no base DuckDB database at {base}")
    return base


def find_manifest(current: Path, base: Path, given: Path | None = None) -> Path:
    """The current build's manifest: given, else beside the current database
    (a slim build's target folder), else in target/ beside it (journeys.duckdb
    in the project folder), else the base's (a `make ci-base` folder)."""
    candidates = (
        [given]
        if given
        else [
            current.parent / "manifest.json",
            current.parent / "target" / "manifest.json",
            base.parent / "manifest.json",
        ]
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "no dbt manifest.json found (looked at "
        + ", ".join(str(c) for c in candidates)
        + "): build the project first, or pass --manifest"
    )


def mart_key(manifest: dict, unique_id: str) -> tuple[str, ...]:
    """The mart's primary key from its tests: a single-column `unique` test
    first (the surrogate key), else a `unique_combination_of_columns`."""
    single: list[str] = []
    combinations: list[tuple[str, ...]] = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or node.get("attached_node") != unique_id:
            continue
        metadata = node.get("test_metadata") or {}
        kwargs = metadata.get("kwargs") or {}
        if metadata.get("name") == "unique" and kwargs.get("column_name"):
            single.append(kwargs["column_name"])
        elif metadata.get("name") == "unique_combination_of_columns":
            columns = kwargs.get("combination") or kwargs.get("combination_of_columns")
            if columns:
                combinations.append(tuple(columns))
    if single:
        return (sorted(single)[0],)
    return sorted(combinations)[0] if combinations else ()


def load_marts(manifest_path: Path) -> list[Mart]:
    """Every model under models/marts/ with its key, in path order."""
    manifest = json.loads(manifest_path.read_text())
    statuses: dict[str, str] = {}
    run_results = manifest_path.with_name("run_results.json")
    if run_results.is_file():
        for result in json.loads(run_results.read_text()).get("results", []):
            statuses[result["unique_id"]] = result["status"]
    models = sorted(
        (
            node
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
            and node["original_file_path"].replace("\\", "/").startswith("models/marts/")
        ),
        key=lambda node: node["original_file_path"],
    )
    return [
        Mart(
            name=node["name"],
            schema=node["schema"],
            identifier=node.get("alias") or node["name"],
            key=mart_key(manifest, node["unique_id"]),
            run_status=statuses.get(node["unique_id"]),
        )
        for node in models
    ]


# ---------------------------------------------------------------------------
# Comparing one mart
# ---------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _relation(database: str, schema: str, identifier: str) -> str:
    return ".".join(_quote(part) for part in (database, schema, identifier))


def _relations(con: duckdb.DuckDBPyConnection, database: str) -> set[tuple[str, str]]:
    rows = con.execute(
        """
        select schema_name, table_name from duckdb_tables() where database_name = ?
        union all
        select schema_name, view_name from duckdb_views()
        where database_name = ? and not internal
        """,
        [database, database],
    ).fetchall()
    return {(schema, name) for schema, name in rows}


def _columns(
    con: duckdb.DuckDBPyConnection, database: str, schema: str, identifier: str
) -> dict[str, str]:
    """Column name -> type, in order, without the `_` bookkeeping columns."""
    rows = con.execute(
        """
        select column_name, data_type from duckdb_columns()
        where database_name = ? and schema_name = ? and table_name = ?
        order by column_index
        """,
        [database, schema, identifier],
    ).fetchall()
    return {name: data_type for name, data_type in rows if not name.startswith("_")}


def _differs(column: str, before_type: str, after_type: str) -> str:
    """SQL: true when the column differs between b (base) and a (current)."""
    before, after = f"b.{_quote(column)}", f"a.{_quote(column)}"
    if before_type != after_type:
        before, after = f"cast({before} as varchar)", f"cast({after} as varchar)"
    elif before_type in FLOAT_TYPES:
        return (
            f"(case when {before} is not distinct from {after} then false"
            f" when {before} is null or {after} is null then true"
            f" else abs({before} - {after})"
            f" > greatest({REL_TOL} * greatest(abs({before}), abs({after})), {ABS_TOL}) end)"
        )
    return f"({before} is distinct from {after})"


def _values_differ(before: object, after: object) -> bool:
    if isinstance(before, float) and isinstance(after, float):
        if before == after:
            return False
        return abs(before - after) > max(REL_TOL * max(abs(before), abs(after)), ABS_TOL)
    return before != after


def compare_mart(con: duckdb.DuckDBPyConnection, mart: Mart) -> MartDiff:
    """Rows added, removed and changed between the base and current mart."""
    before_rel = _relation(BASE_DATABASE, mart.schema, mart.identifier)
    after_rel = _relation(CURRENT_DATABASE, mart.schema, mart.identifier)
    before_cols = _columns(con, BASE_DATABASE, mart.schema, mart.identifier)
    after_cols = _columns(con, CURRENT_DATABASE, mart.schema, mart.identifier)
    diff = MartDiff(name=mart.name, key=mart.key, status="compared")
    diff.columns_added = [c for c in after_cols if c not in before_cols]
    diff.columns_removed = [c for c in before_cols if c not in after_cols]
    diff.rows_before = con.execute(f"select count(*) from {before_rel}").fetchone()[0]
    diff.rows_after = con.execute(f"select count(*) from {after_rel}").fetchone()[0]
    key = [c for c in mart.key if c in before_cols and c in after_cols]
    if len(key) != len(mart.key):
        key = []
    diff.key = tuple(key)
    common = [c for c in after_cols if c in before_cols and c not in key]
    if not key:
        return _compare_whole_rows(con, diff, before_rel, after_rel, list(after_cols), before_cols)

    key_list = ", ".join(_quote(c) for c in key)
    selected = ", ".join(_quote(c) for c in [*key, *common])
    before_dups, after_dups = (
        con.execute(f"select count(*) - count(distinct ({key_list})) from {relation}").fetchone()[0]
        for relation in (before_rel, after_rel)
    )
    diff.duplicate_keys = (before_dups, after_dups)
    on = " and ".join(f"b.{_quote(c)} is not distinct from a.{_quote(c)}" for c in key)
    joined = (
        f"from (select true as _in, {selected} from {before_rel}) as b"
        f" full outer join (select true as _in, {selected} from {after_rel}) as a on {on}"
    )
    differs = {c: _differs(c, before_cols[c], after_cols[c]) for c in common}
    any_differs = " or ".join(differs.values()) or "false"
    both = "b._in and a._in"
    counts = [
        "count(*) filter (where a._in is null)",
        "count(*) filter (where b._in is null)",
        f"count(*) filter (where {both} and ({any_differs}))",
        *(f"count(*) filter (where {both} and {expr})" for expr in differs.values()),
    ]
    row = con.execute(f"select {', '.join(counts)} {joined}").fetchone()
    diff.removed, diff.added, diff.changed = row[0], row[1], row[2]
    diff.changed_columns = {
        column: count for column, count in zip(common, row[3:], strict=True) if count
    }

    key_b = ", ".join(f"b.{_quote(c)}" for c in key)
    key_a = ", ".join(f"a.{_quote(c)}" for c in key)
    diff.removed_keys = con.execute(
        f"select {key_b} {joined} where a._in is null order by {key_b} limit {EXAMPLES}"
    ).fetchall()
    diff.added_keys = con.execute(
        f"select {key_a} {joined} where b._in is null order by {key_a} limit {EXAMPLES}"
    ).fetchall()
    if diff.changed:
        side_b = ", ".join(f"b.{_quote(c)}" for c in common)
        side_a = ", ".join(f"a.{_quote(c)}" for c in common)
        found = con.execute(
            f"select {key_b}, {side_b}, {side_a} {joined}"
            f" where {both} and ({any_differs}) order by {key_b} limit {EXAMPLES}"
        ).fetchall()
        width = len(common)
        for values in found:
            keys = values[: len(key)]
            before = values[len(key) : len(key) + width]
            after = values[len(key) + width :]
            changes = [
                (column, old, new)
                for column, old, new in zip(common, before, after, strict=True)
                if _values_differ(old, new)
            ]
            diff.examples.append((tuple(keys), changes))
    return diff


def _compare_whole_rows(
    con: duckdb.DuckDBPyConnection,
    diff: MartDiff,
    before_rel: str,
    after_rel: str,
    after_cols: list[str],
    before_cols: dict[str, str],
) -> MartDiff:
    """No key: rows (on the common columns) only in one side, as multisets."""
    common = ", ".join(_quote(c) for c in after_cols if c in before_cols)
    diff.removed = con.execute(
        f"select count(*) from (select {common} from {before_rel}"
        f" except all select {common} from {after_rel})"
    ).fetchone()[0]
    diff.added = con.execute(
        f"select count(*) from (select {common} from {after_rel}"
        f" except all select {common} from {before_rel})"
    ).fetchone()[0]
    return diff


# ---------------------------------------------------------------------------
# Key figures
# ---------------------------------------------------------------------------

# Totals beside the headline: (label, kind, query). A query whose mart is
# missing on a side reads n/a there.
TOTALS = [
    ("customers", "count", "select count(*) from dim_customers"),
    (
        "churned customers (at as_of)",
        "count",
        "select count(*) from dim_customers where is_churned",
    ),
    ("journeys", "count", "select count(*) from fct_journeys"),
    ("converted journeys", "count", "select count(*) from fct_journeys where is_converted"),
    ("conversions", "count", "select count(*) from fct_conversion_paths"),
    ("revenue", "amount", "select sum(revenue) from dim_customers"),
]


def _resolved_schema(
    con: duckdb.DuckDBPyConnection, name: str, sources: Sequence[tuple[str, set[tuple[str, str]]]]
) -> None:
    """Schema `name` in memory with a view per relation of schema main, read
    from the first source database that has it (a slim build, then base)."""
    con.execute(f"create schema if not exists memory.{_quote(name)}")
    seen: set[str] = set()
    for database, relations in sources:
        for schema, identifier in sorted(relations):
            if schema != "main" or identifier in seen:
                continue
            seen.add(identifier)
            con.execute(
                f"create view memory.{_quote(name)}.{_quote(identifier)} as"
                f" select * from {_relation(database, schema, identifier)}"
            )


def _headline_figures(before: Headline | None, after: Headline | None) -> list[Figure]:
    def get(headline: Headline | None, attribute: str) -> object:
        return None if headline is None else getattr(headline, attribute)

    figures = [
        Figure("as of", "text", get(before, "as_of"), get(after, "as_of")),
        Figure(
            "month of the figures below",
            "text",
            get(before, "period_start"),
            get(after, "period_start"),
        ),
        Figure("clean events", "count", get(before, "events_clean"), get(after, "events_clean")),
        Figure("rejected rows", "count", get(before, "rows_rejected"), get(after, "rows_rejected")),
    ]
    pairs: dict[tuple[str, str], list[object]] = {}
    for side, headline in enumerate((before, after)):
        for from_stage, to_stage, at_start, rate, _change in (
            headline.progression if headline else []
        ):
            pairs.setdefault((from_stage, to_stage), [None, None, None, None])
            pairs[(from_stage, to_stage)][side] = rate
            pairs[(from_stage, to_stage)][2 + side] = at_start
    for (from_stage, to_stage), (rate_b, rate_a, start_b, start_a) in pairs.items():
        figures.append(
            Figure(f"{from_stage} -> {to_stage} progression rate", "pct", rate_b, rate_a)
        )
        figures.append(Figure(f"{from_stage} at month start", "count", start_b, start_a))
    figures += [
        Figure("churn rate", "pct", get(before, "churn_rate"), get(after, "churn_rate")),
        Figure(
            "customers active at month start",
            "count",
            get(before, "customers_active"),
            get(after, "customers_active"),
        ),
        Figure("CSAT (% scoring 4-5)", "percent", get(before, "csat_pct"), get(after, "csat_pct")),
        Figure("NPS", "score", get(before, "nps"), get(after, "nps")),
    ]
    return figures


def key_figures(con: duckdb.DuckDBPyConnection, notes: list[str]) -> list[Figure]:
    """Headline figures and totals of both builds (schemas before / after)."""
    headlines: list[Headline | None] = []
    totals: list[list[object]] = []
    for schema in ("before", "after"):
        con.execute(f"use memory.{schema}")
        try:
            headlines.append(read_headline(con))
        except duckdb.Error as error:
            headlines.append(None)
            reason = str(error).splitlines()[0]
            notes.append(f"headline figures unavailable {schema} the change: {reason}")
        values: list[object] = []
        for _label, _kind, sql in TOTALS:
            try:
                values.append(con.execute(sql).fetchone()[0])
            except duckdb.Error:
                values.append(None)
        totals.append(values)
    con.execute("use memory.main")
    figures = _headline_figures(headlines[0], headlines[1])
    figures += [
        Figure(label, kind, before, after)
        for (label, kind, _sql), before, after in zip(TOTALS, totals[0], totals[1], strict=True)
    ]
    return figures


# ---------------------------------------------------------------------------
# The whole comparison
# ---------------------------------------------------------------------------


def diff_builds(base: Path, current: Path, manifest: Path | None = None) -> DiffReport:
    """Compare every mart of `current` (a DuckDB file) with `base`."""
    base = resolve_base(base)
    manifest_path = find_manifest(current, base, manifest)
    marts = load_marts(manifest_path)
    notes: list[str] = []
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach {_literal(base)} as {BASE_DATABASE} (read_only)")
        before_relations = _relations(con, BASE_DATABASE)
        after_relations: set[tuple[str, str]] = set()
        if current.is_file():
            con.execute(f"attach {_literal(current)} as {CURRENT_DATABASE} (read_only)")
            after_relations = _relations(con, CURRENT_DATABASE)
        elif current.with_name("manifest.json").is_file():
            notes.append(
                f"{current} does not exist: the slim build selected nothing, so every mart "
                "is the base's."
            )
        else:
            raise FileNotFoundError(f"no current DuckDB database at {current}")

        diffs: list[MartDiff] = []
        for mart in marts:
            relation = (mart.schema, mart.identifier)
            in_before, in_after = relation in before_relations, relation in after_relations
            if in_before and in_after:
                diffs.append(compare_mart(con, mart))
            elif in_after:
                rows = con.execute(
                    f"select count(*) from {_relation(CURRENT_DATABASE, *relation)}"
                ).fetchone()[0]
                diffs.append(MartDiff(mart.name, mart.key, "new", rows_after=rows, added=rows))
            elif mart.run_status in ("error", "fail", "skipped", "runtime error"):
                diffs.append(MartDiff(mart.name, mart.key, "failed"))
            elif in_before:
                rows = con.execute(
                    f"select count(*) from {_relation(BASE_DATABASE, *relation)}"
                ).fetchone()[0]
                diffs.append(
                    MartDiff(mart.name, mart.key, "not rebuilt", rows_before=rows, rows_after=rows)
                )
            else:
                notes.append(f"{mart.name} is in neither database (never built)")
        known = {(mart.schema, mart.identifier) for mart in marts}
        for schema, identifier in sorted(before_relations - known):
            if identifier.startswith(("fct_", "dim_", "rpt_")):
                rows = con.execute(
                    f"select count(*) from {_relation(BASE_DATABASE, schema, identifier)}"
                ).fetchone()[0]
                diffs.append(MartDiff(identifier, (), "removed", rows_before=rows, removed=rows))

        _resolved_schema(con, "before", [(BASE_DATABASE, before_relations)])
        _resolved_schema(
            con,
            "after",
            [(CURRENT_DATABASE, after_relations), (BASE_DATABASE, before_relations)],
        )
        figures = key_figures(con, notes)
    return DiffReport(base, current, diffs, figures, notes)


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def _n(value: object) -> str:
    return "" if value is None else f"{value:,}"


def _cell(value: object) -> str:
    if value is None:
        return "null"
    text = f"{value:.6g}" if isinstance(value, float) else str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def _figure(kind: str, value: object) -> str:
    if value is None:
        return "n/a"
    if kind == "count":
        return f"{value:,}"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "percent":
        return f"{value:.1f}%"
    if kind == "score":
        return f"{value:+.1f}"
    if kind == "amount":
        return f"{value:,.2f}"
    return str(value)


def _change(figure: Figure) -> str:
    before, after = figure.before, figure.after
    if before is None or after is None:
        return "" if before is None and after is None else "changed"
    if figure.kind == "text":
        return "" if before == after else "changed"
    if not _values_differ(float(before), float(after)):  # type: ignore[arg-type]
        return ""
    delta = after - before  # type: ignore[operator]
    if figure.kind in ("pct", "percent"):
        return f"{delta * (100 if figure.kind == 'pct' else 1):+.2f} pts"
    if figure.kind == "count":
        return f"{delta:+,}"
    return f"{delta:+,.2f}"


def _status(diff: MartDiff) -> str:
    if diff.status == "not rebuilt":
        return "not rebuilt (unchanged: the base's)"
    if diff.status != "compared":
        return diff.status
    parts = []
    if diff.columns_added:
        parts.append("new columns: " + ", ".join(diff.columns_added))
    if diff.columns_removed:
        parts.append("dropped columns: " + ", ".join(diff.columns_removed))
    if diff.changed_columns:
        parts.append(
            "changed: "
            + ", ".join(f"{column} ({count:,})" for column, count in diff.changed_columns.items())
        )
    if any(diff.duplicate_keys):
        parts.append(
            f"key not unique (duplicates before {diff.duplicate_keys[0]:,},"
            f" after {diff.duplicate_keys[1]:,}): counts are approximate"
        )
    if not diff.key:
        parts.append("no key test: whole rows compared")
    return "; ".join(parts) if parts else ("identical" if not diff.is_changed else "rows differ")


def format_markdown(report: DiffReport) -> str:
    """The report as Markdown (GitHub flavoured, for a job summary)."""
    compared = [d for d in report.marts if d.status == "compared"]
    changed = [d for d in report.marts if d.is_changed]
    lines = [
        "## Mart diff",
        "",
        f"`{report.current_path}` against the base `{report.base_path}`:"
        f" {len(report.marts)} marts, {len(compared)} rebuilt and compared,"
        f" **{len(changed)} changed**.",
        "",
        "| mart | key | rows before | rows after | added | removed | changed | what changed |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for diff in report.marts:
        key = ", ".join(diff.key) if diff.key else ""
        lines.append(
            f"| `{diff.name}` | {key} | {_n(diff.rows_before)} | {_n(diff.rows_after)}"
            f" | {_n(diff.added)} | {_n(diff.removed)} | {_n(diff.changed)} | {_status(diff)} |"
        )
    lines += [
        "",
        "### Key figures",
        "",
        "| figure | before | after | change |",
        "|---|---:|---:|---:|",
    ]
    for figure in report.figures:
        lines.append(
            f"| {figure.label} | {_figure(figure.kind, figure.before)}"
            f" | {_figure(figure.kind, figure.after)} | {_change(figure)} |"
        )
    lines.append("")
    lines.append(
        "Headline figures are those of `journeys summary`: the latest month ended by as_of,"
        " all segments and channels."
    )
    details = [d for d in compared if d.examples or d.added_keys or d.removed_keys]
    if details:
        lines += ["", "### Examples"]
    for diff in details:
        lines += [
            "",
            f"<details><summary><code>{diff.name}</code>: {_n(diff.added)} added,"
            f" {_n(diff.removed)} removed, {_n(diff.changed)} changed</summary>",
            "",
        ]
        key = ", ".join(diff.key)
        for label, keys in (("added", diff.added_keys), ("removed", diff.removed_keys)):
            if keys:
                shown = "; ".join(", ".join(_cell(v) for v in k) for k in keys)
                lines.append(f"- {label} ({key}): {shown}")
        if diff.examples:
            if diff.added_keys or diff.removed_keys:
                lines.append("")
            lines += [f"| {key} | column | before | after |", "|---|---|---|---|"]
            for keys, changes in diff.examples:
                for column, before, after in changes:
                    lines.append(
                        f"| {', '.join(_cell(v) for v in keys)} | {column}"
                        f" | {_cell(before)} | {_cell(after)} |"
                    )
        lines += ["", "</details>"]
    if report.notes:
        lines += ["", *(f"- {note}" for note in report.notes)]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m journeys.diff",
        description="Compare every mart of a build with a base build and print Markdown.",
    )
    parser.add_argument(
        "--base", required=True, type=Path, help="base DuckDB file, or a make ci-base folder"
    )
    parser.add_argument(
        "--current",
        default=Path("journeys.duckdb"),
        type=Path,
        help="the build to compare (default journeys.duckdb)",
    )
    parser.add_argument(
        "--manifest", type=Path, help="the current build's manifest.json (default: found)"
    )
    parser.add_argument(
        "--append-to",
        type=Path,
        help="also append the Markdown to this file ($GITHUB_STEP_SUMMARY)",
    )
    args = parser.parse_args(argv)
    try:
        report = diff_builds(args.base, args.current, args.manifest)
    except (FileNotFoundError, duckdb.Error) as error:
        print(f"journeys diff: {error}", file=sys.stderr)
        return 1
    text = format_markdown(report)
    print(text, end="")
    if args.append_to:
        with args.append_to.open("a", encoding="utf-8") as summary:
            summary.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
