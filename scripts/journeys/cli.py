"""The `journeys` command: a thin CLI over the service modules."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from journeys.project import DbtInvocation, find_project_dir

# the stage progression chart's default minimum (journeys.charts; not
# imported from there: matplotlib would load for every command)
MIN_PROGRESSION_CUSTOMERS = 10


def _invocation(args: argparse.Namespace) -> DbtInvocation:
    project_dir = find_project_dir()
    try:
        dbt_vars: dict[str, object] = json.loads(args.vars) if args.vars else {}
    except json.JSONDecodeError as error:
        raise ValueError(f"--vars is not a JSON object: {error}") from None
    if not isinstance(dbt_vars, dict):
        raise ValueError(f"--vars is not a JSON object: {args.vars}")
    if args.raw_data_dir:
        dbt_vars["raw_data_dir"] = str(Path(args.raw_data_dir).resolve())
    if args.as_of:
        dbt_vars["as_of"] = args.as_of
    duckdb_path = Path(args.db).resolve() if args.db else None
    return DbtInvocation(
        project_dir=project_dir, duckdb_path=duckdb_path, vars=dbt_vars, target=args.target
    )


def _database_path(invocation: DbtInvocation) -> Path:
    if invocation.duckdb_path is not None:
        return invocation.duckdb_path
    configured = os.environ.get("JOURNEYS_DUCKDB_PATH", "journeys.duckdb")
    path = Path(configured)
    return path if path.is_absolute() else invocation.project_dir / path


def cmd_generate(args: argparse.Namespace) -> int:
    from journeys import generate

    if args.sample:
        counts = generate.write_sample_seeds(find_project_dir())
        target = "seeds/sample"
    else:
        if not args.out:
            raise SystemExit("journeys generate: --out DIR is required (or --sample)")
        counts = generate.generate_dataset(
            customers=args.customers,
            days=args.days,
            out_dir=Path(args.out),
            seed=args.seed,
            start=args.start,
            fmt=args.format,
            bad_rows=not args.no_bad_rows,
        )
        target = args.out
    summary = ", ".join(f"{name} {rows:,}" for name, rows in counts.items())
    print(f"journeys generate: wrote {target}: {summary}")
    return 0


def _report_outcomes(command: str, outcomes: list) -> None:
    """Print each dbt step's summary and failures; raise DbtError (one line,
    non-zero exit) when a step failed."""
    from journeys.runner import DbtError

    for outcome in outcomes:
        for line in outcome.failures:
            print(f"  {line}", file=sys.stderr)
        print(f"journeys {command}: {outcome.summary()}", file=sys.stderr)
        if not outcome.success:
            failed = len(outcome.failures)
            detail = f"{failed} node(s) failed (listed above)" if failed else outcome.error
            raise DbtError(f"dbt {outcome.command[0]} failed: {detail}; full log in logs/dbt.log")


def cmd_build(args: argparse.Namespace) -> int:
    if getattr(args, "publish", False):
        if args.select:
            raise ValueError("--publish builds the whole project: drop --select")
        return cmd_publish(args)
    from journeys.build import build

    outcomes = build(_invocation(args), select=args.select, full_refresh=args.full_refresh)
    _report_outcomes("build", outcomes)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from journeys.marts import serving_database
    from journeys.publish import PublishError, publish, status

    invocation = _invocation(args)
    serving = serving_database(invocation.project_dir, args.serving)
    if getattr(args, "status", False):
        print(status(serving))
        return 0
    try:
        result = publish(invocation, serving, full_refresh=args.full_refresh)
    except PublishError as error:
        if error.outcome is not None:
            for line in error.outcome.failures:
                print(f"  {line}", file=sys.stderr)
            print(f"journeys publish: {error.outcome.summary()}", file=sys.stderr)
        raise PublishError(f"{error}; {serving} is unchanged") from None
    print(f"journeys publish: {result.outcome.summary()}", file=sys.stderr)
    print(
        f"journeys publish: published build {result.build_id} ({result.build_mode}) to "
        f"{result.serving_path}: {len(result.row_counts)} marts, "
        f"{sum(result.row_counts.values()):,} rows"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from journeys.export import export, format_manifest
    from journeys.marts import source_database

    source = source_database(find_project_dir(), args.db, args.serving)
    out_dir = Path(args.out).resolve()
    manifest = export(source, out_dir, fmt=args.format, models=args.models)
    print(format_manifest(manifest, out_dir))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from journeys.marts import source_database
    from journeys.report import Settings, render_report

    source = source_database(find_project_dir(), args.db, args.serving)
    report = render_report(source, Path(args.out), Settings(min_customers=args.min_customers))
    drawn = [p.key for p in report.panels if p.png is not None]
    missing = [p.key for p in report.panels if p.png is None]
    print(
        f"journeys report: wrote {report.html_path} ({len(drawn)} charts"
        + (f"; not built: {', '.join(missing)}" if missing else "")
        + f") from {source}"
    )
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from journeys.docs import generate_docs, serve_docs

    invocation = _invocation(args)
    site, catalog = generate_docs(
        invocation, Path(args.out) if args.out else None, serving=args.serving
    )
    print(f"journeys docs: wrote {site} ({catalog})")
    if args.serve:
        print(f"journeys docs: serving on http://localhost:{args.port} (Ctrl-C to stop)")
        serve_docs(invocation, args.port)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from journeys.summary import format_headline, read_headline

    path = _database_path(_invocation(args))
    if not path.is_file():
        raise SystemExit(f"journeys summary: no database at {path}; run `journeys build` first")
    print(format_headline(read_headline(path)))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    cmd_build(args)
    return cmd_summary(args)


def cmd_with_engine(args: argparse.Namespace) -> int:
    from journeys import engines

    command = list(args.cmd)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        raise SystemExit("journeys with-engine: give the command to run after --")
    return engines.run_with_engine(args.engine, command, keep=args.keep)


def cmd_bench(args: argparse.Namespace) -> int:
    from journeys.bench import bench_json, format_bench, run_bench

    result = run_bench(
        events=args.events,
        workdir=Path(args.workdir).resolve(),
        days=args.days,
        seed=args.seed,
        memory_limit=args.memory_limit,
        selector=args.selector,
    )
    print(format_bench(result))
    if args.json:
        Path(args.json).write_text(bench_json(result))
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def _add_dbt_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw-data-dir",
        help="folder of input files (events, customers, ...); default: the sample seeds",
    )
    parser.add_argument("--as-of", help="evaluation instant, ISO-8601 (default: latest event)")
    parser.add_argument(
        "--vars", help="more dbt vars as JSON, e.g. '{\"churn_inactivity_days\": 60}'"
    )
    parser.add_argument(
        "--db", help="DuckDB file (default: $JOURNEYS_DUCKDB_PATH or journeys.duckdb)"
    )
    parser.add_argument("--target", help="dbt target (default: duckdb)")


def _add_serving_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--serving",
        metavar="PATH",
        help="serving database (default: $JOURNEYS_SERVING_PATH or serving/journeys.duckdb)",
    )


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", help="read this DuckDB file (default: the serving database, else the build one)"
    )
    _add_serving_option(parser)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr, exit 2:
    `journeys build: unrecognized arguments: --x (see journeys build --help)`.
    argparse's own error() prints the usage block first (two or more lines);
    the subcommand parsers are made with this class too (add_subparsers
    uses the parent's class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="journeys",
        description="Customer-journey analytics on dbt: generate data, build and test, "
        "publish to BI, export, report, document. `journeys COMMAND --help` for each.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate", help="write realistic input data (Parquet/CSV) or the sample seeds"
    )
    generate.add_argument("--sample", action="store_true", help="rewrite seeds/sample/*.csv")
    generate.add_argument("--customers", type=int, default=1000, help="customers (default 1000)")
    generate.add_argument("--days", type=int, default=365, help="days of history (default 365)")
    generate.add_argument("--out", help="output folder")
    generate.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    generate.add_argument(
        "--start", type=_date, default=dt.date(2025, 1, 6), help="first day (default 2025-01-06)"
    )
    generate.add_argument(
        "--format",
        choices=["parquet", "csv"],
        default="parquet",
        help="file format (default parquet)",
    )
    generate.add_argument("--no-bad-rows", action="store_true", help="write only valid rows")
    generate.set_defaults(func=cmd_generate)

    build = commands.add_parser(
        "build",
        help="dbt build (seeds, models, unit and data tests) with live progress",
        description="Build the project into the build database: seeds, models, unit tests "
        "and data tests in dependency order, with a live count of models and tests done and "
        "the elapsed time, then a summary and one line per failed node (dbt's full log is in "
        "logs/dbt.log). With --select, seeds the selection needs are loaded first when they "
        "are missing. With --publish, builds into a working copy and publishes it to the "
        "serving database only if every test passes (see `journeys publish --help`).",
        epilog="examples: journeys build | journeys build --select rpt_churn+ | "
        "journeys build --publish",
    )
    _add_dbt_options(build)
    build.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    build.add_argument("--select", nargs="+", help="dbt node selection (e.g. rpt_churn+)")
    build.add_argument(
        "--publish", action="store_true", help="write-audit-publish to the serving database"
    )
    _add_serving_option(build)
    build.set_defaults(func=cmd_build)

    publish = commands.add_parser(
        "publish",
        help="build and test into a working copy, then atomically serve it to BI",
        description="Write-audit-publish. Copies the serving database (or starts empty with "
        "--full-refresh or when nothing is published yet), runs dbt build into the copy, and "
        "only if every model and test passed records the publication (table "
        "journeys_publication) and renames the copy over the serving database in one atomic "
        "step. BI tools reading the serving file (read-only) see the old state or the new "
        "one, never a mix, and never wait. A failed or killed publish leaves the serving "
        "database exactly as it was. One publish at a time per serving file.",
        epilog="examples: journeys publish | journeys publish --full-refresh | "
        "journeys publish --status",
    )
    _add_dbt_options(publish)
    publish.add_argument(
        "--full-refresh", action="store_true", help="build from an empty database, not a copy"
    )
    publish.add_argument("--status", action="store_true", help="show what is being served")
    _add_serving_option(publish)
    publish.set_defaults(func=cmd_publish, select=None)

    export = commands.add_parser(
        "export",
        help="write the marts as Parquet or CSV files with a manifest",
        description="Write each public mart (fct_*, dim_*, rpt_*, rejected_rows, "
        "dropped_duplicate_rows) to DIR as <mart>.parquet or <mart>.csv, plus manifest.json "
        "(source database, build id and time, as_of, and per file its rows, columns and "
        "types, size and SHA-256). Reads the serving database if one is published, else the "
        "build database (or --db), read-only. Times are UTC.",
        epilog="example: journeys export --format parquet --out exports/ "
        "--models fct_journeys rpt_churn",
    )
    export.add_argument(
        "--format",
        choices=["parquet", "csv"],
        default="parquet",
        help="file format (default parquet)",
    )
    export.add_argument("--out", required=True, metavar="DIR", help="output folder")
    export.add_argument("--models", nargs="+", metavar="MART", help="only these marts")
    _add_source_options(export)
    export.set_defaults(func=cmd_export)

    report = commands.add_parser(
        "report",
        help="render the HTML report (and PNG charts) from the marts",
        description="Render DIR/index.html, one self-contained page (charts embedded, no "
        "scripts, nothing loaded from elsewhere), and each chart as DIR/<chart>.png: the "
        "stage funnel, stage progression rate over time by segment, the flow of stage "
        "transitions, churn over time, satisfaction and effort by channel, attribution by "
        "model and lifetime value by segment. A chart whose mart is not built shows a "
        "'not built' panel. Reads the serving database if one is published, else the build "
        "database (or --db), read-only.",
        epilog="example: journeys report --out reports/latest",
    )
    report.add_argument("--out", required=True, metavar="DIR", help="output folder")
    report.add_argument(
        "--min-customers",
        type=int,
        default=MIN_PROGRESSION_CUSTOMERS,
        metavar="N",
        help="stage progression chart: draw a segment's monthly rate only from at least N "
        f"customers at the month start (default {MIN_PROGRESSION_CUSTOMERS})",
    )
    _add_source_options(report)
    report.set_defaults(func=cmd_report)

    docs = commands.add_parser(
        "docs",
        help="build the dbt docs site (catalogue, lineage, column docs)",
        description="Run dbt docs generate: every model, column, test, exposure and metric "
        "with lineage, and a catalogue of types and sizes from the build database (else a "
        "copy of the serving database; else no catalogue). The site is target/index.html; "
        "--out DIR also writes a single-file site DIR/index.html; --serve serves "
        "target/ on --port.",
        epilog="examples: journeys docs --out site/ | journeys docs --serve --port 8080",
    )
    _add_dbt_options(docs)
    docs.add_argument("--out", metavar="DIR", help="also write a single-file site here")
    docs.add_argument("--serve", action="store_true", help="serve the site afterwards")
    docs.add_argument("--port", type=int, default=8080, help="port for --serve (default 8080)")
    _add_serving_option(docs)
    docs.set_defaults(func=cmd_docs)

    summary = commands.add_parser("summary", help="print the headline figures of a build")
    _add_dbt_options(summary)
    summary.set_defaults(func=cmd_summary)

    run = commands.add_parser("run", help="build, then print the headline figures")
    _add_dbt_options(run)
    run.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    run.add_argument("--select", nargs="+", help="dbt node selection")
    run.set_defaults(func=cmd_run)

    bench = commands.add_parser(
        "bench",
        help="measure full and incremental builds against the engine's floor",
        description="Generate ~EVENTS events, then time a full build, an incremental "
        "build after 1% new events, a no-op incremental build (no new data: dbt's fixed "
        "cost) and one bare DuckDB sessionization query (the floor), and print the ratios, "
        "events per second, CPU seconds, peak memory and the slowest models.",
    )
    bench.add_argument("--events", type=int, default=1_000_000, help="events (default 1M)")
    bench.add_argument("--days", type=int, default=365, help="days of history (default 365)")
    bench.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    bench.add_argument(
        "--workdir", default="target/bench", help="scratch folder (default target/bench)"
    )
    bench.add_argument("--memory-limit", default="8GB", help="DuckDB memory_limit (default 8GB)")
    bench.add_argument(
        "--selector",
        help="build only this selection of selectors.yml, e.g. core_pipeline (the "
        "event-grain models the floor compares with); default: every model",
    )
    bench.add_argument("--json", help="also write the figures as JSON to this file")
    bench.set_defaults(func=cmd_bench)

    with_engine = commands.add_parser(
        "with-engine",
        help="start a throwaway engine, run a command against it, stop it",
        description="Start a throwaway engine (postgres: a private server on 127.0.0.1 in a "
        "temporary folder; spark: a temporary warehouse and metastore for a local session; "
        "duckdb: a temporary file), run COMMAND with JOURNEYS_TARGET and the connection in "
        "its environment, then stop the engine and delete its files, also on failure. "
        "Example: journeys with-engine postgres -- dbt build --profiles-dir .",
    )
    with_engine.add_argument(
        "engine", choices=["duckdb", "postgres", "spark"], help="the engine to start"
    )
    with_engine.add_argument("--keep", action="store_true", help="keep the engine's files")
    with_engine.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    with_engine.set_defaults(func=cmd_with_engine)
    from journeys.backtest import add_parser as add_backtest_parser

    add_backtest_parser(commands)
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse, naming the subcommand in the error of an unknown option:
    the top-level parser would report `journeys: unrecognized arguments`."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        action.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Every error ends in one line on stderr, `journeys
    COMMAND: what went wrong`, and a non-zero exit: 2 for a usage error
    (_Parser.error), 1 for a failure, 130 when interrupted. An unexpected
    exception (a bug) is one line too; JOURNEYS_DEBUG=1 shows its traceback."""
    args = _parse(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"journeys {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        from journeys.engines import EngineError
        from journeys.publish import PublishError
        from journeys.runner import DbtError

        known = (DbtError, EngineError, PublishError, FileNotFoundError, ValueError)
        if isinstance(error, known):
            message = str(error)
        elif os.environ.get("JOURNEYS_DEBUG"):
            raise
        else:
            message = (
                f"unexpected error ({type(error).__name__}: {error}); "
                "JOURNEYS_DEBUG=1 shows the traceback"
            )
        print(f"journeys {args.command}: {' '.join(message.split())}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
