"""The rate-limit job of the scheduler loop (imported by runtime.scheduler.autodiscover)."""

from __future__ import annotations

import time

from townsquare.ratelimits.limiter import get_backend
from townsquare.runtime.scheduler import register

# Windows that no longer matter only take space; an hourly sweep keeps the table as large
# as the set of keys used in the last day, without a DELETE on every scheduler pass.
PURGE_EVERY_SECONDS = 3600.0
_last_purge: float | None = None


@register
def purge_rate_windows() -> float:
    global _last_purge
    now = time.monotonic()
    if _last_purge is not None and now - _last_purge < PURGE_EVERY_SECONDS:
        return PURGE_EVERY_SECONDS - (now - _last_purge)
    get_backend().purge()
    _last_purge = now
    return PURGE_EVERY_SECONDS
