"""Several worker processes on one key, against the real database and the real Redis.

Each worker (hammer.py) asks for the same key as fast as it can for a few seconds and
reports the times of its grants; together they must never exceed the rate in any
period-long span, and a penalty set by another process must stop all of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from townsquare.ratelimits.tests.support import REDIS_URL, most_in_any_window
from townsquare.ratelimits.window import Rate, to_ms
from townsquare.runtime.tests.support import process_env

# Committed rows, so that the workers' connections see them. (Marked here: asking for
# transactional_db from inside a fixture would quietly give the test a transaction.)
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
WORKERS = 6


@pytest.fixture(params=["db", pytest.param("redis", marks=pytest.mark.services)])
def store(request) -> dict[str, str]:
    """Arguments that point the workers (and the test) at one backend's real store."""
    if request.param == "db":
        return {"backend": "db"}
    prefix = request.getfixturevalue("redis_prefix")
    return {"backend": "redis", "redis_url": REDIS_URL, "prefix": prefix}


def parent_backend(store: dict[str, str]):
    if store["backend"] == "db":
        from townsquare.ratelimits.db_backend import DatabaseBackend

        return DatabaseBackend()
    from townsquare.ratelimits.redis_backend import RedisBackend

    return RedisBackend(store["redis_url"], prefix=store["prefix"])


def start_workers(
    store: dict[str, str], key: str, rate: Rate, seconds: float, pause: float = 0.0
) -> tuple:
    """Start the workers, wait until each is connected, start them together: returns
    (the workers, their common start time)."""
    argv = [
        sys.executable,
        "-m",
        "townsquare.ratelimits.tests.hammer",
        f"--key={key}",
        f"--limit={rate.limit}",
        f"--per={rate.per_seconds}",
        f"--seconds={seconds}",
        f"--pause={pause}",
        *(f"--{name.replace('_', '-')}={value}" for name, value in store.items()),
    ]
    workers = [
        subprocess.Popen(
            argv,
            env=process_env(),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    for worker in workers:
        line = worker.stdout.readline()
        if line.strip() != "ready":
            for other in workers:
                other.kill()
            raise AssertionError(f"a worker did not start: {line}{worker.stderr.read()[-4000:]}")
    start = time.time() + 0.2
    for worker in workers:
        worker.stdin.write(f"{start}\n")
        worker.stdin.flush()
    return workers, start


def results(workers) -> list[dict]:
    reports = []
    for worker in workers:
        try:
            out, err = worker.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, err = worker.communicate()
        assert worker.returncode == 0, err[-4000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def test_workers_hammering_one_key_never_exceed_the_rate_together(store):
    rate = Rate(20, 0.5)
    seconds = 3.0
    key = f"testnet:account:{uuid.uuid4().hex[:8]}"
    workers, _start = start_workers(store, key, rate, seconds)
    reports = results(workers)

    grants = [at for report in reports for at in report["grants"]]
    assert most_in_any_window(grants, rate.window_ms) <= rate.limit
    # ...and the limiter is not merely refusing. (How much of the rate the workers get
    # depends on how busy the machine is, so only a full window's worth is asked for.)
    periods = seconds / rate.per_seconds
    assert len(grants) >= rate.limit, len(grants)
    assert len(grants) <= (periods + 1) * rate.limit
    # They really competed: workers were both served and refused.
    assert sum(1 for report in reports if report["grants"] and report["refusals"]) >= 2


def test_a_penalty_holds_back_every_worker_until_the_reset(store):
    rate = Rate(10_000, 1)
    key = f"testnet:global:{uuid.uuid4().hex[:8]}"
    # Workers rest a little after each grant, as they would while sending: a tight loop
    # of grants could keep one worker from the SQLite lock for the whole first second.
    workers, start = start_workers(store, key, rate, 3.0, pause=0.01)
    time.sleep(max(0.0, start + 1.0 - time.time()))
    until = start + 2.0
    parent_backend(store).penalise(key, until)
    penalised_at = to_ms(time.time())
    reports = results(workers)

    until_ms = to_ms(until)
    for number, report in enumerate(reports):
        grants = report["grants"]
        # A call that started after the penalty was recorded got nothing before the reset.
        assert not [at for at in grants if penalised_at <= at < until_ms], number
        # Each worker that asked meanwhile was told to wait exactly until the reset. (A
        # worker that a busy machine kept from running all that time asked nothing.)
        if any(penalised_at <= at < until_ms for at, _wait in report["refusals"]):
            assert any(at + wait == until_ms for at, wait in report["refusals"]), number
    # The workers were served before the penalty and again after the reset.
    assert any(at < penalised_at for report in reports for at in report["grants"])
    assert any(at >= until_ms for report in reports for at in report["grants"])
    assert any(at + wait == until_ms for report in reports for at, wait in report["refusals"])
