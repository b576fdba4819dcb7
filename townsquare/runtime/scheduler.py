"""The scheduler loop: claim due work, hand it to the task backend, sleep until the next due.

Jobs register here with `register(job)`. A job is a callable that does its due work and
returns the number of seconds until it next has something due (or None for "nothing
known"). The loop sleeps until the earliest of those and the heartbeat, or until woken.
Any number of schedulers may run at once: jobs claim their rows with compare-and-set
updates, so two loops never take the same row.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

from townsquare.runtime.heartbeat import SCHEDULER, beat

logger = logging.getLogger(__name__)

Job = Callable[[], float | None]
_jobs: list[Job] = []


def register(job: Job) -> Job:
    if job not in _jobs:
        _jobs.append(job)
    return job


def registered_jobs() -> tuple[Job, ...]:
    return tuple(_jobs)


def run_once() -> float:
    """One pass over every job. Returns how long the loop may sleep."""
    close_old_connections()
    beat(SCHEDULER, jobs=[getattr(job, "__name__", repr(job)) for job in _jobs])
    sleep_for = float(settings.SCHEDULER_HEARTBEAT_SECONDS)
    for job in _jobs:
        try:
            due_in = job()
        except Exception:
            logger.exception("scheduler job %s failed", job)
            due_in = 1.0
        if due_in is not None:
            sleep_for = min(sleep_for, max(due_in, 0.0))
    return sleep_for


def run_forever(stop: threading.Event, wake: threading.Event | None = None) -> None:
    wake = wake or threading.Event()
    logger.info("scheduler started with %d job(s)", len(_jobs))
    while not stop.is_set():
        sleep_for = run_once()
        wake.wait(timeout=sleep_for)
        wake.clear()
    logger.info("scheduler stopped")
