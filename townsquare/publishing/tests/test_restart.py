"""Killing `townsquare up` and starting it again loses nothing and sends nothing twice.

`up` runs as a person runs it, on a data directory of its own (its own SQLite database and
secrets); 100 publications are due over 20 seconds against the test network (a process
that does not deduplicate keys). Mid-way the whole process tree (supervisor, web, worker,
scheduler) is killed with SIGKILL at once; `up` is started again on the same directory and
every publication must end up published exactly once, checked on the network's side.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from townsquare.publishing.tests.fleet import (
    NetworkProcess,
    kill_tree,
    network_problems,
    rows_from_sqlite,
    run_command,
    start_network,
)
from townsquare.runtime.tests.support import (
    Spawned,
    free_port,
    proc_info,
    spawn,
    still_alive,
    townsquare_command,
    wait_for,
)

COUNT = 100
# Variables that would point `up` at the tests' database, secrets or task queue.
CLEARED = ("DATABASE_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "TASKS_BACKEND")


def up_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in CLEARED and not key.startswith(("CELERY_", "DJANGO_", "PUBLISH_"))
    }
    env.update(
        TOWNSQUARE_DATA_DIR=str(data_dir),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SCHEDULER_HEARTBEAT_SECONDS="1",
        PYTHONUNBUFFERED="1",
        # A lease of seconds (the rows of the killed worker come back quickly) and a short
        # grace before asking the network about a post whose outcome is unknown.
        PUBLISH_LEASE_SECONDS="10",
        PUBLISH_RECONCILE_GRACE_SECONDS="1",
    )
    return env


class Installation:
    def __init__(self, tmp_path: Path) -> None:
        self.log_dir = tmp_path
        self.data_dir = tmp_path / "data"
        self.database = self.data_dir / "townsquare.sqlite3"
        self.ups: list[Spawned] = []
        self.network: NetworkProcess | None = None

    def start_up(self) -> Spawned:
        up = spawn(
            townsquare_command("up", "--port", str(free_port()), "--web-workers", "1"),
            env=up_env(self.data_dir),
            name=f"up.{len(self.ups) + 1}",
            log_dir=self.log_dir,
        )
        self.ups.append(up)
        return up

    def statuses(self) -> Counter[str]:
        if not self.database.exists():
            return Counter()
        return Counter(row.status for row in rows_from_sqlite(self.database))

    def stop(self) -> None:
        for up in self.ups:
            if up.process.poll() is None:
                kill_tree(up)
        if self.network is not None:
            self.network.stop()


@pytest.fixture
def installation(tmp_path) -> Iterator[Installation]:
    started = Installation(tmp_path)
    try:
        yield started
    finally:
        started.stop()


def wait_for_scheduler(install: Installation, up: Spawned) -> None:
    def beating() -> bool:
        assert up.process.poll() is None, up.output()
        return "scheduler started" in up.output() and "started worker" in up.output()

    wait_for(beating, timeout=90, interval=0.2, what="the scheduler and worker of `up`")


def test_killing_up_mid_way_and_starting_it_again_publishes_everything_exactly_once(
    installation,
):
    if connection.vendor != "sqlite":
        pytest.skip("`up` runs on a SQLite database of its own; the suite's SQLite run has it")
    install = installation
    install.network = start_network(
        install.log_dir,
        {"latency_ms": 30, "accept_then_timeout_rate": 0.03, "accept_then_timeout_s": 3},
    )
    up = install.start_up()
    wait_for_scheduler(install, up)
    run_command(
        townsquare_command(
            "shell",
            "-c",
            "from townsquare.publishing.tests.fleet import seed_standalone; "
            f"seed_standalone({install.network.url!r}, {COUNT}, 2, 20)",
        ),
        env=up_env(install.data_dir),
        timeout=120,
    )

    def some_published() -> bool:
        assert up.process.poll() is None, up.output()
        return install.statuses()["published"] >= COUNT // 3

    wait_for(some_published, timeout=60, interval=0.2, what="a third to be published")
    tree = kill_tree(up)
    at_kill = install.statuses()
    recorded = [info for pid in tree if (info := proc_info(pid)) is not None]
    wait_for(lambda: not still_alive(recorded), timeout=10, what="the killed tree to be gone")
    assert at_kill["published"] < COUNT, f"nothing was left to do after the kill: {at_kill}"

    started = time.monotonic()
    again = install.start_up()

    def settled() -> Counter[str] | None:
        assert again.process.poll() is None, again.output()
        counts = install.statuses()
        waiting = counts["scheduled"] + counts["publishing"] + counts["unknown"]
        return None if waiting else counts

    try:
        final = wait_for(settled, timeout=120, interval=0.5, what="every publication settled")
    except AssertionError as error:
        raise AssertionError(f"{error}: {install.statuses()}\n{again.output()}") from None
    assert final == {"published": COUNT}, final
    stats = install.network.stats()
    problems = network_problems(stats, rows_from_sqlite(install.database))
    assert problems == [], "\n".join(problems[:40])
    assert len(stats["posts"]) == COUNT and stats["duplicates"] == []
    print(
        f"[up] killed with {dict(at_kill)}; after the restart all {COUNT} published exactly "
        f"once within {time.monotonic() - started:.0f} s; answers after the client gave up: "
        f"{len(stats['late_answers'])}"
    )
