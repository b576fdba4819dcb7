"""SLA: first-response and resolution targets in business minutes, breaches told once, and
the storm alarm (far more unanswered or negative messages in the last hour than usual).

Due times are set when a rule routes a conversation (routing._start_sla). The reply code
calls `mark_responded` when the first answer leaves; the jobs in sla_jobs.py call
`notify_breaches` and `check_storms`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.inbox import business_hours
from townsquare.inbox.models import (
    Conversation,
    ConversationStatus,
    InboxSettings,
    Message,
    MessageKind,
    Rule,
    SlaBreach,
    SlaKind,
    StormAlarm,
)
from townsquare.notifications.notify import notify
from townsquare.workspaces.models import Membership, Workspace

logger = logging.getLogger(__name__)

# The storm alarm: the last hour against the hourly mean of the 14 days before it; fewer
# than MIN_STORM_COUNT messages are never a storm, however quiet the inbox usually is.
STORM_BASELINE_DAYS = 14
MIN_STORM_COUNT = 10
ANSWERED_WITHIN = timedelta(hours=1)
BREACH_BATCH = 500


def due_in(
    schedule: Mapping[str, Any], time_zone: str, start: datetime, minutes: int | None
) -> datetime | None:
    """When a target of `minutes` business minutes from `start` falls due; None without a
    target, or with hours that never open (no target rather than one never met)."""
    if minutes is None:
        return None
    try:
        return business_hours.add_business_minutes(schedule, time_zone, start, minutes)
    except ValueError:
        return None


def due_times(
    schedule: Mapping[str, Any], time_zone: str, rule: Rule, start: datetime
) -> tuple[datetime | None, datetime | None]:
    """When the first answer and the resolution are due for a conversation routed by
    `rule` whose message arrived at `start`; None where the rule sets no target."""
    return (
        due_in(schedule, time_zone, start, rule.first_response_minutes),
        due_in(schedule, time_zone, start, rule.resolution_minutes),
    )


def mark_responded(conversation: Conversation, at: datetime) -> None:
    """The first answer left at `at` (called by the reply code; later answers change
    nothing). One UPDATE, so two answers at once keep the earlier."""
    updated = Conversation.objects.filter(
        pk=conversation.pk, first_responded_at__isnull=True
    ).update(first_responded_at=at)
    if updated:
        conversation.first_responded_at = at


def is_overdue(conversation: Conversation, now: datetime | None = None) -> bool:
    """What the inbox highlights: the first answer is late."""
    moment = now or timezone.now()
    return (
        conversation.first_response_due_at is not None
        and conversation.first_responded_at is None
        and conversation.first_response_due_at < moment
        and conversation.status != ConversationStatus.CLOSED
    )


# --- breaches -----------------------------------------------------------------------------


def _overdue(kind: str, now: datetime) -> Any:
    open_ = ~Q(status=ConversationStatus.CLOSED)
    if kind == SlaKind.FIRST_RESPONSE:
        late = Q(first_response_due_at__lt=now, first_responded_at__isnull=True)
        due_field = "first_response_due_at"
    else:
        late = Q(resolution_due_at__lt=now, closed_at__isnull=True)
        due_field = "resolution_due_at"
    told = SlaBreach.objects.filter(
        conversation=OuterRef("pk"), kind=kind, due_at=OuterRef(due_field)
    )
    return (
        Conversation.objects.filter(open_ & late)
        .filter(~Exists(told))
        .select_related("workspace", "assignee", "team", "contact", "account")
        .order_by(due_field)[:BREACH_BATCH],
        due_field,
    )


def notify_breaches(now: datetime | None = None) -> int:
    """Tell people of every target missed since the last run, once per breach: the
    assignee, else the team's members, else the workspace's owners and managers. The
    breach row is written first in its own transaction; a second scheduler that races
    for it meets the unique constraint and tells no one."""
    moment = now or timezone.now()
    told = 0
    for kind in (SlaKind.FIRST_RESPONSE, SlaKind.RESOLUTION):
        conversations, due_field = _overdue(kind, moment)
        for conversation in conversations:
            try:
                with transaction.atomic():
                    SlaBreach.objects.create(
                        workspace_id=conversation.workspace_id,
                        conversation=conversation,
                        kind=kind,
                        due_at=getattr(conversation, due_field),
                    )
                    _tell_breach(conversation, kind)
            except IntegrityError:
                continue
            told += 1
    return told


def _recipients(conversation: Conversation) -> list[Any] | None:
    """None: the workspace's owners and managers (notify's default)."""
    if conversation.assignee is not None:
        return [conversation.assignee]
    if conversation.team is not None:
        members = list(conversation.team.members.all())
        if members:
            return members
    return None


def conversation_path(conversation: Conversation) -> str:
    """The conversation's page; the inbox's URL names are tried, then its known address."""
    from django.urls import NoReverseMatch, reverse

    for name in ("inbox_conversation", "inbox:conversation"):
        try:
            return reverse(name, args=[conversation.workspace.slug, conversation.pk])
        except NoReverseMatch:
            continue
    return f"/w/{conversation.workspace.slug}/inbox/{conversation.pk}/"


def who_wrote(conversation: Conversation) -> str:
    contact = conversation.contact
    if contact is None:
        return ""
    return contact.display_name or contact.handle


def _tell_breach(conversation: Conversation, kind: str) -> None:
    workspace = conversation.workspace
    with translation.override(workspace.language):
        if kind == SlaKind.FIRST_RESPONSE:
            title = _("Overdue: a conversation from %(who)s still has no answer")
        else:
            title = _("Overdue: a conversation from %(who)s is not resolved in time")
        title = title % {"who": who_wrote(conversation) or _("someone")}
    notify(
        workspace,
        kind=f"inbox_sla_{kind}",
        title=title,
        url=conversation_path(conversation),
        to=_recipients(conversation),
        payload={"conversation": conversation.pk, "sla": kind},
    )


# --- the storm alarm ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StormState:
    """What the inbox shows while a storm is brewing."""

    started_at: datetime
    count: int  # unanswered or negative messages in the hour that raised it
    peak_count: int
    normal_per_hour: float
    factor: float


def storm_state(workspace: Workspace) -> StormState | None:
    alarm = StormAlarm.objects.filter(workspace=workspace, ended_at__isnull=True).first()
    if alarm is None:
        return None
    return StormState(
        started_at=alarm.started_at,
        count=alarm.count,
        peak_count=alarm.peak_count,
        normal_per_hour=alarm.normal_per_hour,
        factor=alarm.factor,
    )


def troubling(workspace_id: int, since: datetime, until: datetime) -> int:
    """Inbound messages of the span that are negative or were not answered within an hour
    (not yet, for the last hour): the same measure for now and for the baseline."""
    answered = Message.objects.filter(
        conversation=OuterRef("conversation"),
        kind=MessageKind.OUTBOUND,
        created_at__gte=OuterRef("created_at"),
        created_at__lte=OuterRef("created_at") + ANSWERED_WITHIN,
    )
    return (
        Message.objects.filter(
            workspace_id=workspace_id, created_at__gte=since, created_at__lt=until
        )
        .exclude(kind=MessageKind.OUTBOUND)
        .filter(Q(sentiment="negative") | ~Exists(answered))
        .count()
    )


def storm_threshold(normal_per_hour: float, factor: float) -> float:
    return max(float(MIN_STORM_COUNT), factor * normal_per_hour)


def check_storm(workspace: Workspace, now: datetime | None = None) -> StormState | None:
    """Raise the alarm (managers told once) or end it; returns the state after the check."""
    moment = now or timezone.now()
    factor = (
        InboxSettings.objects.filter(workspace=workspace)
        .values_list("spike_factor", flat=True)
        .first()
    ) or 3.0
    hour_ago = moment - timedelta(hours=1)
    count = troubling(workspace.pk, hour_ago, moment)
    baseline_start = hour_ago - timedelta(days=STORM_BASELINE_DAYS)
    normal = troubling(workspace.pk, baseline_start, hour_ago) / (STORM_BASELINE_DAYS * 24)
    storming = count >= storm_threshold(normal, factor)
    alarm = StormAlarm.objects.filter(workspace=workspace, ended_at__isnull=True).first()
    if alarm is not None:
        if storming:
            StormAlarm.objects.filter(pk=alarm.pk, peak_count__lt=count).update(peak_count=count)
        else:
            StormAlarm.objects.filter(pk=alarm.pk).update(ended_at=moment)
        return storm_state(workspace)
    if not storming:
        return None
    try:
        with transaction.atomic():
            StormAlarm.objects.create(
                workspace=workspace,
                started_at=moment,
                count=count,
                peak_count=count,
                normal_per_hour=normal,
                factor=factor,
            )
            _tell_storm(workspace, count, normal)
    except IntegrityError:  # another scheduler raised it a moment ago
        pass
    return storm_state(workspace)


def _tell_storm(workspace: Workspace, count: int, normal: float) -> None:
    with translation.override(workspace.language):
        title = _(
            "A storm may be brewing: %(count)s unanswered or negative messages in the last "
            "hour (usually %(normal)s)"
        ) % {"count": count, "normal": f"{normal:.1f}"}
    managers = [
        m.user
        for m in Membership.objects.filter(
            workspace=workspace, role__in=("owner", "manager")
        ).select_related("user")
    ]
    notify(
        workspace,
        kind="inbox_storm",
        title=title,
        url=f"/w/{workspace.slug}/inbox/",
        to=managers,
        payload={"count": count, "normal_per_hour": round(normal, 2)},
    )


def check_storms(now: datetime | None = None) -> int:
    """Every workspace with inbound messages in the last hour or an open alarm."""
    moment = now or timezone.now()
    ids = set(
        Message.objects.filter(created_at__gte=moment - timedelta(hours=1))
        .exclude(kind=MessageKind.OUTBOUND)
        .values_list("workspace_id", flat=True)
        .distinct()
    ) | set(StormAlarm.objects.filter(ended_at__isnull=True).values_list("workspace_id", flat=True))
    raised = 0
    for workspace in Workspace.objects.filter(pk__in=ids):
        if check_storm(workspace, moment) is not None:
            raised += 1
    return raised
