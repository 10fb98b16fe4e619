"""The `journeys` command: a thin CLI over the service modules."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from journeys.project import DbtInvocation, find_project_dir


def _invocation(args: argparse.Namespace) -> DbtInvocation:
    project_dir = find_project_dir()
    dbt_vars: dict[str, object] = json.loads(args.vars) if args.vars else {}
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


def cmd_build(args: argparse.Namespace) -> int:
    from journeys.runner import run_dbt

    invocation = _invocation(args)
    command = ["build"]
    if args.full_refresh:
        command.append("--full-refresh")
    if args.select:
        command += ["--select", *args.select]
    run_dbt(invocation, command)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journeys",
        description="Customer-journey analytics on dbt: generate, build, summarise.",
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
    generate.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    generate.add_argument("--no-bad-rows", action="store_true", help="write only valid rows")
    generate.set_defaults(func=cmd_generate)

    build = commands.add_parser("build", help="dbt build: seeds, models, unit and data tests")
    _add_dbt_options(build)
    build.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    build.add_argument("--select", nargs="+", help="dbt node selection")
    build.set_defaults(func=cmd_build)

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
        "build after 1%% new events and one bare DuckDB sessionization query (the floor), "
        "and print the ratios, events per second and peak memory.",
    )
    bench.add_argument("--events", type=int, default=1_000_000, help="events (default 1M)")
    bench.add_argument("--days", type=int, default=365, help="days of history (default 365)")
    bench.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    bench.add_argument(
        "--workdir", default="target/bench", help="scratch folder (default target/bench)"
    )
    bench.add_argument("--memory-limit", default="8GB", help="DuckDB memory_limit (default 8GB)")
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
    with_engine.add_argument("engine", choices=["duckdb", "postgres", "spark"])
    with_engine.add_argument("--keep", action="store_true", help="keep the engine's files")
    with_engine.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    with_engine.set_defaults(func=cmd_with_engine)
    from journeys.backtest import add_parser as add_backtest_parser

    add_backtest_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as error:  # one clear line, non-zero exit
        from journeys.engines import EngineError
        from journeys.runner import DbtError

        if isinstance(error, DbtError | EngineError | FileNotFoundError | ValueError):
            print(f"journeys {args.command}: {error}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
