"""Which accounts' inboxes are due, claimed so that one poll runs per account at a time.

A claim is a compare-and-set on `InboxCursor.next_poll_at`: the scheduler that moves it from
the due time it read to "now + POLL_LEASE" owns the poll; any other scheduler's UPDATE finds
the row changed and claims nothing. The poll task moves it again when it starts (so a task
that waited in the queue past its lease does not run beside a newer claim) and the poll
itself sets the next due time when it ends. A poll that never ends is due again when its
lease is over.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Min
from django.tasks import task
from django.utils import timezone

from townsquare.inbox.ingest import ingest_account, poll_interval
from townsquare.inbox.models import InboxCursor
from townsquare.networks.base import InboxSource
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import automatic_networks, get_publisher

# Longer than any poll takes (a few pages with HTTP timeouts of seconds, and triage).
POLL_LEASE = timedelta(minutes=10)
MAX_CLAIMS_PER_PASS = 200


def inbox_networks() -> list[str]:
    """The networks whose connector reads an inbox, sorted."""
    return [n for n in automatic_networks() if isinstance(get_publisher(n), InboxSource)]


def pollable_accounts(networks: list[str]):  # type: ignore[no-untyped-def]
    return (
        SocialAccount.objects.filter(network__in=networks, needs_reconnect=False)
        .exclude(credentials_encrypted="")
        .order_by()
    )


def ensure_cursors(networks: list[str], now: datetime) -> int:
    """A cursor for each pollable account that has none, due at a moment spread over one
    interval by the account's id: a hundred accounts connected at once are not all polled
    in the same second."""
    missing = list(
        pollable_accounts(networks).filter(inbox_cursor__isnull=True).values_list("pk", flat=True)
    )
    seconds = poll_interval().total_seconds()
    InboxCursor.objects.bulk_create(
        [
            InboxCursor(
                account_id=pk,
                next_poll_at=now
                + timedelta(seconds=zlib.crc32(str(pk).encode()) % max(int(seconds), 1)),
            )
            for pk in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


def resume_reconnected(now: datetime) -> int:
    """Polling paused for an account that was connected again since is due at once."""
    return InboxCursor.objects.filter(
        paused_at__isnull=False,
        account__connected_at__gt=F("paused_at"),
        account__needs_reconnect=False,
    ).update(paused_at=None, failures=0, next_poll_at=now)


def due_cursors(networks: list[str], now: datetime):  # type: ignore[no-untyped-def]
    return InboxCursor.objects.filter(
        account__in=pollable_accounts(networks),
        paused_at__isnull=True,
        next_poll_at__isnull=False,
    ).filter(next_poll_at__lte=now)


def claim(cursor_id: int, seen_due: datetime, now: datetime) -> datetime | None:
    """The lease's end when this process won the poll of the cursor, else None."""
    until = now + POLL_LEASE
    won = InboxCursor.objects.filter(pk=cursor_id, next_poll_at=seen_due).update(next_poll_at=until)
    return until if won else None


def claim_due(now: datetime | None = None) -> list[tuple[int, datetime]]:
    """Claim due polls and enqueue one task per account; (cursor id, lease end) of each."""
    now = now or timezone.now()
    networks = inbox_networks()
    if not networks:
        return []
    ensure_cursors(networks, now)
    resume_reconnected(now)
    due = list(
        due_cursors(networks, now)
        .order_by("next_poll_at")
        .values_list("pk", "next_poll_at")[:MAX_CLAIMS_PER_PASS]
    )
    claimed = []
    for cursor_id, seen_due in due:
        # The claim and its task commit together (with the database backend the task row
        # is in the same transaction): a scheduler killed in between leaves neither.
        with transaction.atomic():
            until = claim(cursor_id, seen_due, now)
            if until is not None:
                poll_inbox.enqueue(cursor_id, until.isoformat())
                claimed.append((cursor_id, until))
    return claimed


def seconds_until_next_poll(now: datetime | None = None) -> float | None:
    now = now or timezone.now()
    networks = inbox_networks()
    if not networks:
        return None
    earliest = due_cursors(networks, now + timedelta(days=3650)).aggregate(at=Min("next_poll_at"))
    if earliest["at"] is None:
        return None
    return max((earliest["at"] - now).total_seconds(), 0.0)


@task
def poll_inbox(cursor_id: int, lease_until: str) -> str:
    """Poll one account, if this task still holds the claim it was enqueued with."""
    now = timezone.now()
    held = datetime.fromisoformat(lease_until)
    # Renew the lease as the work starts: a task that waited in the queue past its lease
    # has lost the poll to a newer claim and does nothing.
    if not InboxCursor.objects.filter(pk=cursor_id, next_poll_at=held).update(
        next_poll_at=now + POLL_LEASE
    ):
        return "not held"
    cursor = InboxCursor.objects.select_related("account__workspace").get(pk=cursor_id)
    outcome = ingest_account(cursor.account, now=now)
    return "failed" if outcome.error else f"stored {outcome.stored}"
