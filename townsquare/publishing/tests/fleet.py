"""Real processes for the publishing engine's process tests and its benchmark.

The test network runs as a server process of its own (workers are killed, the network never
is), workers and schedulers of either mode run as `townsquare` or `celery` processes, each in
its own process group so that SIGKILL takes what it started with it. The verdict comes from
the network's side: what it holds for each idempotency key.

Modes:
- "embedded": TASKS_BACKEND=db, `townsquare db_worker` processes (one task at a time each);
- "scale": TASKS_BACKEND=celery on a broker, Celery worker processes.
Both run `townsquare scheduler` processes. Every process gets a short lease and a task queue
of this run's own (PUBLISH_LEASE_SECONDS, PUBLISH_TASK_QUEUE) and no Celery remote control,
which would leave a mailbox per worker in the shared broker.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from townsquare.content.models import Post, Variant
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.runtime.tests.support import (
    Spawned,
    descendants,
    kill_group,
    process_env,
    spawn,
    townsquare_command,
    wait_for,
)
from townsquare.workspaces.actions import do_create_workspace

EMBEDDED = "embedded"
SCALE = "scale"
REDIS_URL = "redis://127.0.0.1:6379/0"


# --- the test network as a process ------------------------------------------------------------


@dataclass
class NetworkProcess:
    url: str
    spawned: Spawned

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/_stats", timeout=60) as answer:
            stats: dict[str, Any] = json.loads(answer.read())
        return stats

    def stop(self) -> None:
        self.spawned.stop(grace=5)


def start_network(log_dir: Path, faults: dict[str, Any], *, seed: int = 0) -> NetworkProcess:
    """`--no-dedupe`: a replayed key makes a second post, so sending twice shows on the network."""
    spawned = spawn(
        [
            sys.executable,
            "-m",
            "townsquare.networks.testnet.server",
            "--port",
            "0",
            "--no-dedupe",
            "--seed",
            str(seed),
            "--faults",
            json.dumps(faults),
            "--lifetime",
            "1800",  # a run that dies without stopping it leaves no server for long
        ],
        env={**process_env(), "PYTHONUNBUFFERED": "1"},
        name="network",
        log_dir=log_dir,
    )

    def ready() -> str | None:
        if spawned.process.poll() is not None:
            raise AssertionError(f"the test network exited\n{spawned.output()}")
        for line in spawned.log_path.read_text(errors="replace").splitlines():
            if line.startswith("READY "):
                return line.split(" ", 1)[1].strip()
        return None

    return NetworkProcess(wait_for(ready, timeout=30, what="the test network"), spawned)


# --- data ----------------------------------------------------------------------------------------


def connect_account(workspace: Any, url: str, handle: str = "chaos", read_timeout_s: float = 1.0):
    account = SocialAccount.objects.create(workspace=workspace, network="testnet", handle=handle)
    store_credentials(
        account,
        {
            "access_token": f"token-{handle}",
            "instance_url": url,
            "extra": {"read_timeout_s": str(read_timeout_s)},
        },
    )
    return account


def seed_publications(
    account: Any, count: int, *, first_due: datetime, spread_s: float, seed: int = 0
) -> int:
    """`count` single-part posts of `account`, scheduled at random times in
    [first_due, first_due + spread_s]: posts, variants and publications in three bulk inserts."""
    rng = random.Random(seed)
    texts = [f"Beitrag {n} aus dem Lasttest, Lauf {uuid.uuid4().hex[:8]}." for n in range(count)]
    posts = Post.objects.bulk_create(
        [Post(workspace=account.workspace, master_text=t, language="de") for t in texts]
    )
    variants = Variant.objects.bulk_create(
        [Variant(post=p, account=account, text=p.master_text, parts=[p.master_text]) for p in posts]
    )
    due = sorted(first_due + timedelta(seconds=rng.uniform(0, spread_s)) for _ in range(count))
    Publication.objects.bulk_create(
        [
            Publication(
                workspace=account.workspace,
                post=v.post,
                variant=v,
                account=account,
                status="scheduled",
                due_at=at,
                run_at=at,
                time_zone="UTC",
                local_due=at.replace(tzinfo=None).isoformat(timespec="minutes"),
            )
            for v, at in zip(variants, due, strict=True)
        ],
        batch_size=500,
    )
    return count


def seed_standalone(network_url: str, count: int, first_due_in_s: float, spread_s: float) -> None:
    """Seed an installation of its own (run inside `townsquare shell`): a person, a
    workspace, an account on the test network and `count` scheduled publications."""
    user = get_user_model().objects.create_user("chaos@example.com", uuid.uuid4().hex)
    workspace = do_create_workspace(user, name="Neustart", language="de")
    account = connect_account(workspace, network_url)
    first_due = timezone.now() + timedelta(seconds=first_due_in_s)
    seed_publications(account, count, first_due=first_due, spread_s=spread_s)


def kill_tree(spawned: Spawned) -> list[int]:
    """SIGKILL a process and everything it started, including children in sessions of their
    own (as `townsquare up` starts them), all at once; returns the pids."""
    tree = [spawned.pid, *(info.pid for info in descendants(spawned.pid))]
    for pid in tree:
        kill_group(pid, signal.SIGKILL)  # a child that leads a group takes the group along
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    spawned.process.wait(timeout=30)
    return tree


# --- workers and schedulers ------------------------------------------------------------------


def fleet_env(
    mode: str, *, queue: str, broker_url: str = "", lease_s: int = 12, grace_s: int = 1
) -> dict[str, str]:
    env = process_env(
        TASKS_BACKEND="db" if mode == EMBEDDED else "celery",
        PUBLISH_LEASE_SECONDS=str(lease_s),
        # As many as two workers start well within the short lease, even on a busy machine.
        PUBLISH_MAX_IN_FLIGHT=str(max(20, lease_s * 5)),
        PUBLISH_TASK_QUEUE=queue,
        CELERY_REMOTE_CONTROL="0",
        PUBLISH_RECONCILE_GRACE_SECONDS=str(grace_s),
        SCHEDULER_HEARTBEAT_SECONDS="2",
        RATE_LIMIT_BACKEND="db",
        LOG_LEVEL="INFO",  # readiness is read from the log
    )
    if mode == SCALE:
        # As the scale mode is deployed: rate limits in Redis (one round trip instead of a
        # locking transaction on two rows that every worker needs), and database
        # connections that outlive a task (Celery closes them after each one otherwise).
        # The test network never answers 429 here, so runs sharing the Redis windows of an
        # account id never hold each other back.
        env.update(
            CELERY_BROKER_URL=broker_url,
            CELERY_SKIP_CHECKS="1",
            RATE_LIMIT_BACKEND="redis",
            RATE_LIMIT_REDIS_URL=REDIS_URL,
            DB_CONN_MAX_AGE="60",
        )
    return env


@dataclass
class Fleet:
    """Workers and schedulers of one mode; each can be killed and started again by name."""

    mode: str
    env: dict[str, str]
    log_dir: Path
    queue: str
    workers: int = 2
    schedulers: int = 2
    # Celery: threads per worker process; db_worker runs one task at a time per process.
    concurrency: int = 8
    running: dict[str, Spawned] = field(default_factory=dict)
    generation: Counter[str] = field(default_factory=Counter)
    kills: list[tuple[float, str]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [f"worker-{n}" for n in range(1, self.workers + 1)] + [
            f"scheduler-{n}" for n in range(1, self.schedulers + 1)
        ]

    def argv(self, name: str) -> list[str]:
        if name.startswith("scheduler"):
            return townsquare_command("scheduler")
        if self.mode == EMBEDDED:
            return townsquare_command(
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--queue-name",
                self.queue,
                "--interval",
                "0.05",  # idle polling: how soon a task enqueued into an idle queue starts
            )
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "townsquare.runtime.celery_app",
            "worker",
            "--queues",
            self.queue,
            "--hostname",
            f"{name}.{self.queue}@%h",
            "--pool",
            "threads",
            "--concurrency",
            str(self.concurrency),
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]

    def start(self, name: str) -> Spawned:
        self.generation[name] += 1
        spawned = spawn(
            self.argv(name),
            env=self.env,
            name=f"{name}.{self.generation[name]}",
            log_dir=self.log_dir,
        )
        self.running[name] = spawned
        return spawned

    def start_all(self) -> None:
        for name in self.names:
            self.start(name)

    def wait_ready(self, timeout: float = 90) -> None:
        markers = {
            "scheduler": "scheduler started",
            "worker": "Starting worker" if self.mode == EMBEDDED else " ready.",
        }

        def all_ready() -> bool:
            for name, spawned in self.running.items():
                if spawned.process.poll() is not None:
                    raise AssertionError(f"{name} exited\n{spawned.output()}")
                if markers[name.split("-")[0]] not in spawned.output():
                    return False
            return True

        try:
            wait_for(all_ready, timeout=timeout, interval=0.2, what="workers and schedulers")
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.outputs()}") from None

    def kill(self, name: str, started_at: float) -> None:
        """SIGKILL the process group at once (no chance to finish anything), then restart."""
        spawned = self.running[name]
        kill_group(spawned.pid, signal.SIGKILL)
        spawned.process.wait(timeout=30)
        self.kills.append((time.monotonic() - started_at, name))
        self.start(name)

    def dead(self) -> list[str]:
        """Processes that exited without being killed here: a crash is a finding too."""
        return [name for name, s in self.running.items() if s.process.poll() is not None]

    def stop_all(self) -> None:
        for spawned in self.running.values():
            spawned.stop(grace=0)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by the running workers and schedulers (with what they
        started, such as Celery's pool processes), by kind."""
        used: Counter[str] = Counter()
        for name, spawned in self.running.items():
            used[name.split("-")[0]] += process_cpu_seconds(spawned.pid)
        return dict(used)

    def outputs(self) -> str:
        return "\n".join(s.output()[-3000:] for s in self.running.values())


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of `pid` and its descendants (0 for what has exited)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for each in [pid, *(info.pid for info in descendants(pid))]:
        try:
            stat = Path(f"/proc/{each}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def chaos(
    fleet: Fleet,
    *,
    duration_s: float,
    min_kills: int,
    rng: random.Random,
    started_at: float,
    between_s: tuple[float, float] = (2.0, 5.0),
) -> list[tuple[float, str]]:
    """Kill a random worker or scheduler with SIGKILL at random intervals for `duration_s`
    (longer if fewer than `min_kills` kills happened), restarting each at once. Both kinds
    are killed: the kind is drawn at random, but each gets at least a third of the kills."""
    end = time.monotonic() + duration_s
    hard_end = end + 60  # bounded even if the intervals come out long
    kinds = {"worker": 0, "scheduler": 0}
    while time.monotonic() < hard_end:
        count = sum(kinds.values())
        if time.monotonic() >= end and count >= min_kills:
            break
        time.sleep(rng.uniform(*between_s))
        lacking = [k for k, n in kinds.items() if n < min_kills // 3 and count >= min_kills // 2]
        kind = lacking[0] if lacking else rng.choice(sorted(kinds))
        name = rng.choice([n for n in fleet.names if n.startswith(kind)])
        fleet.kill(name, started_at)
        kinds[kind] += 1
    return fleet.kills


# --- waiting and checking ----------------------------------------------------------------------


def status_counts() -> dict[str, int]:
    rows = Publication.objects.values_list("status").annotate(n=Count("id"))
    return {status: n for status, n in rows}


def settled(counts: dict[str, int]) -> bool:
    """Nothing left that the engine would still move on its own."""
    if counts.get("scheduled") or counts.get("publishing"):
        return False
    return not Publication.objects.filter(status="unknown", needs_person=False).exists()


def wait_settled(timeout: float) -> dict[str, int]:
    """Poll until every publication has an outcome the engine will not change on its own, or
    `timeout` passes; returns the last counts either way (the caller asserts on them)."""
    deadline = time.monotonic() + timeout
    while True:
        counts = status_counts()
        if settled(counts) or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


def not_published_listing(limit: int = 30) -> str:
    rows = Publication.objects.exclude(status="published").order_by("id")[:limit]
    return "\n".join(
        f"  #{p.pk} {p.status} attempts={p.attempt_count} {p.error_code}: {p.error_message[:120]}"
        for p in rows
    )


def network_key(post: dict[str, Any]) -> str:
    """The publication key a network post was made with (its key is "<key>:<part>:<n>")."""
    return str(post["idempotency_key"]).split(":", 1)[0]


@dataclass(frozen=True)
class Row:
    """What the check needs of one publication, read with the ORM or straight from SQLite."""

    id: int
    key: str
    status: str
    external_id: str
    publish_attempts: int


def rows_from_orm() -> list[Row]:
    pubs = Publication.objects.annotate(
        publish_attempts=Count("attempts", filter=Q(attempts__kind="publish"))
    ).values_list("id", "idempotency_key", "status", "external_id", "publish_attempts")
    return [Row(*values) for values in pubs]


def rows_from_sqlite(path: Path) -> list[Row]:
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        values = database.execute(
            "SELECT p.id, p.idempotency_key, p.status, p.external_id,"
            " (SELECT COUNT(*) FROM publishing_attempt a"
            "  WHERE a.publication_id = p.id AND a.kind = 'publish')"
            " FROM publishing_publication p ORDER BY p.id"
        ).fetchall()
    finally:
        database.close()
    return [Row(*row) for row in values]


def network_problems(stats: dict[str, Any], rows: Iterable[Row]) -> list[str]:
    """Everything that is not "exactly one post per publication, the one its row names, and
    an attempt written before every request the network saw"."""
    problems = [f"duplicate on the network: {d}" for d in stats["duplicates"]]
    if stats.get("internal_errors"):
        problems.append(f"the test network failed internally {stats['internal_errors']} times")
    by_key: dict[str, list[dict[str, Any]]] = {}
    for post in stats["posts"]:
        by_key.setdefault(network_key(post), []).append(post)
    requests: Counter[str] = Counter()
    for key, count in stats["attempts_by_key"].items():
        requests[key.split(":", 1)[0]] += count
    for row in rows:
        posts = by_key.pop(row.key, [])
        if len(posts) != 1:
            problems.append(f"#{row.id} ({row.status}) has {len(posts)} posts on the network")
        elif row.external_id != posts[0]["id"]:
            problems.append(
                f"#{row.id} names {row.external_id!r}, the network has {posts[0]['id']}"
            )
        if row.status == "published" and row.publish_attempts < 1:
            problems.append(f"#{row.id} is published without a publish attempt")
        if requests[row.key] > row.publish_attempts:
            problems.append(
                f"#{row.id}: the network saw {requests[row.key]} requests, but only "
                f"{row.publish_attempts} attempts were written"
            )
    problems.extend(f"a post nobody scheduled: {posts}" for posts in by_key.values())
    return problems


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def lags(stats: dict[str, Any], due_by_key: dict[str, datetime]) -> list[float]:
    """Seconds from each publication's due time to the network's acceptance of its first
    post, sorted."""
    first: dict[str, datetime] = {}
    for post in stats["posts"]:
        key = network_key(post)
        first.setdefault(key, utc(post["created_at"]))
    return sorted(
        (first[key] - due).total_seconds() for key, due in due_by_key.items() if key in first
    )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    return values[min(len(values) - 1, max(0, round(fraction * len(values) + 0.5) - 1))]


def lag_summary(values: list[float]) -> str:
    if not values:
        return "no lags"
    return (
        f"lag p50 {percentile(values, 0.5):.2f} s, p99 {percentile(values, 0.99):.2f} s, "
        f"max {values[-1]:.2f} s"
    )


def run_command(argv: list[str], env: dict[str, str], timeout: float) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, timeout=timeout, check=False)
    if done.returncode:
        raise AssertionError(f"{argv} failed: {done.stderr.decode(errors='replace')[-3000:]}")
    return done.stdout.decode(errors="replace")


def forget_queue(broker_url: str, name: str) -> None:
    """Leave the shared broker as the run found it: its queue and the queue's bindings."""
    if broker_url.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(broker_url)
        try:
            client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
            # Messages a killed worker had taken but not acknowledged wait in kombu's
            # "unacked" hash; after the visibility timeout any worker on this Redis would
            # put them back into the queue, which nobody reads any more.
            for tag, raw in client.hscan_iter("unacked"):
                _message, _exchange, routing_key = json.loads(raw)
                if routing_key == name:
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
        finally:
            client.close()
    else:
        from townsquare.runtime.celery_app import app

        with app.connection_for_write(broker_url, connect_timeout=2) as conn:
            conn.default_channel.queue_delete(name)
