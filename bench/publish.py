"""Benchmark: 2,000 publications due in the same minute against the test network, both modes.

    python -m bench.publish [--posts 2000] [--spread 60] [--latency-ms 50]
                            [--modes embedded,scale] [--workers N] [--concurrency N] [--trace]

The test network runs as a process with 50 ms of latency on every request and without
deduplication (a post sent twice would show as two). Each mode runs in a process of its own
on a database of its own:

- embedded: a fresh SQLite file in a temporary data directory, `townsquare db_worker`
  processes (one task at a time each) and two `townsquare scheduler` processes;
- scale: a PostgreSQL database created for the run (`tsq_bench_<pid>`, dropped afterwards),
  Celery worker processes (threads) on Redis, rate limits in Redis, database connections
  kept between tasks, and two schedulers.

The due times are spread at random over the minute. Prints the throughput while they were
due, the lag from due time to the network's acceptance of the post (its created_at) as p50,
p99 and max, the CPU time each kind of process used, and the ratios to the targets: p50 under
1 s, p99 under 5 s, zero duplicates. Exits with 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

TARGET_P50_S = 1.0
TARGET_P99_S = 5.0
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
MODES = ("embedded", "scale")
# Measured on the 2-core machine (`--workers`): 2 database workers keep up with 16 posts a
# second at 50 ms each, 4 with the 33 a second of this benchmark; 6 leave room for a busy
# machine. Two Celery processes of 8 threads each keep up in the scale mode.
DEFAULT_WORKERS = {"embedded": 6, "scale": 2}
DEFAULT_CONCURRENCY = 8


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds the due times span")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--workers", type=int, help="worker processes (default: per mode)")
    parser.add_argument(
        "--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="threads per Celery worker"
    )
    parser.add_argument("--schedulers", type=int, default=2)
    parser.add_argument("--trace", action="store_true", help="lag by 10 s of due times")
    parser.add_argument("--keep", action="store_true", help="keep the data directory and logs")
    parser.add_argument("--run", choices=MODES, help=argparse.SUPPRESS)  # one mode, in-process
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_mode(args)), flush=True)
        return
    failed = False
    for mode in args.modes.split(","):
        result = run_in_own_process(mode, args)
        if result is not None:
            report(result)
        failed = failed or result is None or not result["ok"]
    if failed:
        sys.exit(1)


# --- the orchestrating process ---------------------------------------------------------------


def run_in_own_process(mode: str, args: argparse.Namespace) -> dict[str, Any] | None:
    """Settings are read once per process, so each mode gets a process with its own database."""
    print(
        f"== publish, {mode} mode: {args.posts:,} publications due within {args.spread:g} s, "
        f"{args.latency_ms:g} ms latency ==",
        flush=True,
    )
    data_dir = Path(tempfile.mkdtemp(prefix=f"tsq-bench-{mode}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env.update(
        TOWNSQUARE_DATA_DIR=str(data_dir),
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(40),
        FIELD_ENCRYPTION_KEYS=env.get("FIELD_ENCRYPTION_KEYS") or fernet_key(),
        DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    database = ""
    if mode == "embedded":
        env["DATABASE_URL"] = f"sqlite:///{data_dir / 'townsquare.sqlite3'}"
    else:
        problem = service_problem()
        if problem:
            print(f"  not run: {problem}", flush=True)
            shutil.rmtree(data_dir, ignore_errors=True)
            return None
        database = f"tsq_bench_{os.getpid()}"
        admin_sql(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{database}"
    argv = [sys.executable, "-m", "bench.publish", "--run", mode]
    for option in ("posts", "spread", "latency_ms", "concurrency", "schedulers", "workers"):
        if getattr(args, option) is not None:
            argv += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    if args.trace:
        argv.append("--trace")
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=args.spread + 900, check=False
        )
    finally:
        if database:
            admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        if args.keep:
            print(f"  data directory and logs kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        print(f"  FAILED (exit {done.returncode})\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def service_problem() -> str | None:
    import redis

    try:
        admin_sql("SELECT 1")
    except Exception as error:
        return f"PostgreSQL at {PG_SERVER}: {type(error).__name__}: {error}"
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as error:
        return f"Redis at {REDIS}: {type(error).__name__}: {error}"
    return None


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def report(result: dict[str, Any]) -> None:
    p50, p99 = result["p50"], result["p99"]
    cpu = ", ".join(f"{kind} {seconds:.0f} s" for kind, seconds in sorted(result["cpu"].items()))
    lines = [
        f"setup           {result['setup']}",
        f"published       {result['published']:,} of {result['posts']:,} "
        f"(others: {result['not_published'] or 'none'})",
        f"throughput      {result['throughput']:.1f} publications/s while due "
        f"(due: {result['due_rate']:.1f}/s); the last one {result['drain_s']:.1f} s "
        "after the last due time",
        f"lag due->accepted  p50 {p50:.3f} s, p99 {p99:.3f} s, max {result['max']:.3f} s",
        f"p50 / target    {p50 / TARGET_P50_S:.2f} (target: p50 < {TARGET_P50_S:g} s)",
        f"p99 / target    {p99 / TARGET_P99_S:.2f} (target: p99 < {TARGET_P99_S:g} s)",
        f"duplicates      {result['duplicates']} (target: 0); "
        f"other problems: {result['problems'] or 'none'}",
        f"CPU time        {cpu} (the machine has 2 cores)",
        *result["trace"],
        f"verdict         {'met' if result['ok'] else 'MISSED'}",
    ]
    print("\n".join(f"  {line}" for line in lines), flush=True)


# --- one mode, in its own process --------------------------------------------------------------


def run_mode(args: argparse.Namespace) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from townsquare.publishing.models import Publication
    from townsquare.publishing.tests import fleet as f

    mode = args.run
    workers = args.workers or DEFAULT_WORKERS[mode]
    call_command("migrate", verbosity=0)
    log_dir = Path(os.environ["TOWNSQUARE_DATA_DIR"]) / "logs"
    log_dir.mkdir()
    queue = f"townsquare-bench-{os.getpid()}"
    network = f.start_network(log_dir, {"latency_ms": args.latency_ms})
    # The default lease: nobody is killed here.
    env = f.fleet_env(mode, queue=queue, broker_url=REDIS if mode == "scale" else "", lease_s=90)
    fleet = f.Fleet(
        mode,
        env,
        log_dir,
        queue,
        workers=workers,
        schedulers=args.schedulers,
        concurrency=args.concurrency,
    )
    try:
        account = f.connect_account(workspace(), network.url, read_timeout_s=10)
        fleet.start_all()
        fleet.wait_ready(timeout=120)
        first_due = timezone.now() + timedelta(seconds=3)
        f.seed_publications(account, args.posts, first_due=first_due, spread_s=args.spread)
        counts = f.wait_settled(args.spread + 300)
        cpu = fleet.cpu_seconds()
        cpu["network"] = f.process_cpu_seconds(network.spawned.pid)
        stats = network.stats()
        rows = f.rows_from_orm()
        due = dict(Publication.objects.values_list("idempotency_key", "due_at"))
    finally:
        fleet.stop_all()
        network.stop()
        if mode == "scale":
            f.forget_queue(REDIS, queue)
    lags = f.lags(stats, due)
    accepted = sorted(f.utc(post["created_at"]) for post in stats["posts"])
    last_due = max(due.values())
    window = (last_due - first_due).total_seconds()
    problems = f.network_problems(stats, rows)
    detail = f" x {args.concurrency} threads" if mode == "scale" else " (one task each)"
    result = {
        "setup": f"{workers} worker processes{detail}, {args.schedulers} schedulers",
        "posts": args.posts,
        "published": counts.get("published", 0),
        "not_published": {k: v for k, v in counts.items() if k != "published"},
        "due_rate": args.posts / window,
        "throughput": sum(1 for at in accepted if at <= last_due) / window,
        "drain_s": (accepted[-1] - last_due).total_seconds() if accepted else 0.0,
        "p50": f.percentile(lags, 0.5) if lags else float("inf"),
        "p99": f.percentile(lags, 0.99) if lags else float("inf"),
        "max": lags[-1] if lags else float("inf"),
        "duplicates": len(stats["duplicates"]),
        "problems": problems[:10],
        "cpu": cpu,
        "trace": trace(stats, due, first_due) if args.trace else [],
    }
    result["ok"] = bool(
        result["published"] == args.posts
        and not problems
        and result["p50"] < TARGET_P50_S
        and result["p99"] < TARGET_P99_S
    )
    return result


def trace(stats: dict[str, Any], due: dict[str, Any], first_due: Any) -> list[str]:
    """Lag by 10 s of due times: a backlog that builds up shows as a rising p50."""
    from townsquare.publishing.tests import fleet as f

    accepted: dict[str, Any] = {}
    for post in stats["posts"]:
        accepted.setdefault(f.network_key(post), f.utc(post["created_at"]))
    buckets: dict[int, list[float]] = {}
    for key, at in due.items():
        if key in accepted:
            bucket = int((at - first_due).total_seconds() // 10)
            buckets.setdefault(bucket, []).append((accepted[key] - at).total_seconds())
    return [
        f"due {b * 10:3d}-{b * 10 + 10:3d} s: {len(v):4d} posts, lag p50 "
        f"{f.percentile(sorted(v), 0.5):.2f} s, max {max(v):.2f} s"
        for b, v in sorted(buckets.items())
    ]


def workspace() -> Any:
    from django.contrib.auth import get_user_model

    from townsquare.workspaces.actions import do_create_workspace

    user = get_user_model().objects.create_user("bench@example.com", secrets.token_urlsafe(16))
    return do_create_workspace(user, name="Benchmark", language="de")


if __name__ == "__main__":
    main()
