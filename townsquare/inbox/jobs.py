"""The inbox's jobs in the scheduler loop (this module is what the scheduler discovers).

Here: poll each account whose inbox is due (every two minutes by default, each account on
its own clock), one task per account. The routing and SLA jobs (sla_jobs) and the
register's digest and retention (register_jobs) register themselves when imported here.
"""

from __future__ import annotations

import logging

import townsquare.inbox.register_jobs
import townsquare.inbox.sla_jobs  # noqa: F401  (imported for the jobs they register)
from townsquare.inbox.ingest_polls import claim_due, seconds_until_next_poll
from townsquare.runtime.scheduler import register

logger = logging.getLogger(__name__)

# Accounts connected or reconnected meanwhile are noticed within this time.
LOOK_AGAIN_SECONDS = 60.0


def enqueue_due_inbox_polls() -> float | None:
    claimed = claim_due()
    if claimed:
        logger.debug("inbox polls enqueued for %d account(s)", len(claimed))
    due_in = seconds_until_next_poll()
    return LOOK_AGAIN_SECONDS if due_in is None else min(due_in, LOOK_AGAIN_SECONDS)


register(enqueue_due_inbox_polls)
