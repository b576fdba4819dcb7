"""On time, never lost, never twice: 1,000 publications due within a minute while workers and
schedulers are killed with SIGKILL at random, checked on the test network's side.

The mode follows the database under test (`make test` runs the suite on each): SQLite runs
the embedded mode (`townsquare db_worker` processes), PostgreSQL the scale mode (Celery
workers on Redis). The network adds latency and sometimes accepts a post and then answers
too late, so some outcomes become unknown and must be reconciled to exactly one post; it
does not deduplicate keys, so anything sent twice shows as a second post.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.tests.fleet import (
    EMBEDDED,
    SCALE,
    Fleet,
    NetworkProcess,
    chaos,
    connect_account,
    fleet_env,
    forget_queue,
    lag_summary,
    lags,
    network_problems,
    not_published_listing,
    rows_from_orm,
    seed_publications,
    start_network,
    wait_settled,
)
from townsquare.runtime.tests.support import broker_problem, hide
from townsquare.testing.services import unavailable

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = "redis://127.0.0.1:6379/0"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
# Latency on every request; 2 % of requests are refused with a 503 (retried later), and 2 %
# of posts are stored and then answered after the client's read timeout (1 s), so their
# outcome is unknown until reconciled.
FAULTS = {
    "latency_ms": 30,
    "error_rate_5xx": 0.02,
    "accept_then_timeout_rate": 0.02,
    "accept_then_timeout_s": 3,
}
# Every wait is bounded: the chaos phase, then the time to settle after it.
SETTLE_TIMEOUT_S = 120


class Run:
    """The processes of one test; all of them are stopped in teardown, whatever happened."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.network: NetworkProcess | None = None
        self.fleet: Fleet | None = None
        self.broker_url = ""
        self.queue = f"townsquare-chaos-{uuid.uuid4().hex[:12]}"

    def start(self, mode: str, faults: dict, *, seed: int, broker_url: str = "") -> Fleet:
        self.broker_url = broker_url
        self.network = start_network(self.log_dir, faults, seed=seed)
        env = fleet_env(mode, queue=self.queue, broker_url=broker_url)
        self.fleet = Fleet(mode, env, self.log_dir, self.queue)
        self.fleet.start_all()
        self.fleet.wait_ready()
        return self.fleet

    def stop(self) -> None:
        if self.fleet is not None:
            self.fleet.stop_all()
        if self.network is not None:
            self.network.stop()
        if self.broker_url:
            forget_queue(self.broker_url, self.queue)


@pytest.fixture
def run(transactional_db, tmp_path) -> Iterator[Run]:
    # Depends on the database fixture so that the processes stop before the database is
    # flushed under them.
    started = Run(tmp_path)
    try:
        yield started
    finally:
        started.stop()


def needs(vendor: str, mode: str) -> None:
    if connection.vendor != vendor:
        pytest.skip(f"the {mode} mode runs in the suite's run on {vendor}")


def broker(url: str) -> str:
    problem = broker_problem(url)
    if problem:
        unavailable(f"the broker is not reachable at {hide(url)} ({problem})")
    return url


def publish_under_fire(
    run: Run,
    workspace,
    mode: str,
    *,
    count: int,
    spread_s: float,
    min_kills: int,
    broker_url: str = "",
    between_s: tuple[float, float] = (2.0, 5.0),
) -> str:
    """Schedule `count` publications over `spread_s` seconds, kill processes at random while
    they are due, let the engine settle, and check every post on the network's side."""
    seed = int(os.environ.get("CHAOS_SEED", random.randrange(1_000_000)))
    rng = random.Random(seed)
    fleet = run.start(
        mode, FAULTS if min_kills else {"latency_ms": 30}, seed=seed, broker_url=broker_url
    )
    assert run.network is not None
    account = connect_account(workspace, run.network.url, read_timeout_s=1)
    started = time.monotonic()
    seed_publications(
        account,
        count,
        first_due=timezone.now() + timedelta(seconds=2),
        spread_s=spread_s,
        seed=seed,
    )
    kills = []
    if min_kills:
        kills = chaos(
            fleet,
            duration_s=spread_s,
            min_kills=min_kills,
            rng=rng,
            started_at=started,
            between_s=between_s,
        )
    counts = wait_settled(SETTLE_TIMEOUT_S + spread_s)
    elapsed = time.monotonic() - started
    context = f"(seed {seed}, logs in {run.log_dir})"

    assert counts == {"published": count}, (
        f"not everything was published after {elapsed:.0f} s {context}: {counts}\n"
        f"{not_published_listing()}\n{fleet.outputs()}"
    )
    assert fleet.dead() == [], f"processes exited on their own {context}\n{fleet.outputs()}"
    stats = run.network.stats()
    problems = network_problems(stats, rows_from_orm())
    assert problems == [], f"{len(problems)} problems {context}:\n" + "\n".join(problems[:40])
    assert len(stats["posts"]) == count and stats["duplicates"] == []

    kinds = Counter(name.split("-")[0] for _, name in kills)
    if min_kills:
        assert len(kills) >= min_kills and kinds["worker"] and kinds["scheduler"], kills
    reconciled = Counter(Attempt.objects.filter(kind="reconcile").values_list("outcome", flat=True))
    late = len(stats["late_answers"])
    due = dict(Publication.objects.values_list("idempotency_key", "due_at"))
    summary = (
        f"[{mode}] {count} published exactly once in {elapsed:.0f} s; "
        f"SIGKILLs: {kinds['worker']} workers, {kinds['scheduler']} schedulers; "
        f"503s retried: {stats['outcomes'].get('server_error', 0)}; "
        f"answers after the client gave up: {late}; reconciled: {reconciled['found']} found, "
        f"{reconciled['not_found']} not found; duplicates: 0; {lag_summary(lags(stats, due))} "
        f"{context}"
    )
    print(summary)
    # A post answered after its client gave up can only have been settled by asking the
    # network: its row went through `unknown` and a reconcile that found it.
    found = set(
        Attempt.objects.filter(kind="reconcile", outcome="found").values_list(
            "publication__idempotency_key", flat=True
        )
    )
    settled_blindly = {key.split(":", 1)[0] for key in stats["late_answers"]} - found
    assert settled_blindly == set(), f"not reconciled: {settled_blindly} {context}"
    return summary


def test_embedded_mode_publishes_1000_posts_exactly_once_while_processes_are_killed(
    run, workspace_a
):
    needs("sqlite", EMBEDDED)
    publish_under_fire(run, workspace_a, EMBEDDED, count=1000, spread_s=60, min_kills=10)


@pytest.mark.services
def test_scale_mode_publishes_1000_posts_exactly_once_while_processes_are_killed(run, workspace_a):
    needs("postgresql", SCALE)
    url = broker(REDIS)
    publish_under_fire(
        run, workspace_a, SCALE, count=1000, spread_s=60, min_kills=10, broker_url=url
    )


@pytest.mark.services
def test_scale_mode_on_rabbitmq_publishes_50_posts_exactly_once(run, workspace_a):
    # RabbitMQ hands a killed worker's unacknowledged messages to the other worker at once,
    # with their lease tokens still valid: the case of a task delivered twice.
    needs("postgresql", SCALE)
    url = broker(RABBITMQ)
    publish_under_fire(
        run,
        workspace_a,
        SCALE,
        count=50,
        spread_s=10,
        min_kills=3,
        broker_url=url,
        between_s=(1.5, 3.0),
    )
