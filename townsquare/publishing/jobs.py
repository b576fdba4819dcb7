"""The publishing jobs of the scheduler loop (imported by runtime.scheduler.autodiscover)."""

from __future__ import annotations

import logging

from django.conf import settings

from townsquare.publishing.claim import (
    claim_due,
    claim_unknown,
    recover_expired,
    seconds_until_lease_expiry,
    seconds_until_next_due,
)
from townsquare.publishing.tasks import publish_publication, reconcile_publication
from townsquare.runtime.scheduler import register

logger = logging.getLogger(__name__)


def enqueue_due() -> float | None:
    """Claim what is due and hand each row to a worker; sleep until the next due time."""
    while True:
        claimed = claim_due()
        for pub_id, token in claimed:
            publish_publication.enqueue(pub_id, token)
        if len(claimed) < 200:
            break
    return seconds_until_next_due()


def recover_leases() -> float | None:
    rescheduled, unknown = recover_expired()
    if rescheduled or unknown:
        logger.warning("recovered expired leases: %d rescheduled, %d unknown", rescheduled, unknown)
    return seconds_until_lease_expiry()


def reconcile_unknown() -> float | None:
    for pub_id, token in claim_unknown(grace_seconds=settings.PUBLISH_RECONCILE_GRACE_SECONDS):
        reconcile_publication.enqueue(pub_id, token)
    return None


register(enqueue_due)
register(recover_leases)
register(reconcile_unknown)
