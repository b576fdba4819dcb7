"""What the page benchmarks share: one process per database, a PostgreSQL database of their
own made for the run and dropped after it, a page requested many times with its wall and CPU
time, percentiles, and the machine's load beside each figure.

A benchmark calls `run_everywhere` from its command line; it starts the benchmark's own
module again with `--run sqlite|postgresql` in a temporary data directory, reads the JSON the
measured process prints last, and returns one result per database.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BACKENDS = ("sqlite", "postgresql")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load() -> float:
    """The machine's load over the last minute (other people's work slows every figure)."""
    return os.getloadavg()[0]


def run_everywhere(
    module: str, name: str, argv: list[str], only: str | None = None
) -> list[dict[str, Any] | None]:
    """Run `python -m module --run <backend> *argv` on SQLite and, when DATABASE_URL points
    to PostgreSQL, on a database `tsq_bench_<name>_<pid>` made for it (`only` one of the
    two); a failed run is None (its error printed)."""
    results = []
    if only in (None, "sqlite"):
        results.append(in_own_process(module, name, "sqlite", argv, None))
    url = os.environ.get("DATABASE_URL", "")
    if only == "sqlite":
        pass
    elif url.startswith(("postgres://", "postgresql://")):
        results.append(
            with_postgres(
                url, name, lambda db: in_own_process(module, name, "postgresql", argv, db)
            )
        )
    else:
        print("PostgreSQL: skipped (DATABASE_URL does not point to PostgreSQL)")
    return results


def in_own_process(
    module: str, name: str, backend: str, argv: list[str], database_url: str | None
) -> dict[str, Any] | None:
    with tempfile.TemporaryDirectory(prefix=f"tsq-bench-{name}-") as data_dir:
        env = {
            **os.environ,
            "TOWNSQUARE_DATA_DIR": data_dir,
            "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(32)),
            "DEBUG": "0",
            "TASKS_BACKEND": "db",
        }
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        command = [sys.executable, "-m", module, "--run", backend, *argv]
        # The measured process's progress lines (stderr) show while it runs.
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            print(f"{backend}: failed (exit {done.returncode})")
            return None
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def with_postgres(url: str, name: str, run: Callable[[str], Any]) -> Any:
    import psycopg

    parts = urlsplit(url)
    database = f"tsq_bench_{name}_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        return run(urlunsplit(parts._replace(path=f"/{database}")))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def backend_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only", choices=BACKENDS, help="measure on this database only")
    parser.add_argument("--run", choices=BACKENDS, help=argparse.SUPPRESS)


# --- inside the measured process -------------------------------------------------------------


def start_django() -> None:
    """Django set up and migrated, accepting the test client's host."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


def load_as_served() -> None:
    """Townsquare loaded as the web server loads it (townsquare/wsgi.py: every view imported,
    then what lives as long as the process frozen out of the garbage collector's full
    passes, runtime/heap.py), so that the figures are a server process's."""
    import townsquare.wsgi  # noqa: F401


def time_page(user: Any, path: str, requests: int, warm_up: int = 5) -> dict[str, Any]:
    """`path` requested `requests` times by `user` after a few warm-up requests: server time
    p50/p99/max, this process's CPU time per request (what the time would be on a machine
    not busy with other work; a PostgreSQL server's own CPU is not in it), queries per
    request and the load."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    for _ in range(warm_up):
        answer = client.get(path, secure=True)
        assert answer.status_code == 200, answer.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(path, secure=True)
    # Read now: the next request empties the log the context reads from.
    queries = len(captured)
    timings, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "requests": requests,
        "p50_ms": percentile(timings, 0.5),
        "p99_ms": percentile(timings, 0.99),
        "max_ms": max(timings),
        "cpu_p50_ms": percentile(cpu, 0.5),
        "cpu_p99_ms": percentile(cpu, 0.99),
        "queries": queries,
        "load": load(),
    }


TIMING_HEAD = ("p50 ms", "p99 ms", "max ms", "cpu p50", "cpu p99", "queries")


def timing_cells(figures: dict[str, Any]) -> str:
    """The columns of TIMING_HEAD for one `time_page` result, 9 characters each."""
    return (
        f"{figures['p50_ms']:>9.1f}{figures['p99_ms']:>9.1f}{figures['max_ms']:>9.1f}"
        f"{figures['cpu_p50_ms']:>9.1f}{figures['cpu_p99_ms']:>9.1f}{figures['queries']:>9}"
    )


def verdict(figures: dict[str, Any], target_ms: float) -> str:
    ok = "met" if figures["p99_ms"] <= target_ms else "MISSED"
    return f"{ok} (load {figures['load']:.1f})"
