"""Helpers for the serving tests (publish, semantic layer, export, report)."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT_DIR

BIN = Path(sys.executable).parent
JOURNEYS = str(BIN / "journeys")

# What a dbt project copy needs (tests/ only for dbt's own singular tests).
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "analyses")


def copy_project(dest: Path) -> Path:
    """A copy of the dbt project (no target/, logs/, databases or Python), for
    tests that must write where dbt and mf write relative to the project
    (target/semantic_manifest.json) or add a singular test."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT_DIR / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        else:
            shutil.copy2(source, dest / part)
    (dest / "tests").mkdir(exist_ok=True)
    return dest


def journeys(
    *args: str, project: Path | None = None, env: dict | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run the journeys CLI in a subprocess."""
    full_env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})}
    if project is not None:
        full_env["JOURNEYS_PROJECT_DIR"] = str(project)
    return subprocess.run(
        [JOURNEYS, *args],
        cwd=cwd or project or PROJECT_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


# ---------------------------------------------------------------------------
# Headless Chromium over the DevTools protocol (--remote-debugging-pipe: JSON
# messages separated by NUL bytes on file descriptors 3 and 4), stdlib only.
# ---------------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """A headless Chromium driven through the DevTools protocol."""

    def __init__(self, binary: str, profile_dir: Path, log_path: Path) -> None:
        command_read, self._command_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        # bash moves the two pipe ends to the descriptors Chromium expects
        redirect = f'exec "$0" "$@" 3<&{command_read} 4>&{reply_write}'
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            ["bash", "-c", redirect, binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}"],
            pass_fds=(command_read, reply_write),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        os.close(command_read)
        os.close(reply_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self._reply_read], [], [], remaining)
            if ready:
                chunk = os.read(self._reply_read, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 60.0,
    ) -> dict:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._command_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for_event(self, method: str, session: str, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(index)
        while True:
            event = self._read(deadline)
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError, EOFError):
            self.send("Browser.close", timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._command_write)
        os.close(self._reply_read)
        self._log.close()


def chromium_or_skip() -> str:
    """The Chromium binary; without one the test is skipped, except in CI
    (CI=true, as GitHub Actions and .ci/run's callers set it), where the
    report's browser test must run: there a missing Chromium fails."""
    binary = find_chromium()
    if binary is not None:
        return binary
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail("Chromium is required in CI (CI=true) to test the report; .ci/run installs it")
    pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
