"""The scheduler's jobs for routing and the SLA (imported by inbox/jobs.py, which the
scheduler discovers): SLA breaches told once, the storm alarm, forwards tried again."""

from __future__ import annotations

from townsquare.inbox.forwarding import next_retry_in, retry_due_forwards
from townsquare.inbox.job_clock import JobClock
from townsquare.inbox.sla import check_storms, notify_breaches
from townsquare.runtime.scheduler import register

# Breaches are looked for every minute (a target is minutes long); the storm every five
# (it compares whole hours).
BREACH_EVERY_SECONDS = 60.0
STORM_EVERY_SECONDS = 300.0
_clock = JobClock()


def notify_sla_breaches() -> float | None:
    return _clock.run_every("breaches", BREACH_EVERY_SECONDS, notify_breaches)


def check_inbox_storms() -> float | None:
    return _clock.run_every("storms", STORM_EVERY_SECONDS, check_storms)


def retry_inbox_forwards() -> float | None:
    retry_due_forwards()
    return next_retry_in()


register(notify_sla_breaches)
register(check_inbox_storms)
register(retry_inbox_forwards)
