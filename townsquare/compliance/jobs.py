"""The compliance job of the scheduler loop (imported by runtime.scheduler.autodiscover)."""

from __future__ import annotations

import time

from townsquare.compliance.weekly import send_due_checks
from townsquare.runtime.scheduler import register

CHECK_EVERY_SECONDS = 600.0
_last_check = 0.0


def weekly_plan_check() -> float | None:
    """Send the weekly plan checks that are due. Looks every ten minutes; cheap when none
    is (one query for the workspaces with a cadence, one per workspace on Monday)."""
    global _last_check
    elapsed = time.monotonic() - _last_check
    if _last_check and elapsed < CHECK_EVERY_SECONDS:
        return CHECK_EVERY_SECONDS - elapsed
    _last_check = time.monotonic()
    send_due_checks()
    return CHECK_EVERY_SECONDS


register(weekly_plan_check)
