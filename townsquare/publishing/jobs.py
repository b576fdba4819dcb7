"""The publishing jobs of the scheduler loop (imported by runtime.scheduler.autodiscover)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.tasks import DEFAULT_TASK_QUEUE_NAME

from townsquare.publishing.claim import (
    CLAIM_BATCH,
    claim_due,
    claim_unknown,
    recover_expired,
    seconds_until_lease_expiry,
    seconds_until_next_due,
    seconds_until_reconcilable,
)
from townsquare.publishing.tasks import publish_publication, reconcile_publication
from townsquare.runtime.scheduler import register

logger = logging.getLogger(__name__)


def publish_queue() -> str:
    """The task queue of publishing: "default" unless settings.PUBLISH_TASK_QUEUE (not read
    from the environment) names another, as the process tests do so that test runs sharing
    a broker never take each other's messages."""
    return str(getattr(settings, "PUBLISH_TASK_QUEUE", DEFAULT_TASK_QUEUE_NAME))


def enqueue_due() -> float | None:
    """Claim what is due and hand each row to a worker; sleep until the next due time."""
    publish = publish_publication.using(queue_name=publish_queue())
    while True:
        # The claim and its tasks commit together: with the database backend the task rows
        # are written in the same transaction, so a scheduler killed in between leaves
        # neither (instead of claimed rows that nobody runs until their lease runs out).
        # Celery's messages go out when it commits, never for a claim that rolled back.
        with transaction.atomic():
            claimed = claim_due()
            for pub_id, token in claimed:
                publish.enqueue(pub_id, token)
        if len(claimed) < CLAIM_BATCH:
            break
    return seconds_until_next_due()


def recover_leases() -> float | None:
    rescheduled, unknown = recover_expired()
    if rescheduled or unknown:
        logger.warning("recovered expired leases: %d rescheduled, %d unknown", rescheduled, unknown)
    return seconds_until_lease_expiry()


def reconcile_unknown() -> float | None:
    grace = float(settings.PUBLISH_RECONCILE_GRACE_SECONDS)
    reconcile = reconcile_publication.using(queue_name=publish_queue())
    with transaction.atomic():
        for pub_id, token in claim_unknown(grace_seconds=grace):
            reconcile.enqueue(pub_id, token)
    # An outcome that became unknown a moment ago is asked about once its grace is over,
    # not at the next heartbeat.
    return seconds_until_reconcilable(grace_seconds=grace)


register(enqueue_due)
register(recover_leases)
register(reconcile_unknown)
