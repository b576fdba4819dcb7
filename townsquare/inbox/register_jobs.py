"""The register's jobs in the scheduler loop (imported by inbox/jobs.py): the weekly digest of
each workspace's register, by e-mail to its digest recipients in their own language, and the
retention that anonymises old messages (privacy_actions.run_retention).

The digest goes out once per ISO week, from Monday 08:00 in the workspace's time zone: a row
per week (RegisterDigest, unique) is written before the mails, so a second scheduler or a
job run twice sends nothing more.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.inbox.job_clock import JobClock
from townsquare.inbox.models import (
    FeedbackItem,
    FeedbackTopic,
    InboxSettings,
    RegisterDigest,
    TopicStatus,
)
from townsquare.inbox.privacy_actions import run_retention
from townsquare.runtime.scheduler import register

logger = logging.getLogger(__name__)

DIGEST_HOUR = 8
TOP_TOPICS = 5
DIGEST_EVERY_SECONDS = 600.0
RETENTION_EVERY_SECONDS = 3600.0
_clock = JobClock()


def iso_week(moment: datetime) -> str:
    year, week, _weekday = moment.isocalendar()
    return f"{year}-W{week:02d}"


def _local(moment: datetime, zone: str) -> datetime:
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment


def digest_due(settings_row: InboxSettings, now: datetime) -> str | None:
    """The ISO week whose digest is due now, or None (sent already, or before Monday 08:00)."""
    local = _local(now, settings_row.workspace.time_zone)
    if local.weekday() == 0 and local.hour < DIGEST_HOUR:
        return None
    week = iso_week(local)
    if RegisterDigest.objects.filter(workspace_id=settings_row.workspace_id, week=week).exists():
        return None
    return week


@dataclass(frozen=True)
class DigestContent:
    top_topics: list[tuple[str, int, str]]  # title, items this week, status
    new_complaints: list[tuple[str, str]]  # topic title, first words
    past_sla: int


def digest_content(workspace_id: int, now: datetime) -> DigestContent:
    since = now - timedelta(days=7)
    topics = (
        FeedbackTopic.objects.filter(workspace_id=workspace_id)
        .exclude(status=TopicStatus.CLOSED)
        .annotate(recent=Count("items", filter=Q(items__created_at__gte=since)))
        .filter(recent__gt=0)
        .order_by("-recent", "-updated_at")[:TOP_TOPICS]
    )
    complaints = (
        FeedbackItem.objects.filter(
            workspace_id=workspace_id, category="complaint", created_at__gte=since
        )
        .select_related("topic", "message")
        .order_by("-created_at")[:10]
    )
    past_sla = (
        FeedbackItem.objects.filter(
            workspace_id=workspace_id,
            message__conversation__first_response_due_at__lt=now,
            message__conversation__first_responded_at__isnull=True,
        )
        .values("message__conversation_id")
        .distinct()
        .count()
    )
    return DigestContent(
        top_topics=[(t.title, t.recent, t.get_status_display()) for t in topics],  # type: ignore[attr-defined]
        new_complaints=[
            (c.topic.title if c.topic else "", (c.message.text if c.message else "")[:120])
            for c in complaints
        ],
        past_sla=past_sla,
    )


def digest_text(workspace: Any, content: DigestContent, link: str) -> tuple[str, str]:
    """Subject and body in the active language."""
    lines = [_("The feedback register of %(workspace)s this week.") % {"workspace": workspace.name}]
    lines += ["", _("Top topics:")]
    lines += [
        f"- {title} ({_('%(count)d new') % {'count': count}}, {status})"
        for title, count, status in content.top_topics
    ] or ["- " + _("No new feedback this week.")]
    lines += ["", _("New complaints: %(count)d") % {"count": len(content.new_complaints)}]
    lines += [f"- {title}: {text}" for title, text in content.new_complaints]
    lines += [
        "",
        _("Conversations past their response time: %(count)d") % {"count": content.past_sla},
    ]
    lines += ["", _("Open the register: %(link)s") % {"link": link}]
    subject = _("[%(workspace)s] Weekly feedback digest") % {"workspace": workspace.name}
    return subject, "\n".join(lines)


def send_digest(settings_row: InboxSettings, now: datetime | None = None) -> int:
    """Send the workspace's digest for this week if due; returns the mails sent."""
    now = now or timezone.now()
    week = digest_due(settings_row, now)
    if week is None:
        return 0
    recipients = list(settings_row.digest_recipients.filter(is_active=True))
    workspace = settings_row.workspace
    try:
        with transaction.atomic():
            RegisterDigest.objects.create(
                workspace=workspace, week=week, recipients=len(recipients)
            )
    except IntegrityError:
        return 0  # another run sent it meanwhile
    content = digest_content(workspace.pk, now)
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    link = base + reverse("inbox_register", kwargs={"workspace": workspace.slug})
    sent = 0
    for user in recipients:
        with translation.override(user.language or workspace.language or settings.LANGUAGE_CODE):
            subject, body = digest_text(workspace, content, link)
        try:
            send_mail(subject, body, None, [user.email])
            sent += 1
        except Exception as error:  # a mail server's trouble must not stop the other digests
            logger.warning("register digest to %s failed: %s", user.email, error)
    return sent


def send_weekly_digests(now: datetime | None = None) -> int:
    total = 0
    rows = InboxSettings.objects.filter(digest_recipients__isnull=False).distinct()
    for settings_row in rows.select_related("workspace"):
        total += send_digest(settings_row, now)
    return total


def register_weekly_digest() -> float | None:
    return _clock.run_every("digest", DIGEST_EVERY_SECONDS, send_weekly_digests)


def inbox_retention() -> float | None:
    return _clock.run_every("retention", RETENTION_EVERY_SECONDS, run_retention)


register(register_weekly_digest)
register(inbox_retention)
