"""The queues' scheduler job (imported by runtime.scheduler.autodiscover): evergreen posts
queued again once their gap has passed."""

from __future__ import annotations

import time

from townsquare.queues.evergreen_actions import requeue_evergreen
from townsquare.runtime.scheduler import register

# Gaps are days long: looking every ten minutes is often enough, and a busy loop that
# makes ten passes a second does not ask the database each time.
EVERGREEN_CHECK_SECONDS = 600.0
_last_check = {"at": -EVERGREEN_CHECK_SECONDS}


def requeue_evergreen_posts() -> float | None:
    now = time.monotonic()
    since = now - _last_check["at"]
    if since < EVERGREEN_CHECK_SECONDS:
        return EVERGREEN_CHECK_SECONDS - since
    _last_check["at"] = now
    requeue_evergreen()
    return EVERGREEN_CHECK_SECONDS


register(requeue_evergreen_posts)
