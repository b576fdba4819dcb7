"""The scheduler's jobs for routing and the SLA (imported by inbox/jobs.py, which the
scheduler discovers): SLA breaches told once, the storm alarm, forwards tried again."""

from __future__ import annotations

import time

from townsquare.inbox.forwarding import next_retry_in, retry_due_forwards
from townsquare.inbox.sla import check_storms, notify_breaches
from townsquare.runtime.scheduler import register

# Breaches are looked for every minute (a target is minutes long); the storm every five
# (it compares whole hours).
BREACH_EVERY_SECONDS = 60.0
STORM_EVERY_SECONDS = 300.0
_last_run = {"breaches": 0.0, "storms": 0.0}


def _due(name: str, every: float) -> float | None:
    """Seconds until the job is due again, or None when it is due now (and marked run)."""
    elapsed = time.monotonic() - _last_run[name]
    if _last_run[name] and elapsed < every:
        return every - elapsed
    _last_run[name] = time.monotonic()
    return None


def notify_sla_breaches() -> float | None:
    wait = _due("breaches", BREACH_EVERY_SECONDS)
    if wait is not None:
        return wait
    notify_breaches()
    return BREACH_EVERY_SECONDS


def check_inbox_storms() -> float | None:
    wait = _due("storms", STORM_EVERY_SECONDS)
    if wait is not None:
        return wait
    check_storms()
    return STORM_EVERY_SECONDS


def retry_inbox_forwards() -> float | None:
    retry_due_forwards()
    return next_retry_in()


register(notify_sla_breaches)
register(check_inbox_storms)
register(retry_inbox_forwards)
