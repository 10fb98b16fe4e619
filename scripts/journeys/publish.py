"""Write-audit-publish: build and test into a working copy, then swap it in.

BI tools read the **serving database** (`serving/journeys.duckdb`) with
read-only connections. `publish()`:

1. takes the publish lock (one publish at a time per serving file; a second
   one fails at once with a clear message);
2. removes what a killed publish left behind (its working folder);
3. **write**: copies the serving database into a working folder next to it
   (so incremental models stay incremental; `full_refresh` starts from an
   empty file instead) and runs `dbt build` into the copy: seeds, models,
   unit tests and data tests;
4. **audit**: goes on only if dbt reports every node passed and every public
   mart is in the copy; records the publication (build id, times, node and
   row counts) in the table `journeys_publication` of the copy; checkpoints
   and closes it (no write-ahead log left);
5. **publish**: `os.replace()`s the copy onto the serving path. A rename
   within one file system is atomic: a reader opening the path gets the old
   file or the new one, whole; a reader that already had the old file open
   keeps reading it (its inode lives until closed).

Readers never wait: the build only ever opens the working copy, and nobody
opens the serving file for writing. A build that fails (or is killed) never
reaches step 5, so the serving file is exactly what it was.

The working folder is `.<stem>-work/` beside the serving file, holding a
file with the serving file's own name: DuckDB names a database's catalog
after its file name, and views store catalog-qualified names, so the copy
must be built under the name it is served under. Same folder, same file
system: the rename is atomic.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

import duckdb

from journeys import __version__
from journeys.marts import PUBLICATION_TABLE, public_marts, read_publication, row_counts
from journeys.project import DbtInvocation
from journeys.runner import BuildOutcome, run_dbt_with_progress


class PublishError(RuntimeError):
    """The publish did not happen; the serving database is unchanged."""

    def __init__(self, message: str, outcome: BuildOutcome | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome


@dataclass(frozen=True)
class PublishResult:
    serving_path: Path
    build_id: str
    build_mode: str
    outcome: BuildOutcome
    row_counts: dict[str, int]


def work_dir(serving: Path) -> Path:
    return serving.parent / f".{serving.stem}-work"


def lock_path(serving: Path) -> Path:
    return serving.parent / f".{serving.name}.publish-lock"


@contextlib.contextmanager
def publish_lock(serving: Path) -> Iterator[None]:
    """Hold the publish lock of `serving` (released by the kernel if the
    process dies, so a killed publish never blocks the next one)."""
    path = lock_path(serving)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            raise PublishError(
                f"another publish into {serving} is running (pid {holder}); try again when it ends"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _audit(work_db: Path, outcome: BuildOutcome) -> dict[str, int]:
    """Every node passed and the public marts exist: their row counts."""
    if not outcome.success or outcome.failures:
        detail = f"{len(outcome.failures)} node(s) failed" if outcome.failures else outcome.error
        raise PublishError(
            f"audit failed, nothing published: dbt build did not pass ({detail})", outcome
        )
    with duckdb.connect(str(work_db), read_only=True) as con:
        marts = public_marts(con)
        if not any(m.startswith("fct_") for m in marts):
            raise PublishError("audit failed, nothing published: the build holds no marts", outcome)
        return row_counts(con, marts)


def _record(
    work_db: Path,
    build_id: str,
    build_mode: str,
    built_at: dt.datetime,
    outcome: BuildOutcome,
    counts: dict[str, int],
) -> None:
    """Write the publication record into the working copy and checkpoint it."""
    from dbt.version import __version__ as dbt_version

    with duckdb.connect(str(work_db)) as con:
        con.execute("set TimeZone = 'UTC'")
        as_of = None
        with contextlib.suppress(duckdb.Error):
            as_of = con.execute("select as_of_at from int_evaluation_instant").fetchone()[0]
        con.execute(
            f"""
            create or replace table {PUBLICATION_TABLE} (
                build_id varchar, build_mode varchar, built_at timestamp,
                published_at timestamp, as_of_at timestamp, dbt_version varchar,
                journeys_version varchar, node_counts varchar, row_counts varchar
            )
            """
        )
        con.execute(
            f"insert into {PUBLICATION_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                build_id,
                build_mode,
                built_at,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                as_of,
                str(dbt_version),
                __version__,
                json.dumps(outcome.status_counts, sort_keys=True),
                json.dumps(counts, sort_keys=True),
            ],
        )
        con.execute("checkpoint")
    wal = work_db.with_name(work_db.name + ".wal")
    if wal.exists():
        raise PublishError(f"the working copy still has a write-ahead log ({wal}); not published")


def publish(
    invocation: DbtInvocation,
    serving: Path,
    full_refresh: bool = False,
    stream: TextIO | None = None,
    live: bool | None = None,
) -> PublishResult:
    """Build, audit and publish into `serving` (see the module docstring).
    Raises PublishError (serving untouched) when anything fails."""
    if invocation.target not in (None, "duckdb"):
        raise PublishError(
            f"publish serves a DuckDB file; target {invocation.target!r} is not supported"
        )
    serving = serving.resolve()
    serving.parent.mkdir(parents=True, exist_ok=True)
    with publish_lock(serving):
        work = work_dir(serving)
        shutil.rmtree(work, ignore_errors=True)  # left by a killed publish
        work.mkdir()
        work_db = work / serving.name
        try:
            if serving.with_name(serving.name + ".wal").exists():
                raise PublishError(
                    f"{serving}.wal exists: something wrote to the serving database; "
                    "it must only be replaced by journeys publish"
                )
            incremental = serving.is_file() and not full_refresh
            if incremental:
                shutil.copyfile(serving, work_db)
            build_mode = "incremental" if incremental else "full"
            build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
            built_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            command = ["build", *([] if incremental else ["--full-refresh"])]
            outcome = run_dbt_with_progress(
                replace(
                    invocation,
                    duckdb_path=work_db,
                    target_path=invocation.target_path
                    or invocation.project_dir / "target" / "publish",
                ),
                command,
                stream,
                live,
            )
            counts = _audit(work_db, outcome)
            _record(work_db, build_id, build_mode, built_at, outcome, counts)
            _fsync(work_db)
            os.replace(work_db, serving)
            _fsync(serving.parent)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return PublishResult(serving, build_id, build_mode, outcome, counts)


def status(serving: Path) -> str:
    """A short description of what is being served."""
    if not serving.is_file():
        return f"nothing published at {serving}"
    with duckdb.connect(str(serving), read_only=True) as con:
        publication = read_publication(con)
    if publication is None:
        return f"{serving} holds no publication record (not written by journeys publish)"
    marts = len(publication.row_counts)
    return (
        f"{serving}: build {publication.build_id} ({publication.build_mode}), built "
        f"{publication.built_at:%Y-%m-%d %H:%M:%S} UTC, published "
        f"{publication.published_at:%Y-%m-%d %H:%M:%S} UTC, as of {publication.as_of_at}, "
        f"{marts} marts"
    )
