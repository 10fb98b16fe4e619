"""Live progress of a dbt command and a clear summary of what failed.

`Progress` is a dbtRunner callback: it counts the nodes dbt finishes (per
resource type, against the totals of the selection) and redraws one status
line, e.g. `models 12/31  tests 40/225  seeds 7/7  failed 0  00:14`. On a
terminal the line is rewritten in place (and re-drawn every second by a
ticker thread, so the elapsed time moves while a long model runs); elsewhere
(CI logs, pipes) a line is printed at most every `interval` seconds.

`failure_summary()` turns dbt's run results into one line per failed node
(resource, name, file, dbt's message), the part of a build log a person needs.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

# Resource types shown, in this order, with their plural labels.
LABELS = {
    "seed": "seeds",
    "model": "models",
    "snapshot": "snapshots",
    "unit_test": "unit tests",
    "test": "tests",
}
FAILED_STATUSES = {"error", "fail", "runtime error"}


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@dataclass
class Progress:
    """Counts finished nodes from dbt events and shows them on `stream`."""

    totals: Mapping[str, int] = field(default_factory=dict)
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    interval: float = 5.0
    live: bool | None = None
    done: Counter = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)
    started_at: float = field(default_factory=time.monotonic)
    _last_print: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ticker: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        if self.live is None:
            self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    # dbtRunner callback ---------------------------------------------------
    def __call__(self, event: Any) -> None:
        if event.info.name != "NodeFinished":
            return
        node = event.data.node_info
        status = (event.data.run_result.status or node.node_status or "").lower()
        with self._lock:
            self.done[node.resource_type] += 1
            if status in FAILED_STATUSES:
                self.failed.append(node.unique_id)
        self.show()

    # display --------------------------------------------------------------
    def line(self) -> str:
        parts = []
        for kind, label in LABELS.items():
            total = self.totals.get(kind, 0)
            if total or self.done[kind]:
                parts.append(f"{label} {self.done[kind]}/{max(total, self.done[kind])}")
        parts.append(f"failed {len(self.failed)}")
        parts.append(_clock(time.monotonic() - self.started_at))
        return "  ".join(parts)

    def show(self, force: bool = False) -> None:
        now = time.monotonic()
        with self._lock:
            if self.live:
                self.stream.write("\r\033[K" + self.line())
                self.stream.flush()
            elif force or now - self._last_print >= self.interval:
                self._last_print = now
                self.stream.write(self.line() + "\n")
                self.stream.flush()

    def __enter__(self) -> Progress:
        self.started_at = time.monotonic()
        if self.live:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        self.show(force=True)
        return self

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self.show()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.live:
            self.show()
            self.stream.write("\n")
            self.stream.flush()
        else:
            self.show(force=True)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started_at


def count_by_type(nodes: Iterable[Mapping[str, str]]) -> dict[str, int]:
    """{resource_type: count} of `dbt ls --output json` rows."""
    return dict(Counter(node["resource_type"] for node in nodes))


def failure_summary(results: Iterable[Any]) -> list[str]:
    """One line per failed node of dbt run results: what, where, why."""
    lines = []
    for result in results:
        status = str(getattr(result.status, "value", result.status)).lower()
        if status not in FAILED_STATUSES:
            continue
        node = result.node
        where = getattr(node, "original_file_path", "") or ""
        message = " ".join(str(result.message or "").split())
        if len(message) > 300:
            message = message[:297] + "..."
        label = LABELS.get(node.resource_type, node.resource_type).rstrip("s")
        lines.append(f"{status.upper()} {label} {node.name} ({where}): {message}")
    return lines


def status_counts(results: Iterable[Any]) -> dict[str, int]:
    """{status: count} of dbt run results (pass, success, fail, error, skipped, ...).

    Only nodes count: the project's on-run-start/on-run-end hooks are run
    results too (resource type `operation`), but they are not what a user
    selected, and counting them would make "1 seed" read "4 nodes"."""
    return dict(
        Counter(
            str(getattr(r.status, "value", r.status)).lower()
            for r in results
            if str(getattr(getattr(r, "node", None), "resource_type", "")).lower()
            not in ("operation", "nodetype.operation")
        )
    )
