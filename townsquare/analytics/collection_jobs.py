"""Which accounts' counters are due, claimed so that one collection runs per account at a
time, and the scheduler job that hands them to tasks.

Like the inbox's polls (inbox/ingest_polls.py): a claim is a compare-and-set on
`CollectionState.next_due_at`, from the due time the scheduler read to "now + LEASE"; the
task moves it again when it starts (a task that waited in the queue past its lease does
nothing) and the collection sets the next due time when it ends. A collection that never
ends is due again when its lease is over.

An account connected since the last pass gets its CollectionState, due within a few
minutes (spread by its id, so a hundred accounts connected at once are not read in the same
second): that first collection is the backfill. An account whose collection stopped for a
refused login is due again as soon as it is connected again.
"""

from __future__ import annotations

import logging
import zlib
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Min
from django.tasks import task
from django.utils import timezone

from townsquare.analytics.collection import collect_account, collectable_accounts, metrics_networks
from townsquare.analytics.models import CollectionState
from townsquare.runtime.scheduler import register

logger = logging.getLogger(__name__)

# Longer than any collection takes (a few pages with HTTP timeouts of seconds).
LEASE = timedelta(minutes=15)
MAX_CLAIMS_PER_PASS = 200
# New accounts are first read within this time of being noticed.
FIRST_READ_SPREAD = timedelta(minutes=5)
# Accounts connected or reconnected meanwhile are noticed within this time.
LOOK_AGAIN_SECONDS = 60.0


def ensure_states(networks: list[str], now: datetime) -> int:
    missing = list(
        collectable_accounts(networks)
        .filter(collection_state__isnull=True)
        .values_list("pk", flat=True)
    )
    spread = int(FIRST_READ_SPREAD.total_seconds())
    CollectionState.objects.bulk_create(
        [
            CollectionState(
                account_id=pk,
                next_due_at=now + timedelta(seconds=zlib.crc32(str(pk).encode()) % spread),
            )
            for pk in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


def resume_reconnected(now: datetime) -> int:
    """Collection stopped for an account that was connected again since is due at once."""
    return CollectionState.objects.filter(
        next_due_at__isnull=True,
        last_error_at__isnull=False,
        account__connected_at__gt=F("last_error_at"),
        account__needs_reconnect=False,
        account__removed_at__isnull=True,
    ).update(next_due_at=now, consecutive_failures=0)


def due_states(networks: list[str], now: datetime):  # type: ignore[no-untyped-def]
    return CollectionState.objects.filter(
        account__in=collectable_accounts(networks), next_due_at__lte=now
    )


def claim(state_id: int, seen_due: datetime, now: datetime) -> datetime | None:
    """The lease's end when this process won the collection of the account, else None."""
    until = now + LEASE
    won = CollectionState.objects.filter(pk=state_id, next_due_at=seen_due).update(
        next_due_at=until
    )
    return until if won else None


def claim_due(now: datetime | None = None) -> list[tuple[int, datetime]]:
    """Claim due collections and enqueue one task per account; (state id, lease end)."""
    now = now or timezone.now()
    networks = metrics_networks()
    if not networks:
        return []
    ensure_states(networks, now)
    resume_reconnected(now)
    due = list(
        due_states(networks, now)
        .order_by("next_due_at")
        .values_list("pk", "next_due_at")[:MAX_CLAIMS_PER_PASS]
    )
    claimed = []
    for state_id, seen_due in due:
        # The claim and its task commit together: a scheduler killed in between leaves
        # neither.
        with transaction.atomic():
            until = claim(state_id, seen_due, now)
            if until is not None:
                collect_metrics.enqueue(state_id, until.isoformat())
                claimed.append((state_id, until))
    return claimed


def seconds_until_next_collection(now: datetime | None = None) -> float | None:
    now = now or timezone.now()
    networks = metrics_networks()
    if not networks:
        return None
    earliest = due_states(networks, now + timedelta(days=3650)).aggregate(at=Min("next_due_at"))
    if earliest["at"] is None:
        return None
    return max((earliest["at"] - now).total_seconds(), 0.0)


@task
def collect_metrics(state_id: int, lease_until: str) -> str:
    """Collect one account, if this task still holds the claim it was enqueued with."""
    now = timezone.now()
    held = datetime.fromisoformat(lease_until)
    if not CollectionState.objects.filter(pk=state_id, next_due_at=held).update(
        next_due_at=now + LEASE
    ):
        return "not held"
    state = CollectionState.objects.select_related("account__workspace").get(pk=state_id)
    if state.account.removed_at is not None:
        return "removed"  # removed after the claim: its history stays, nothing is read
    outcome = collect_account(state.account, now=now)
    if outcome.error:
        return f"failed: {outcome.error_code}"
    if outcome.waited:
        return "rate limited"
    return f"stored {outcome.post_snapshots} post snapshot(s)"


def enqueue_due_collections() -> float | None:
    claimed = claim_due()
    if claimed:
        logger.debug("metrics collections enqueued for %d account(s)", len(claimed))
    due_in = seconds_until_next_collection()
    return LOOK_AGAIN_SECONDS if due_in is None else min(due_in, LOOK_AGAIN_SECONDS)


register(enqueue_due_collections)
