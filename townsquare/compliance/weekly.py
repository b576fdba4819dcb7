"""The weekly plan check: on Monday morning (in the workspace's zone) the owners and
managers hear, in their own language, how last week went against the plan and what is
still missing this week. One PlanCheck row per workspace and week makes it go out once,
however many schedulers run."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from townsquare.compliance.figures import Status, extra_text, missing_text, week_start
from townsquare.compliance.marks import Compliance, compliance, local_today
from townsquare.compliance.models import PlanCheck
from townsquare.lib.local_time import wall_time, zone_of
from townsquare.notifications.notify import NOTIFIED_ROLES, notify
from townsquare.workspaces.models import Membership, Workspace

logger = logging.getLogger(__name__)

KIND = "plan_check"
# From this local hour on Monday the check goes out.
SEND_FROM_HOUR = 8
# Pillar mix over this many weeks up to last week.
MIX_WEEKS = 4


@dataclass(frozen=True)
class CheckText:
    title: str
    body: str
    gaps_last_week: int
    gaps_this_week: int


def _span(first: date, last: date) -> str:
    since = wall_time(datetime.combine(first, datetime.min.time()), date_only=True)
    until = wall_time(datetime.combine(last, datetime.min.time()), date_only=True)
    return f"{since} – {until}"


def check_text(workspace: Workspace, today: date | None = None) -> CheckText:
    """The check in the active language (three queries)."""
    today = today or local_today(workspace)
    monday = week_start(today)
    first = monday - timedelta(days=7 * MIX_WEEKS)
    figures: Compliance = compliance(workspace, first, monday + timedelta(days=6), today=today)
    by_start = {w.start: w for w in figures.weeks}
    last = by_start[monday - timedelta(days=7)]
    this = by_start[monday]
    lines: list[str] = []
    lines.append(gettext("Last week (%(span)s):") % {"span": _span(last.start, last.end)})
    if last.rows:
        lines += [f"- {row.text}: {row.status_label}" for row in last.rows]
    else:
        lines.append("- " + gettext("Nothing was planned and nothing was published."))
    lines.append("")
    lines.append(gettext("This week (%(span)s):") % {"span": _span(this.start, this.end)})
    lang = (translation.get_language() or "en").lower()
    short = [row for row in this.rows if row.missing > 0]
    for row in short:
        lines.append("- " + missing_text(row.missing, row.label, lang))
    for row in this.overloads:
        lines.append("- " + extra_text(row.count - row.planned, row.label, lang))
    if not short and not this.overloads:
        lines.append("- " + gettext("Everything the plan asks for is scheduled."))
    off = figures.pillars.off
    if off:
        lines.append("")
        lines.append(gettext("Content pillars off their target share (last weeks):"))
        lines += [f"- {row.text}" for row in off]
    gaps_last = sum(1 for row in last.rows if row.status is Status.GAP)
    title = ngettext(
        "Plan check for week %(week)s: %(n)s gap last week",
        "Plan check for week %(week)s: %(n)s gaps last week",
        gaps_last,
    ) % {"week": this.iso_week, "n": gaps_last}
    return CheckText(
        title=title,
        body="\n".join(lines),
        gaps_last_week=gaps_last,
        gaps_this_week=len(short),
    )


def page_url(workspace: Workspace) -> str:
    return reverse("plan_compliance", kwargs={"workspace": workspace.slug})


def _recipients(workspace: Workspace) -> list[Membership]:
    return list(
        Membership.objects.filter(workspace=workspace, role__in=NOTIFIED_ROLES)
        .select_related("user")
        .order_by("user_id")
    )


def send_check(workspace: Workspace, now: datetime | None = None) -> PlanCheck | None:
    """Send this week's check to the owners and managers, each in their language; None
    when it was sent for this week already."""
    now = now or timezone.now()
    today = local_today(workspace, now)
    monday = week_start(today)
    try:
        with transaction.atomic():
            check = PlanCheck.objects.create(workspace=workspace, week_start=monday)
            gaps = 0
            members = _recipients(workspace)
            for member in members:
                language = member.user.language or workspace.language or settings.LANGUAGE_CODE
                with translation.override(language):
                    text = check_text(workspace, today)
                gaps = text.gaps_last_week
                notify(
                    workspace,
                    kind=KIND,
                    title=text.title,
                    body=text.body,
                    url=page_url(workspace),
                    to=[member.user],
                    payload={"week_start": monday.isoformat()},
                )
            check.recipients = len(members)
            check.gaps = gaps
            check.save(update_fields=["recipients", "gaps"])
    except IntegrityError:
        return None
    return check


def is_due(workspace: Workspace, now: datetime) -> bool:
    local = timezone.localtime(now, ZoneInfo(zone_of(workspace)))
    return local.weekday() == 0 and local.hour >= SEND_FROM_HOUR


def workspaces_with_cadence() -> list[Workspace]:
    return list(
        Workspace.objects.filter(
            plans__campaign=None, plans__networks__posts_per_week__gt=0
        ).distinct()
    )


def send_due_checks(now: datetime | None = None) -> int:
    """Every workspace whose plan has a cadence and whose Monday morning it is gets its
    check once; returns how many went out."""
    now = now or timezone.now()
    sent = 0
    for workspace in workspaces_with_cadence():
        if not is_due(workspace, now):
            continue
        monday = week_start(local_today(workspace, now))
        if PlanCheck.objects.filter(workspace=workspace, week_start=monday).exists():
            continue
        try:
            if send_check(workspace, now) is not None:
                sent += 1
        except Exception:  # one workspace's trouble must not stop the others
            logger.exception("plan check of workspace %s failed", workspace.pk)
    return sent
