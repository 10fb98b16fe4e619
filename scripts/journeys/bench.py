"""The benchmark: full build, incremental build after 1% new events, a no-op
incremental build (no new data: what every run costs before any work), and
the engine's floor for the core work, measured in one run on one machine.

Every dbt step runs in its own process so that its peak memory (max RSS) is
its own; times are wall-clock seconds of that process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from journeys.generate import generate_dataset
from journeys.project import DbtInvocation, find_project_dir

EVENTS_PER_CUSTOMER_YEAR = 31.2  # what the generator produces over 365 days


@dataclass
class StepResult:
    """One timed dbt process."""

    seconds: float
    peak_rss_mb: float
    cpu_seconds: float = 0.0
    slowest_models: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class BenchResult:
    """Everything `journeys bench` prints."""

    events: int
    new_events: int
    generate_seconds: float
    full: StepResult
    incremental: StepResult
    floor_seconds: float
    memory_limit: str
    floor_cpu_seconds: float = 0.0
    selector: str | None = None
    # an incremental run with no new data: what one dbt invocation of the
    # selection costs before any event is processed (start-up, parsing,
    # each model's round trips and change detection)
    no_op: StepResult | None = None

    @property
    def full_over_floor(self) -> float:
        return self.full.seconds / self.floor_seconds

    @property
    def incremental_over_full(self) -> float:
        return self.incremental.seconds / self.full.seconds

    @property
    def full_over_floor_cpu(self) -> float:
        return self.full.cpu_seconds / self.floor_cpu_seconds

    @property
    def incremental_over_full_cpu(self) -> float:
        return self.incremental.cpu_seconds / self.full.cpu_seconds

    @property
    def no_op_over_full(self) -> float | None:
        return self.no_op.seconds / self.full.seconds if self.no_op else None

    @property
    def events_per_second(self) -> float:
        return self.events / self.full.seconds


def _timed_process(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Run a process to completion; (wall seconds, peak RSS in MB, CPU
    seconds of all its threads). Raises with the process output when it
    fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed:\n{output[-4000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _slowest_models(target_path: Path, top: int = 8) -> list[tuple[str, float]]:
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    timed = [(r["unique_id"].split(".")[-1], round(r["execution_time"], 2)) for r in results]
    return sorted(timed, key=lambda item: item[1], reverse=True)[:top]


def _dbt_step(invocation: DbtInvocation, command: list[str]) -> StepResult:
    dbt = str(Path(sys.executable).with_name("dbt"))
    seconds, peak, cpu = _timed_process(
        [dbt, *invocation.args(command)], invocation.env(), invocation.project_dir
    )
    return StepResult(
        round(seconds, 2), round(peak, 1), round(cpu, 2), _slowest_models(invocation.target_path)
    )


def append_new_events(events_dir: Path, share: float = 0.01) -> int:
    """Add `share` of the events as a new file: the latest activity replayed
    just after the end with new ids, so the new events come from recently
    active customers, as a new day of data would."""
    source = events_dir / "part-1.parquet"
    target = events_dir / "part-2.parquet"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        cutoff, last = con.execute(
            f"select quantile_disc(occurred_at, {1 - share}), max(occurred_at)"
            f" from read_parquet('{source}') where occurred_at < timestamp '2099-01-01'"
        ).fetchone()
        con.execute(
            f"""
            copy (
                select
                    'new_' || event_id as event_id,
                    occurred_at + (timestamptz '{last}' - timestamptz '{cutoff}')
                        + interval 1 minute as occurred_at,
                    * exclude (event_id, occurred_at)
                from read_parquet('{source}')
                where occurred_at >= timestamptz '{cutoff}'
                  and occurred_at <= timestamptz '{last}'
            ) to '{target}' (format parquet)
            """
        )
        return con.execute(f"select count(*) from read_parquet('{target}')").fetchone()[0]


def floor_seconds(events_glob: str, database: Path, memory_limit: str) -> tuple[float, float]:
    """The engine's floor for the core work: one bare DuckDB query that reads
    the events and sessionizes them (30-minute gaps) into a table. Returns
    (wall seconds, CPU seconds of this process's threads)."""
    with duckdb.connect(str(database)) as con:
        con.execute("set preserve_insertion_order = false")
        con.execute(f"set memory_limit = '{memory_limit}'")
        started = time.perf_counter()
        cpu_started = time.process_time()
        con.execute(
            f"""
            create or replace table sessionized as
            with events as (
                select
                    event_id,
                    coalesce(customer_id, 'anon:' || anonymous_id) as customer_key,
                    cast(occurred_at as timestamp) as occurred_at
                from read_parquet('{events_glob}')
            ),
            starts as (
                select
                    *,
                    case
                        when lag(occurred_at) over customer_order is null
                            or occurred_at > lag(occurred_at) over customer_order
                                + interval 30 minute
                            then 1 else 0
                    end as is_session_start
                from events
                window customer_order as (partition by customer_key order by occurred_at, event_id)
            )
            select
                event_id,
                customer_key,
                occurred_at,
                sum(is_session_start) over (
                    partition by customer_key order by occurred_at, event_id
                    rows between unbounded preceding and current row
                ) as session_number
            from starts
            """
        )
        return (
            round(time.perf_counter() - started, 2),
            round(time.process_time() - cpu_started, 2),
        )


def run_bench(
    events: int,
    workdir: Path,
    days: int = 365,
    seed: int = 42,
    memory_limit: str = "8GB",
    selector: str | None = None,
) -> BenchResult:
    """Generate ~`events` events and measure full, incremental and floor.
    With `selector` (a name in selectors.yml, e.g. core_pipeline), both
    builds run only that selection; otherwise every model."""
    project_dir = find_project_dir()
    if workdir.exists():
        shutil.rmtree(workdir)
    raw = workdir / "raw"
    customers = max(50, round(events / EVENTS_PER_CUSTOMER_YEAR * 365 / days))
    started = time.perf_counter()
    counts = generate_dataset(customers=customers, days=days, out_dir=raw, seed=seed)
    generate_seconds = round(time.perf_counter() - started, 2)
    events_dir = raw / "events"
    events_dir.mkdir()
    (raw / "events.parquet").rename(events_dir / "part-1.parquet")

    os.environ["JOURNEYS_DUCKDB_MEMORY_LIMIT"] = memory_limit
    invocation = DbtInvocation(
        project_dir=project_dir,
        duckdb_path=workdir / "bench.duckdb",
        vars={"raw_data_dir": str(raw)},
        target_path=workdir / "target",
    )
    selection = ["--selector", selector] if selector else []
    _dbt_step(invocation, ["seed"])
    full = _dbt_step(invocation, ["run", "--full-refresh", *selection])
    new_events = append_new_events(events_dir)
    incremental = _dbt_step(invocation, ["run", *selection])
    no_op = _dbt_step(invocation, ["run", *selection])
    floor, floor_cpu = floor_seconds(
        str(events_dir / "*.parquet"), workdir / "floor.duckdb", memory_limit
    )
    return BenchResult(
        events=counts["events"],
        new_events=new_events,
        generate_seconds=generate_seconds,
        full=full,
        incremental=incremental,
        floor_seconds=floor,
        floor_cpu_seconds=floor_cpu,
        memory_limit=memory_limit,
        selector=selector,
        no_op=no_op,
    )


def format_bench(result: BenchResult) -> str:
    lines = [
        f"journeys bench: {result.events:,} events (+{result.new_events:,} new), "
        f"DuckDB memory_limit {result.memory_limit}, {os.cpu_count()} cores, "
        f"models: {('selector ' + result.selector) if result.selector else 'all'}",
        f"  generate               {result.generate_seconds:8.2f} s",
        f"  full build (dbt run)   {result.full.seconds:8.2f} s   "
        f"peak memory {result.full.peak_rss_mb:,.0f} MB",
        f"  incremental (+1%)      {result.incremental.seconds:8.2f} s   "
        f"peak memory {result.incremental.peak_rss_mb:,.0f} MB",
        f"  no-op incremental      {result.no_op.seconds:8.2f} s   "
        f"(no new data: dbt's fixed cost of this selection, "
        f"{result.no_op_over_full:.2f} of the full build)"
        if result.no_op
        else "  no-op incremental      not measured",
        f"  floor (bare DuckDB sessionization) {result.floor_seconds:6.2f} s",
        f"  full / floor           {result.full_over_floor:8.2f} x   (target <= 3)",
        f"  incremental / full     {result.incremental_over_full:8.2f}     (target <= 0.10)",
        f"  events per second      {result.events_per_second:10,.0f}   (full build)",
        f"  CPU seconds (all threads; steadier on a busy machine): full "
        f"{result.full.cpu_seconds:.1f}, incremental {result.incremental.cpu_seconds:.1f}, "
        f"floor {result.floor_cpu_seconds:.1f}; full / floor "
        f"{result.full_over_floor_cpu:.2f} x, incremental / full "
        f"{result.incremental_over_full_cpu:.2f}",
        "  slowest models, full build: "
        + ", ".join(f"{name} {seconds}s" for name, seconds in result.full.slowest_models),
        "  slowest models, incremental: "
        + ", ".join(f"{name} {seconds}s" for name, seconds in result.incremental.slowest_models),
    ]
    return "\n".join(lines)


def bench_json(result: BenchResult) -> str:
    payload = asdict(result)
    payload.update(
        full_over_floor=result.full_over_floor,
        incremental_over_full=result.incremental_over_full,
        full_over_floor_cpu=result.full_over_floor_cpu,
        incremental_over_full_cpu=result.incremental_over_full_cpu,
        no_op_over_full=result.no_op_over_full,
        events_per_second=result.events_per_second,
    )
    return json.dumps(payload, indent=2)
