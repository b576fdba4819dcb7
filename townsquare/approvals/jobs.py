"""The scheduler's job for approvals: remind approvers of posts waiting more than a day."""

from __future__ import annotations

import time

from townsquare.approvals.reminders import remind_pending
from townsquare.runtime.scheduler import register

CHECK_EVERY_SECONDS = 600.0
_last_check = 0.0


def remind_pending_approvals() -> float | None:
    """Cheap when nothing waits; looks every ten minutes."""
    global _last_check
    elapsed = time.monotonic() - _last_check
    if _last_check and elapsed < CHECK_EVERY_SECONDS:
        return CHECK_EVERY_SECONDS - elapsed
    _last_check = time.monotonic()
    remind_pending()
    return CHECK_EVERY_SECONDS


register(remind_pending_approvals)
