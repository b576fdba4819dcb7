"""Helpers for the tests that start real processes: workers, schedulers, `townsquare up`."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from townsquare.testing.waiting import GENEROUS_S, wait_until


def wait_for[T](
    predicate: Callable[[], T], *, timeout: float, what: str, interval: float = 0.1
) -> T:
    """Poll `predicate` until it returns something true. `timeout` is how long it should
    take; the deadline is never shorter than GENEROUS_S, because processes start and answer
    many times slower on a loaded machine (a condition that holds returns at once)."""
    return wait_until(predicate, what=what, timeout=max(timeout, GENEROUS_S), interval=interval)


def townsquare_command(*args: str) -> list[str]:
    """The installed `townsquare` console script, as a person would run it."""
    script = Path(sys.executable).with_name("townsquare")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "townsquare.cli", *args]


def tests_database_url() -> str:
    """DATABASE_URL of the database the running tests use (the test database)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgresql://{user}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"
    raise NotImplementedError(connection.vendor)


def process_env(**overrides: str) -> dict[str, str]:
    """The environment of a Townsquare process that works on the tests' database."""
    from django.conf import settings

    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env.update(
        DJANGO_SETTINGS_MODULE="townsquare.settings",
        SECRET_KEY=settings.SECRET_KEY,
        TOWNSQUARE_DATA_DIR=str(settings.DATA_DIR),
        DATABASE_URL=tests_database_url(),
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Spawned:
    """A process started by a test, in its own process group, output in a log file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return f"--- output of {self.name} (pid {self.pid}) ---\n{text[-6000:]}"

    def wait(self, timeout: float) -> int:
        """The exit code; like wait_for, never gives up before GENEROUS_S."""
        timeout = max(timeout, GENEROUS_S)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"{self.name} still running after {timeout:g} s\n{self.output()}"
            ) from None

    def stop(self, grace: float = 5.0) -> None:
        """Stop the whole process group: SIGTERM and `grace` seconds, then SIGKILL."""
        if self.process.poll() is None and grace > 0:
            kill_group(self.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        kill_group(self.pid, signal.SIGKILL)
        self.process.wait()


def spawn(argv: list[str], *, env: dict[str, str], name: str, log_dir: Path) -> Spawned:
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Spawned(name, process, log_path)


def kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


# --- /proc: which processes exist, and who started them -------------------------------


@dataclass(frozen=True)
class ProcInfo:
    pid: int
    ppid: int
    sid: int
    state: str
    start_ticks: int
    cmdline: str


def proc_info(pid: int) -> ProcInfo | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        raw_cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may contain spaces.
    fields = stat[stat.rindex(")") + 2 :].split()
    return ProcInfo(
        pid=pid,
        ppid=int(fields[1]),
        sid=int(fields[3]),
        state=fields[0],
        start_ticks=int(fields[19]),
        cmdline=raw_cmdline.replace(b"\0", b" ").decode(errors="replace").strip(),
    )


def all_processes() -> list[ProcInfo]:
    found = (
        proc_info(int(entry.name)) for entry in Path("/proc").iterdir() if entry.name.isdigit()
    )
    return [info for info in found if info is not None]


def descendants(pid: int) -> list[ProcInfo]:
    processes = all_processes()
    children: dict[int, list[ProcInfo]] = {}
    for info in processes:
        children.setdefault(info.ppid, []).append(info)
    found: list[ProcInfo] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child.pid)
    return found


def still_alive(recorded: list[ProcInfo]) -> list[ProcInfo]:
    """The recorded processes that still run (same pid and start time, not a zombie)."""
    alive = []
    for old in recorded:
        now = proc_info(old.pid)
        if now is not None and now.start_ticks == old.start_ticks and now.state != "Z":
            alive.append(now)
    return alive


def in_sessions(sids: set[int]) -> list[ProcInfo]:
    return [info for info in all_processes() if info.sid in sids and info.state != "Z"]


def broker_problem(url: str) -> str | None:
    """None when the broker at `url` takes a connection, else why not."""
    from townsquare.runtime.celery_app import app

    try:
        with app.connection_for_write(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=0)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def hide(value: Any) -> str:
    """A URL without its password, for messages."""
    text = str(value)
    if "@" in text and "://" in text:
        scheme, rest = text.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return text
