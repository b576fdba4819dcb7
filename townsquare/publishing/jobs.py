"""The publishing jobs of the scheduler loop (imported by runtime.scheduler.autodiscover)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.tasks import DEFAULT_TASK_QUEUE_NAME

from townsquare.publishing.claim import (
    CLAIM_BATCH,
    claim_due,
    claim_unknown,
    lease_seconds,
    recover_expired,
    seconds_until_lease_expiry,
    seconds_until_next_due,
    seconds_until_reconcilable,
)
from townsquare.publishing.connection_checks import enqueue_connection_checks
from townsquare.publishing.connection_warnings import warn_about_connections
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import send_due_reminders
from townsquare.publishing.schedule import Status
from townsquare.publishing.tasks import publish_publication, reconcile_publication
from townsquare.runtime.scheduler import register

logger = logging.getLogger(__name__)


def publish_queue() -> str:
    """The task queue of publishing (settings.PUBLISH_TASK_QUEUE, "default" unless
    configured): a deployment can run publishing workers of its own, and test runs sharing a
    broker never take each other's messages."""
    return str(getattr(settings, "PUBLISH_TASK_QUEUE", DEFAULT_TASK_QUEUE_NAME))


# Posts due within the same tenth of a second are claimed in one pass: when thousands are
# due in the same minute the loop makes ten passes a second instead of one per post, and no
# post waits more than this for its pass.
MIN_PASS_SECONDS = 0.1
# How often, at most, a busy loop asks for unknown outcomes to reconcile. They appear at any
# moment (a request that timed out) but are only taken after their grace period, so asking
# every pass would mostly find nothing.
RECONCILE_CHECK_SECONDS = 1.0


@dataclass
class _Checks:
    """What this process learnt at its last checks (time.monotonic() values)."""

    lease_check_at: float = 0.0
    reconcile_check_at: float = 0.0
    in_flight: bool = False


_checks = _Checks()


def max_in_flight() -> int:
    return int(getattr(settings, "PUBLISH_MAX_IN_FLIGHT", CLAIM_BATCH))


def room_for_claims() -> int:
    """How many more rows may be handed to workers now. A row stays `publishing` from its
    claim to its end, so the count is what the workers have been given and not finished."""
    return max(0, max_in_flight() - Publication.objects.filter(status=Status.PUBLISHING).count())


def enqueue_due() -> float | None:
    """Claim what is due and hand each row to a worker; sleep until the next due time.

    Only as many as the workers have room for (PUBLISH_MAX_IN_FLIGHT): when more is due than
    they can take, the rest waits `scheduled` and the loop looks again shortly, instead of
    queueing tasks whose leases would run out before a worker reaches them."""
    publish = publish_publication.using(queue_name=publish_queue())
    while True:
        room = room_for_claims()
        if room == 0:
            # A worker finishing makes room; look again soon while something is due.
            due_in = seconds_until_next_due()
            return None if due_in is None else max(due_in, MIN_PASS_SECONDS)
        # The claim and its tasks commit together: with the database backend the task rows
        # are written in the same transaction, so a scheduler killed in between leaves
        # neither (instead of claimed rows that nobody runs until their lease runs out).
        # Celery's messages go out when it commits, never for a claim that rolled back.
        with transaction.atomic():
            claimed = claim_due(limit=min(CLAIM_BATCH, room))
            for pub_id, token in claimed:
                publish.enqueue(pub_id, token)
        if len(claimed) < min(CLAIM_BATCH, room):
            break
        if len(claimed) == room:
            return MIN_PASS_SECONDS
    due_in = seconds_until_next_due()
    return None if due_in is None else max(due_in, MIN_PASS_SECONDS)


def recover_leases() -> float | None:
    now = time.monotonic()
    if now < _checks.lease_check_at:
        # Every lease taken since the last check ends after the earliest one seen then
        # (leases only ever start now and last lease_seconds()), so nothing can have
        # expired yet.
        return _checks.lease_check_at - now
    rescheduled, unknown = recover_expired()
    if rescheduled or unknown:
        logger.warning("recovered expired leases: %d rescheduled, %d unknown", rescheduled, unknown)
    due_in = seconds_until_lease_expiry()
    _checks.in_flight = due_in is not None
    _checks.lease_check_at = now + (lease_seconds() if due_in is None else due_in)
    return due_in


def reconcile_unknown() -> float | None:
    now = time.monotonic()
    if now < _checks.reconcile_check_at:
        return _checks.reconcile_check_at - now
    grace = float(settings.PUBLISH_RECONCILE_GRACE_SECONDS)
    reconcile = reconcile_publication.using(queue_name=publish_queue())
    with transaction.atomic():
        for pub_id, token in claim_unknown(grace_seconds=grace):
            reconcile.enqueue(pub_id, token)
    _checks.reconcile_check_at = now + RECONCILE_CHECK_SECONDS
    # An outcome that became unknown a moment ago is asked about once its grace is over,
    # not at the next heartbeat; while posts are in flight, more may turn unknown.
    due_in = seconds_until_reconcilable(grace_seconds=grace)
    if due_in is None and _checks.in_flight:
        return RECONCILE_CHECK_SECONDS
    return due_in


CONNECTION_CHECK_SECONDS = 600.0
_connection_check_at = 0.0


def check_connections() -> float | None:
    """Every ten minutes: have workers check the logins of accounts with posts due soon."""
    global _connection_check_at
    elapsed = time.monotonic() - _connection_check_at
    if _connection_check_at and elapsed < CONNECTION_CHECK_SECONDS:
        return CONNECTION_CHECK_SECONDS - elapsed
    _connection_check_at = time.monotonic()
    with transaction.atomic():
        enqueue_connection_checks(publish_queue())
    return CONNECTION_CHECK_SECONDS


register(enqueue_due)
# Posts due on networks without a connector: a person is reminded to post them by hand.
register(send_due_reminders)
register(warn_about_connections)
register(check_connections)
register(recover_leases)
register(reconcile_unknown)
