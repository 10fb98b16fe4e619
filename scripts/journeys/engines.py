"""Throwaway engines for building the project off DuckDB.

`postgres()` starts a private PostgreSQL server (initdb into a temporary
folder, a free port on 127.0.0.1, fsync off) and stops it afterwards, even
when the body fails or is interrupted. `spark()` provides a temporary
folder for the warehouse and the Hive metastore of a local, in-process
Spark session (the session itself lives in whichever process runs dbt).

Each yields an `Engine`: the dbt target and the environment variables that
`profiles.yml` reads for it. `read_table()` reads a built table back
(comparisons across engines, see tests/pytest/test_cross_engine.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ENGINES = ("duckdb", "postgres", "spark")

PG_USER = "journeys"
PG_DBNAME = "journeys"
PG_SCHEMA = "journeys"
SPARK_SCHEMA = "journeys"


class EngineError(RuntimeError):
    """An engine could not be started or stopped."""


@dataclass
class Engine:
    """A running engine: the dbt target to use and the environment that
    points profiles.yml at it."""

    name: str
    env: dict[str, str] = field(default_factory=dict)
    workdir: Path | None = None

    @property
    def target(self) -> str:
        return self.name


# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------


def find_postgres_bindir() -> Path:
    """The folder holding initdb and pg_ctl: $JOURNEYS_PG_BINDIR, else the
    PATH (links resolved), else the newest /usr/lib/postgresql/<version>/bin."""
    configured = os.environ.get("JOURNEYS_PG_BINDIR")
    candidates: list[Path] = [Path(configured)] if configured else []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    versions.sort(key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates += [Path(p) for p in reversed(versions)]
    for candidate in candidates:
        if all((candidate / name).is_file() for name in ("initdb", "pg_ctl", "createdb")):
            return candidate
    raise EngineError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL "
        "(e.g. apt-get install postgresql) or set JOURNEYS_PG_BINDIR"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_account() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as `postgres` (or
    `nobody`); otherwise as the current user (None)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise EngineError("running as root and no 'postgres' or 'nobody' account to run PostgreSQL")


def _run(command: Sequence[str], user: str | None, log: Path | None = None) -> None:
    result = subprocess.run(
        list(command), user=user, capture_output=True, text=True, check=False, cwd="/"
    )
    if result.returncode != 0:
        detail = (result.stdout + result.stderr).strip()[-3000:]
        if log is not None and log.is_file():
            detail += "\n--- server log ---\n" + log.read_text(errors="replace")[-3000:]
        raise EngineError(f"{Path(command[0]).name} failed ({result.returncode}):\n{detail}")


def _stop_postgres(bindir: Path, data: Path, user: str | None) -> None:
    """pg_ctl stop (fast), else kill the postmaster named in postmaster.pid."""
    result = subprocess.run(
        [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop"],
        user=user,
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )
    pid_file = data / "postmaster.pid"
    if result.returncode == 0 or not pid_file.is_file():
        return
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            os.kill(pid, 0)  # raises once it is gone
            time.sleep(0.1)


@contextlib.contextmanager
def postgres(keep: bool = False) -> Iterator[Engine]:
    """A throwaway PostgreSQL server on 127.0.0.1 (trust authentication, user
    and database `journeys`), removed with its data on exit."""
    bindir = find_postgres_bindir()
    user = _server_account()
    workdir = Path(tempfile.mkdtemp(prefix="journeys-pg-"))
    data, sockets, log = workdir / "data", workdir / "sockets", workdir / "postgres.log"
    sockets.mkdir()
    if user is not None:
        account = pwd.getpwnam(user)
        for path in (workdir, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    started = False
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                PG_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            user,
        )
        port = free_port()
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-p {port}",
                f"-k {sockets}",
                # a throwaway server: durability buys nothing
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c shared_buffers=256MB",
                "-c work_mem=64MB",
                "-c max_connections=20",
                "-c timezone=UTC",
            ]
        )
        _run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            user,
            log,
        )
        started = True
        _run(
            [
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                PG_USER,
                PG_DBNAME,
            ],
            user,
            log,
        )
        yield Engine(
            name="postgres",
            env={
                "JOURNEYS_PG_HOST": "127.0.0.1",
                "JOURNEYS_PG_PORT": str(port),
                "JOURNEYS_PG_USER": PG_USER,
                "JOURNEYS_PG_PASSWORD": "",
                "JOURNEYS_PG_DBNAME": PG_DBNAME,
                "JOURNEYS_PG_SCHEMA": PG_SCHEMA,
                "JOURNEYS_PG_SSLMODE": "disable",
            },
            workdir=workdir,
        )
    finally:
        if started:
            _stop_postgres(bindir, data, user)
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Spark
# ---------------------------------------------------------------------------


def spark_conf(spark_dir: Path) -> dict[str, str]:
    """The settings profiles.yml gives the local Spark session, for a
    session opened outside dbt on the same warehouse (reading results)."""
    return {
        "spark.master": "local[2]",
        "spark.app.name": "journeys-read",
        "spark.sql.shuffle.partitions": "4",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "false",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.warehouse.dir": f"{spark_dir}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={spark_dir}/metastore_db;create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir}",
    }


@contextlib.contextmanager
def spark(keep: bool = False) -> Iterator[Engine]:
    """A temporary warehouse and metastore for the local Spark session that
    dbt (target spark, method session) starts in its own process."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise EngineError("Spark needs Java 17 (java on PATH or JAVA_HOME)")
    workdir = Path(tempfile.mkdtemp(prefix="journeys-spark-"))
    try:
        yield Engine(
            name="spark",
            env={"JOURNEYS_SPARK_DIR": str(workdir), "JOURNEYS_SPARK_SCHEMA": SPARK_SCHEMA},
            workdir=workdir,
        )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def duckdb(keep: bool = False) -> Iterator[Engine]:
    """A temporary DuckDB file (for symmetry with the other engines)."""
    workdir = Path(tempfile.mkdtemp(prefix="journeys-duckdb-"))
    try:
        yield Engine(
            name="duckdb",
            env={"JOURNEYS_DUCKDB_PATH": str(workdir / "journeys.duckdb")},
            workdir=workdir,
        )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def start(name: str, keep: bool = False) -> Iterator[Engine]:
    """The throwaway engine `name` (one of ENGINES)."""
    factories = {"duckdb": duckdb, "postgres": postgres, "spark": spark}
    if name not in factories:
        raise ValueError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
    with factories[name](keep=keep) as engine:
        yield engine


def run_with_engine(name: str, command: Sequence[str], keep: bool = False) -> int:
    """Start engine `name`, run `command` with JOURNEYS_TARGET and the
    engine's connection in its environment, stop the engine; the command's
    exit code. SIGTERM/SIGHUP stop the engine too."""

    def _terminate(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {s: signal.signal(s, _terminate) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with start(name, keep=keep) as engine:
            env = {**os.environ, **engine.env, "JOURNEYS_TARGET": engine.target}
            print(f"journeys: {name} ready ({_describe(engine)}); running: {' '.join(command)}")
            return subprocess.run(list(command), env=env, check=False).returncode
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _describe(engine: Engine) -> str:
    if engine.name == "postgres":
        return f"127.0.0.1:{engine.env['JOURNEYS_PG_PORT']}, database {PG_DBNAME}"
    return f"in {engine.workdir}"


# ---------------------------------------------------------------------------
# Reading results back
# ---------------------------------------------------------------------------


def _plain(value: object) -> object:
    """One value in a form comparable across engines: Decimal -> float,
    timezone-aware -> naive UTC."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def read_tables(engine: Engine, tables: Sequence[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    """{table: (column names, rows)} for tables of a build on `engine`."""
    readers = {"duckdb": _read_duckdb, "postgres": _read_postgres, "spark": _read_spark}
    return readers[engine.name](engine.env, tables)


def _read_duckdb(env: Mapping[str, str], tables: Sequence[str]) -> dict:
    import duckdb as duckdb_module

    out = {}
    with duckdb_module.connect(env["JOURNEYS_DUCKDB_PATH"], read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for table in tables:
            cursor = con.execute(f"select * from main.{table}")
            names = [d[0] for d in cursor.description]
            out[table] = (names, [tuple(map(_plain, row)) for row in cursor.fetchall()])
    return out


def _read_postgres(env: Mapping[str, str], tables: Sequence[str]) -> dict:
    import psycopg2

    out = {}
    con = psycopg2.connect(
        host=env["JOURNEYS_PG_HOST"],
        port=int(env["JOURNEYS_PG_PORT"]),
        user=env["JOURNEYS_PG_USER"],
        dbname=env["JOURNEYS_PG_DBNAME"],
        options="-c timezone=UTC",
    )
    try:
        with con.cursor() as cursor:
            for table in tables:
                cursor.execute(f'select * from "{env["JOURNEYS_PG_SCHEMA"]}"."{table}"')
                names = [d[0] for d in cursor.description]
                out[table] = (names, [tuple(map(_plain, row)) for row in cursor.fetchall()])
    finally:
        con.close()
    return out


def _read_spark(env: Mapping[str, str], tables: Sequence[str]) -> dict:
    """Read through a new local session on the same warehouse and metastore
    (the build's own session ended with its process). Timestamps travel as
    text so that no client time zone can shift them."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_conf(Path(env["JOURNEYS_SPARK_DIR"])).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    out = {}
    try:
        for table in tables:
            frame = session.table(f"{env['JOURNEYS_SPARK_SCHEMA']}.{table}")
            stamps = {f.name for f in frame.schema.fields if f.dataType.typeName() == "timestamp"}
            columns = [
                f"date_format(`{f.name}`, 'yyyy-MM-dd HH:mm:ss.SSSSSS') as `{f.name}`"
                if f.name in stamps
                else f"`{f.name}`"
                for f in frame.schema.fields
            ]
            rows = frame.selectExpr(*columns).collect()
            names = list(frame.columns)
            parsed = []
            for row in rows:
                values = []
                for name, value in zip(names, row, strict=True):
                    if name in stamps and value is not None:
                        value = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f")
                    values.append(_plain(value))
                parsed.append(tuple(values))
            out[table] = (names, parsed)
    finally:
        session.stop()
    return out
