"""Posting by hand on networks without a connector.

Townsquare cannot post to Instagram, LinkedIn, X or Threads itself (registry.PUBLISHERS has
no connector for them). When a publication to such an account is due, the scheduler does
not hand it to the publish task: it moves the row to `by_hand` with one compare-and-set
UPDATE (so with any number of schedulers each reminder goes out exactly once) and, in the
same transaction, reminds the person who wrote the post -- or the owners and managers when
the author is gone or may not publish -- in the app, by email in their language and through
the workspace's webhook. The reminder carries the final text of that account's variant
(every part of a thread), the media to download and the links to the post. The person posts
it, then marks it as posted with its address (reminder_actions.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.urls import reverse
from django.utils import timezone

from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import automatic_accounts_q, automatic_accounts_sql
from townsquare.notifications.notify import notify
from townsquare.publishing.models import Publication, PublishingSettings
from townsquare.publishing.schedule import Status, utc_to_local
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

logger = logging.getLogger(__name__)

KIND = "publication_reminder"
REMINDER_BATCH = 200
# A reminder nobody has marked this long after it went out is shown on the dashboard.
OVERDUE_AFTER = timedelta(hours=1)


# --- claiming -------------------------------------------------------------------------------
def _by_hand_sql() -> tuple[str, list[str]]:
    """`account_id IN (...)` for accounts Townsquare does not post for: networks without a
    connector, and X accounts never connected."""
    accounts = SocialAccount._meta.db_table
    automatic, networks = automatic_accounts_sql(accounts)
    # Only the table name and fixed conditions are formatted in; the networks are parameters.
    sql = f"account_id IN (SELECT id FROM {accounts} WHERE NOT {automatic})"  # noqa: S608
    return sql, networks


def claim_due_reminders(now: datetime | None = None, limit: int = REMINDER_BATCH) -> list[int]:
    """Move due rows of networks without a connector from `scheduled` to `by_hand`; returns
    the ids this call moved. Rows another scheduler moved first are not returned here."""
    now = now or timezone.now()
    table = Publication._meta.db_table
    by_hand, networks = _by_hand_sql()
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    # RETURNING names only the rows this UPDATE changed: a row another scheduler moved
    # first no longer matches `status = scheduled`. Only names and placeholders are
    # formatted in; values are parameters.
    sql = (
        f"UPDATE {table} SET status = %s, reminded_at = %s, run_at = NULL "  # noqa: S608
        f"WHERE id IN (SELECT id FROM {table} WHERE status = %s AND run_at <= %s "
        f"AND {by_hand} ORDER BY run_at LIMIT %s{lock}) AND status = %s "
        f"RETURNING id"
    )
    params: list[Any] = [
        Status.BY_HAND.value,
        now,
        Status.SCHEDULED.value,
        now,
        *networks,
        limit,
        Status.SCHEDULED.value,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = sorted(int(row[0]) for row in cursor.fetchall())
    return ids


def seconds_until_next_reminder(now: datetime | None = None) -> float | None:
    now = now or timezone.now()
    rows = Publication.objects.filter(status=Status.SCHEDULED).exclude(
        automatic_accounts_q("account__")
    )
    next_run = rows.aggregate(at=Min("run_at"))["at"]
    if next_run is None:
        return None
    return max(0.0, (next_run - now).total_seconds())


MIN_PASS_SECONDS = 0.1


def send_due_reminders() -> float | None:
    """The scheduler job: claim what is due and remind people, in one transaction each
    batch, so a scheduler that dies in between leaves the rows scheduled and nobody told.
    A pass with nothing due only reads: no write transaction to queue behind (SQLite)."""
    due_in = seconds_until_next_reminder()
    if due_in is None or due_in > 0:
        return None if due_in is None else max(due_in, MIN_PASS_SECONDS)
    while True:
        with transaction.atomic():
            claimed = claim_due_reminders()
            for pub_id in claimed:
                try:
                    with transaction.atomic():
                        remind(pub_id)
                except Exception:
                    # The row still waits for a person, on the post page and the
                    # dashboard; one broken reminder must not hold back the others.
                    logger.exception("reminder for publication %s could not be sent", pub_id)
        if len(claimed) < REMINDER_BATCH:
            break
    due_in = seconds_until_next_reminder()
    return None if due_in is None else max(due_in, MIN_PASS_SECONDS)


# --- who is reminded ------------------------------------------------------------------------
def assignee(pub: Publication) -> Any | None:
    """The post's author while they are a member who may publish; None: the owners and
    managers are reminded instead."""
    author = pub.post.created_by
    if author is None:
        return None
    membership = Membership.objects.filter(workspace_id=pub.workspace_id, user=author).first()
    if membership is None or not has_perm(membership.role, Perm.SCHEDULE_POSTS):
        return None
    return author


def _owners_and_managers(pub: Publication) -> list[Any]:
    rows = Membership.objects.filter(
        workspace_id=pub.workspace_id, role__in=("owner", "manager")
    ).select_related("user")
    return [m.user for m in rows]


# --- what the reminder says ----------------------------------------------------------------
@dataclass(frozen=True)
class MediaLink:
    name: str
    alt_text: str
    url: str  # the file in the media library: members only


def parts_of(pub: Publication) -> list[str]:
    """The final text of the account's variant, one entry per post of a thread."""
    variant = pub.variant
    if variant is None:
        return []
    return [part for part in (variant.parts or [variant.text]) if part.strip()] or [variant.text]


def media_of(pub: Publication) -> list[MediaLink]:
    slug = pub.workspace.slug
    return [
        MediaLink(
            name=a.asset.original_name or f"#{a.asset_id}",
            alt_text=a.asset.alt_text,
            url=reverse("media_file", kwargs={"workspace": slug, "asset_id": a.asset_id}),
        )
        for a in pub.post.attachments.select_related("asset")
    ]


def reminder_url(pub: Publication) -> str:
    return reverse(
        "publishing_reminder",
        kwargs={"workspace": pub.workspace.slug, "publication_id": pub.pk},
    )


def post_url(pub: Publication) -> str:
    return reverse("content_post", kwargs={"workspace": pub.workspace.slug, "post_id": pub.post_id})


def local_due(pub: Publication) -> str:
    """The due time in the workspace's zone, as "2026-05-08 09:00"."""
    if pub.due_at is None:
        return ""
    return utc_to_local(pub.due_at, pub.workspace.time_zone).strftime("%Y-%m-%d %H:%M")


def reminder_facts(pub: Publication) -> dict[str, Any]:
    """Everything a reminder says, as facts: notifications.kinds renders them in the
    reader's language, the webhook sends them as they are."""
    site = settings.SITE_URL
    variant = pub.variant
    return {
        "publication": pub.pk,
        "post": pub.post_id,
        "account_id": pub.account_id,
        "account": pub.account.handle,
        "network": pub.account.network,
        "status": pub.status,
        "due": local_due(pub),
        "time_zone": pub.workspace.time_zone,
        "parts": parts_of(pub),
        "content_warning": variant.content_warning if variant else "",
        "media": [
            {"name": m.name, "alt_text": m.alt_text, "url": site + m.url} for m in media_of(pub)
        ],
        "post_url": site + post_url(pub),
        "reminder_url": site + reminder_url(pub),
    }


def remind(pub_id: int, *, email: bool = True) -> None:
    """Tell the assigned person (or the owners and managers) that the post is due.
    `email=False`: in the app and the webhook only (the demo)."""
    pub = Publication.objects.select_related(
        "workspace", "account", "variant", "post__created_by"
    ).get(pk=pub_id)
    person = assignee(pub)
    Publication.objects.filter(pk=pub.pk).update(reminded_user=person)
    publishing = PublishingSettings.objects.filter(workspace=pub.workspace).first()
    facts = reminder_facts(pub)
    text = "\n\n".join(facts["parts"])
    notify(
        pub.workspace,
        kind=KIND,
        title=f"Post to {pub.account} by hand now",
        body=text,
        url=reminder_url(pub),
        to=[person] if person is not None else _owners_and_managers(pub),
        email=email and (publishing.notify_by_email if publishing else True),
        webhook_url=publishing.webhook_url if publishing else "",
        payload=facts,
    )


# --- what is waiting ------------------------------------------------------------------------
def waiting(publications: QuerySet[Publication]) -> QuerySet[Publication]:
    return publications.filter(status=Status.BY_HAND).select_related("post", "account")


def overdue(
    publications: QuerySet[Publication], now: datetime | None = None
) -> QuerySet[Publication]:
    now = now or timezone.now()
    return waiting(publications).filter(reminded_at__lt=now - OVERDUE_AFTER)


def is_overdue(pub: Publication, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        pub.status == Status.BY_HAND
        and pub.reminded_at is not None
        and pub.reminded_at < now - OVERDUE_AFTER
    )


def dashboard_summary(publications: QuerySet[Publication]) -> dict[str, Any]:
    """For the dashboard: reminders nobody marked within the hour, and all that wait."""
    late = overdue(publications)
    return {
        "overdue": late.count(),
        "overdue_rows": list(late.order_by("reminded_at", "id")[:5]),
        "waiting": waiting(publications).count(),
    }
