"""The scheduler loop: claim due work, hand it to the task backend, sleep until the next due.

Jobs register here with `register(job)`, usually from an app's `jobs` module (imported by
`autodiscover()`). A job is a callable that does its due work and returns the number of
seconds until it next has something due (or None for "nothing known"). The loop sleeps
until the earliest of those and the heartbeat, or until woken.
Any number of schedulers may run at once: jobs claim their rows with compare-and-set
updates, so two loops never take the same row.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.module_loading import autodiscover_modules

from townsquare.runtime.heartbeat import SCHEDULER, beat
from townsquare.runtime.wakeup import wake_marker

logger = logging.getLogger(__name__)

Job = Callable[[], float | None]
_jobs: list[Job] = []

# How soon a job that raised is tried again, and how long the loop waits after a pass that
# failed as a whole (the database is down, say). Short enough to recover quickly, long
# enough not to flood the log with one traceback per second.
RETRY_SECONDS = 5.0
# A sleeping loop looks at its stop event this often, so that setting `stop` alone ends
# it promptly even when nobody sets `wake`.
STOP_POLL_SECONDS = 0.5


def register(job: Job) -> Job:
    if job not in _jobs:
        _jobs.append(job)
    return job


def registered_jobs() -> tuple[Job, ...]:
    return tuple(_jobs)


def autodiscover() -> None:
    """Import the `jobs` module of every installed app, where jobs register themselves."""
    autodiscover_modules("jobs")


def _name(job: Job) -> str:
    return getattr(job, "__qualname__", None) or repr(job)


def run_once() -> float:
    """One pass over every job. Returns how long the loop may sleep."""
    close_old_connections()
    jobs = registered_jobs()
    beat(SCHEDULER, jobs=[_name(job) for job in jobs])
    sleep_for = float(settings.SCHEDULER_HEARTBEAT_SECONDS)
    for job in jobs:
        try:
            due_in = job()
        except Exception:
            logger.exception("scheduler job %s failed; retrying in %s s", _name(job), RETRY_SECONDS)
            due_in = RETRY_SECONDS
        if due_in is not None:
            sleep_for = min(sleep_for, max(float(due_in), 0.0))
    return sleep_for


def run_forever(stop: threading.Event, wake: threading.Event | None = None) -> None:
    """Run passes until `stop` is set. Setting `wake` starts the next pass at once.

    The loop owns the database connections of its thread and closes them when it ends.
    """
    wake = wake or threading.Event()
    logger.info("scheduler started with %d job(s)", len(_jobs))
    try:
        while not stop.is_set():
            # Cleared before the pass, not after it: a wake-up that arrives while the
            # pass runs must send the loop round again instead of being lost.
            wake.clear()
            try:
                sleep_for = run_once()
            except Exception:
                logger.exception("scheduler pass failed; retrying in %s s", RETRY_SECONDS)
                sleep_for = RETRY_SECONDS
            _sleep(sleep_for, stop, wake)
    finally:
        connections.close_all()
    logger.info("scheduler stopped")


def _sleep(seconds: float, stop: threading.Event, wake: threading.Event) -> None:
    deadline = time.monotonic() + seconds
    marker = wake_marker()
    while not stop.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0 or wake.wait(min(remaining, STOP_POLL_SECONDS)):
            return
        if wake_marker() != marker:  # another process asked for a pass now
            return
