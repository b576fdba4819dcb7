"""`townsquare up` as a person runs it: a fresh data directory, one command, a healthy
site; Ctrl-C stops the whole process tree; a child that dies comes back."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from townsquare.runtime.tests.support import (
    Spawned,
    descendants,
    free_port,
    in_sessions,
    proc_info,
    still_alive,
    townsquare_command,
    wait_for,
)

# Variables that would point `up` at the tests' database or secrets; `up` must work
# from nothing but a data directory, as after a fresh checkout.
CLEARED = ("DATABASE_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "TASKS_BACKEND")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("up-data")


def up_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in CLEARED and not key.startswith(("CELERY_", "DJANGO_"))
    }
    env.update(
        TOWNSQUARE_DATA_DIR=str(data_dir),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",  # the test talks plain HTTP to 127.0.0.1
        SCHEDULER_HEARTBEAT_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_up(start_process, data_dir: Path) -> tuple[Spawned, int]:
    port = free_port()
    up = start_process(
        townsquare_command("up", "--port", str(port), "--web-workers", "1"),
        env=up_env(data_dir),
        name="up",
        grace=15,
    )
    return up, port


def health(port: int) -> tuple[int, dict] | None:
    try:
        # A first answer from a booting server on a busy machine can take many seconds.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return None  # not listening yet


def wait_until_healthy(up: Spawned, port: int) -> dict:
    def healthy() -> dict | None:
        assert up.process.poll() is None, up.output()
        answer = health(port)
        return answer[1] if answer and answer[0] == 200 else None

    try:
        return wait_for(healthy, timeout=60, interval=0.2, what="/api/v1/health to answer 200")
    except AssertionError as error:
        raise AssertionError(f"{error}\nlast answer: {health(port)}\n{up.output()}") from None


def heartbeat(data_dir: Path, name: str) -> tuple[int, str] | None:
    database = sqlite3.connect(f"file:{data_dir / 'townsquare.sqlite3'}?mode=ro", uri=True)
    try:
        return database.execute(
            "SELECT pid, beat_at FROM runtime_heartbeat WHERE name = ?", (name,)
        ).fetchone()
    finally:
        database.close()


def has_table(data_dir: Path, name: str) -> bool:
    database = sqlite3.connect(f"file:{data_dir / 'townsquare.sqlite3'}?mode=ro", uri=True)
    try:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return database.execute(query, (name,)).fetchone() is not None
    finally:
        database.close()


def children_by_role(up: Spawned) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {"web": [], "worker": [], "scheduler": []}
    for info in descendants(up.pid):
        if "gunicorn" in info.cmdline:
            roles["web"].append(info.pid)
        elif "db_worker" in info.cmdline:
            roles["worker"].append(info.pid)
        elif info.cmdline.endswith(" scheduler"):
            roles["scheduler"].append(info.pid)
    return roles


def interrupt_and_expect_everything_gone(up: Spawned) -> None:
    tree = descendants(up.pid)
    sessions = {info.sid for info in tree}
    assert up.pid not in sessions, "every child runs in a session of its own"

    os.kill(up.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    assert up.wait(timeout=15) == 0, up.output()

    def survivors() -> list:
        return still_alive(tree) + in_sessions(sessions)

    # A process killed at the very end may need a moment to be gone.
    try:
        wait_for(lambda: not survivors(), timeout=2, what="no survivors")
    except AssertionError:
        raise AssertionError(f"survivors: {survivors()}\n{up.output()}") from None
    assert "[up] stopped" in up.output()


def test_up_starts_web_worker_and_scheduler_and_ctrl_c_stops_the_whole_tree(
    data_dir, start_process
):
    secrets = data_dir / "secrets.env"
    assert not secrets.exists()

    up, port = start_up(start_process, data_dir)
    body = wait_until_healthy(up, port)

    assert body == {"status": "ok"}  # database, task backend and scheduler heartbeat
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    # The sign-in rate limits count in the database, shared by every web worker.
    assert has_table(data_dir, "townsquare_cache")
    values = dict(line.split("=", 1) for line in secrets.read_text().splitlines() if "=" in line)
    assert values.get("SECRET_KEY") and values.get("FIELD_ENCRYPTION_KEYS")

    def all_roles_running() -> dict[str, list[int]] | None:
        roles = children_by_role(up)
        return roles if all(roles.values()) else None

    roles = wait_for(all_roles_running, timeout=10, what="web, worker and scheduler processes")
    assert len(roles["web"]) >= 2, "gunicorn's master and its worker"

    # The worker of this tree runs work enqueued by another process on the same data.
    enqueue = subprocess.run(
        townsquare_command(
            "shell", "-c", "from townsquare.runtime.tasks import ping; ping.enqueue('up')"
        ),
        env=up_env(data_dir),
        capture_output=True,
        timeout=60,
    )
    assert enqueue.returncode == 0, enqueue.stderr.decode()
    pinged = wait_for(lambda: heartbeat(data_dir, "ping:up"), timeout=15, what="the ping")
    assert pinged[0] in roles["worker"]

    interrupt_and_expect_everything_gone(up)


def test_up_restarts_a_child_that_dies_and_a_second_start_keeps_the_secrets(
    data_dir, start_process
):
    secrets = data_dir / "secrets.env"
    if not secrets.exists():  # this test ran alone: make the first start happen now
        setup = subprocess.run(
            townsquare_command("setup"), env=up_env(data_dir), capture_output=True, timeout=120
        )
        assert setup.returncode == 0, setup.stderr.decode()
    before = secrets.read_bytes(), secrets.stat()

    up, port = start_up(start_process, data_dir)
    wait_until_healthy(up, port)

    after = secrets.stat()
    assert secrets.read_bytes() == before[0]
    assert (after.st_ino, after.st_mtime_ns) == (before[1].st_ino, before[1].st_mtime_ns)

    # The heartbeat row names the scheduler process that wrote it.
    old_pid = wait_for(
        lambda: (row := heartbeat(data_dir, "scheduler")) and proc_info(row[0]) and row[0],
        timeout=10,
        what="a heartbeat from this run's scheduler",
    )
    assert proc_info(old_pid).ppid == up.pid
    os.kill(old_pid, signal.SIGKILL)

    def new_scheduler_beats() -> int | None:
        assert up.process.poll() is None, up.output()
        row = heartbeat(data_dir, "scheduler")
        return row[0] if row and row[0] != old_pid else None

    new_pid = wait_for(new_scheduler_beats, timeout=20, what="the restarted scheduler's heartbeat")
    info = proc_info(new_pid)
    assert info is not None and info.ppid == up.pid
    assert "scheduler was killed by SIGKILL; restarting" in up.output()
    assert health(port)[0] == 200

    interrupt_and_expect_everything_gone(up)
