"""Claiming due publications, and recovering the ones whose worker vanished.

A claim is one compare-and-set UPDATE: only rows still `scheduled` and due move to
`publishing`, each with its own lease token, so any number of schedulers can claim at once
and no row is taken twice. On PostgreSQL the candidate rows are locked with SKIP LOCKED so
concurrent claimers do not queue behind each other; on SQLite the write transaction is
IMMEDIATE (see settings), which serialises claimers instead.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import automatic_accounts_sql
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status

# Longer than the slowest network call (the HTTP clients time out well before), so a live
# worker never loses its row; short enough that a killed worker's rows come back quickly.
LEASE_SECONDS = 90
CLAIM_BATCH = 200


def _picked(select: str) -> tuple[str, str]:
    """The rows a claim takes: (what the UPDATE's `id IN (...)` reads, a WITH clause to put
    before the UPDATE). On PostgreSQL they are picked once, locked and skipping rows other
    claimers hold, in a materialized CTE: as a plain subquery of the UPDATE, the planner may
    run the LIMIT more than once and take more rows than asked. SQLite serialises claimers
    (an IMMEDIATE transaction) and needs neither."""
    if connection.vendor == "postgresql":
        pick = f"WITH picked AS MATERIALIZED ({select} FOR UPDATE SKIP LOCKED) "
        return "SELECT id FROM picked", pick
    return select, ""


def _in_order(pick: str, selection: list[Any], update: list[Any], guard: list[Any]) -> list[Any]:
    """The parameters in the order their placeholders appear in the statement."""
    if pick:
        return [*selection, *update, *guard]
    return [*update, *selection, *guard]


def lease_seconds() -> float:
    """The lease in force (settings.PUBLISH_LEASE_SECONDS, 90 s unless configured). It must
    stay longer than the connectors' HTTP timeouts; longer calls renew it (lease_keeper)."""
    return float(getattr(settings, "PUBLISH_LEASE_SECONDS", LEASE_SECONDS))


def claim_due(now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[tuple[int, str]]:
    """Move due rows to `publishing`; returns (id, lease token) of each claimed row.
    Only rows of accounts Townsquare posts for (a connector, and for X a login): the others
    are posted by hand (reminders.py)."""
    now = now or timezone.now()
    batch = uuid.uuid4().hex
    table = Publication._meta.db_table
    accounts = SocialAccount._meta.db_table
    automatic, networks = automatic_accounts_sql(accounts)
    # Only table names, placeholders and fixed clauses are formatted in; values are
    # parameters.
    picked, pick = _picked(
        f"SELECT id FROM {table} WHERE status = %s AND run_at <= %s "
        f"AND account_id IN (SELECT id FROM {accounts} WHERE {automatic}) "
        f"ORDER BY run_at LIMIT %s"
    )
    sql = (
        f"{pick}UPDATE {table} SET status = %s, lease_token = %s || ':' || id, "
        f"lease_expires_at = %s, claimed_at = %s "
        f"WHERE id IN ({picked}) AND status = %s "
        f"RETURNING id, lease_token"
    )
    selection = [Status.SCHEDULED.value, now, *networks, limit]
    update = [Status.PUBLISHING.value, batch, now + timedelta(seconds=lease_seconds()), now]
    params = _in_order(pick, selection, update, [Status.SCHEDULED.value])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(row[0]), str(row[1])) for row in cursor.fetchall()]


def recover_expired(now: datetime | None = None) -> tuple[int, int]:
    """Rows whose lease ran out: back to `scheduled` when nothing was being sent (safe to
    try again), to `unknown` when a network call was in flight (reconciled, never re-sent
    blindly). Returns (rescheduled, unknown)."""
    now = now or timezone.now()
    expired = Publication.objects.filter(status=Status.PUBLISHING, lease_expires_at__lt=now)
    with transaction.atomic():
        rescheduled = expired.filter(sending_started_at__isnull=True).update(
            status=Status.SCHEDULED, lease_token=None, lease_expires_at=None, run_at=now
        )
        unknown = expired.filter(sending_started_at__isnull=False).update(
            status=Status.UNKNOWN,
            lease_token=None,
            lease_expires_at=None,
            error_code="worker_lost",
            error_message="The worker stopped while the post was being sent.",
        )
    return rescheduled, unknown


def seconds_until_next_due(now: datetime | None = None) -> float | None:
    now = now or timezone.now()
    next_run = Publication.objects.filter(status=Status.SCHEDULED).aggregate(at=Min("run_at"))["at"]
    if next_run is None:
        return None
    return max(0.0, (next_run - now).total_seconds())


def seconds_until_lease_expiry(now: datetime | None = None) -> float | None:
    now = now or timezone.now()
    expiry = Publication.objects.filter(status=Status.PUBLISHING).aggregate(
        at=Min("lease_expires_at")
    )["at"]
    if expiry is None:
        return None
    return max(0.0, (expiry - now).total_seconds()) + 0.5


def seconds_until_reconcilable(
    now: datetime | None = None, grace_seconds: float = 10.0
) -> float | None:
    """When the next `unknown` row may be taken by claim_unknown (None: there is none)."""
    now = now or timezone.now()
    waiting = Publication.objects.filter(status=Status.UNKNOWN, needs_person=False)
    times = waiting.order_by("id").values_list("sending_started_at", "lease_expires_at")
    earliest: datetime | None = None
    for started, lease_end in times[:CLAIM_BATCH]:
        ready = max(
            started + timedelta(seconds=grace_seconds) if started else now,
            lease_end or now,
        )
        earliest = ready if earliest is None else min(earliest, ready)
    if earliest is None:
        return None
    return max(0.0, (earliest - now).total_seconds()) + 0.05


def claim_unknown(
    now: datetime | None = None, limit: int = CLAIM_BATCH, grace_seconds: float = 10.0
) -> list[tuple[int, str]]:
    """Take `unknown` rows for reconciliation, once the in-flight request had time to land."""
    now = now or timezone.now()
    batch = uuid.uuid4().hex
    table = Publication._meta.db_table
    picked, pick = _picked(
        f"SELECT id FROM {table} WHERE status = %s AND needs_person = %s "
        f"AND (lease_expires_at IS NULL OR lease_expires_at < %s) "
        f"AND (sending_started_at IS NULL OR sending_started_at < %s) "
        f"ORDER BY id LIMIT %s"
    )
    sql = (
        f"{pick}UPDATE {table} SET lease_token = %s || ':' || id, lease_expires_at = %s "
        f"WHERE id IN ({picked}) AND status = %s "
        f"RETURNING id, lease_token"
    )
    selection = [
        Status.UNKNOWN.value,
        False,
        now,
        now - timedelta(seconds=grace_seconds),
        limit,
    ]
    update = [batch, now + timedelta(seconds=lease_seconds())]
    params = _in_order(pick, selection, update, [Status.UNKNOWN.value])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(row[0]), str(row[1])) for row in cursor.fetchall()]
