"""Warn before a scheduled post would fail because of its account's connection.

A post that fails at 7:00 because the account's login was revoked last week is a failure
someone could have prevented. The post page marks such publications, the dashboard counts
them, and a scheduler job tells owners and managers once a day per account while posts due
within the next day are at risk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from townsquare.media.public_urls import NOT_PUBLIC_CODE, public_site_problem
from townsquare.networks.account_health import connection_facts
from townsquare.networks.catalog import FETCH_MEDIA_BY_URL
from townsquare.networks.health import ConnectionFacts, problem_for_post
from townsquare.networks.health_texts import PROBLEMS
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import automatic_accounts_q
from townsquare.notifications.models import Notification
from townsquare.notifications.notify import notify
from townsquare.publishing.media_by_url import fetches_media_by_url
from townsquare.publishing.models import Publication, PublishingSettings
from townsquare.publishing.schedule import Status

# The dashboard looks this far ahead; the notification job looks one day ahead.
DASHBOARD_HORIZON = timedelta(days=7)
NOTIFY_HORIZON = timedelta(days=1)
# One notification per account and problem per this period, however many posts are at risk.
NOTIFY_EVERY = timedelta(days=1)
CHECK_EVERY_SECONDS = 600.0
KIND = "connection_problem"

# Why a post would fail, in words: shared with the notification's text in each reader's
# language.
MESSAGES = PROBLEMS


@dataclass(frozen=True)
class AtRisk:
    publication: Publication
    code: str

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, self.code))


def at_risk(publications: QuerySet[Publication], now: datetime | None = None) -> list[AtRisk]:
    """The scheduled publications among `publications` whose account would make them fail."""
    now = now or timezone.now()
    facts: dict[int, ConnectionFacts] = {}
    # Whether the account's network downloads files: asked once per account (it may read
    # the account's stored login to tell a demo connection).
    downloads: dict[int, bool] = {}
    found: list[AtRisk] = []
    # Posts to networks without a connector, or to X accounts never connected, are posted
    # by hand: no login to fail.
    rows = publications.filter(
        automatic_accounts_q("account__"), status=Status.SCHEDULED, due_at__isnull=False
    ).select_related("account__workspace", "post__created_by")
    # Posts with files to Instagram, Threads or Facebook fail while SITE_URL is not public
    # (scheduled before it changed, or by a path that does not check); asked once.
    media_posts = _posts_with_media_by_url(rows) if public_site_problem() else set()
    for pub in rows.order_by("due_at", "id"):
        if pub.account_id not in facts:
            facts[pub.account_id] = connection_facts(pub.account)
        assert pub.due_at is not None
        code = problem_for_post(facts[pub.account_id], pub.due_at, now)
        if code is None and pub.post_id in media_posts:
            if pub.account_id not in downloads:
                downloads[pub.account_id] = fetches_media_by_url(pub.account)
            if downloads[pub.account_id]:
                code = NOT_PUBLIC_CODE
        if code is not None:
            found.append(AtRisk(pub, code))
    return found


def _posts_with_media_by_url(rows: QuerySet[Publication]) -> set[int]:
    return set(
        rows.filter(account__network__in=FETCH_MEDIA_BY_URL, post__attachments__isnull=False)
        .values_list("post_id", flat=True)
        .distinct()
    )


def dashboard_summary(publications: QuerySet[Publication]) -> dict[str, Any]:
    now = timezone.now()
    risky = at_risk(publications.filter(due_at__lte=now + DASHBOARD_HORIZON), now)
    posts: list[Any] = []
    seen: set[int] = set()
    for item in risky:
        if item.publication.post_id not in seen:
            seen.add(item.publication.post_id)
            posts.append(item.publication.post)
    return {"count": len(seen), "posts": posts[:5]}


# --- the scheduler job ----------------------------------------------------------------------
_last_check = 0.0


def warn_about_connections() -> float | None:
    """Tell people about accounts that would make tomorrow's posts fail. Cheap when nothing
    is at risk; runs every ten minutes."""
    global _last_check
    elapsed = time.monotonic() - _last_check
    if _last_check and elapsed < CHECK_EVERY_SECONDS:
        return CHECK_EVERY_SECONDS - elapsed
    _last_check = time.monotonic()
    notify_accounts_at_risk()
    return CHECK_EVERY_SECONDS


def notify_accounts_at_risk(now: datetime | None = None) -> int:
    """One notification per account and problem a day; returns how many were sent."""
    now = now or timezone.now()
    due_soon = Publication.objects.filter(due_at__lte=now + NOTIFY_HORIZON)
    by_account: dict[tuple[int, str], list[AtRisk]] = {}
    for item in at_risk(due_soon, now):
        by_account.setdefault((item.publication.account_id, item.code), []).append(item)
    sent = 0
    for (account_id, code), items in by_account.items():
        account = items[0].publication.account
        recent = Notification.objects.filter(
            workspace_id=account.workspace_id,
            kind=KIND,
            data__account_id=account_id,
            data__code=code,
            created_at__gte=now - NOTIFY_EVERY,
        )
        # Several schedulers may run this at once: the account's row is the lock that lets
        # only one of them see "not told yet" and tell.
        with transaction.atomic():
            SocialAccount.objects.select_for_update().filter(pk=account_id).first()
            if recent.exists():
                continue
            _tell(account, code, items)
        sent += 1
    return sent


def _tell(account: SocialAccount, code: str, items: list[AtRisk]) -> None:
    workspace = account.workspace
    first = items[0].publication
    settings = PublishingSettings.objects.filter(workspace=workspace).first()
    notify(
        workspace,
        kind=KIND,
        title=f"{len(items)} scheduled post(s) to {account} would fail",
        body=str(MESSAGES.get(code, code)),
        url=reverse("workspace_accounts", kwargs={"workspace": workspace.slug}),
        also=[first.post.created_by],
        email=settings.notify_by_email if settings else True,
        webhook_url=settings.webhook_url if settings else "",
        payload={
            "account_id": account.pk,
            "account": account.handle,
            "network": account.network,
            "code": code,
            "posts": len(items),
        },
    )
