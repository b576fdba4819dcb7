"""Audited writes of scheduled reports: make one, delete one, send one now."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.analytics.models_reports import ReportFrequency, ReportSchedule
from townsquare.analytics.report_jobs import deliver
from townsquare.analytics.report_timing import next_send, period_before
from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_SCHEDULES = 10
# "Send now" is for checking what recipients get, not a way to mail them over and over.
SEND_NOW_PAUSE = timedelta(minutes=10)


def access_report_schedule(membership: Membership, schedule_id: int) -> ReportSchedule:
    found = ReportSchedule.objects.filter(workspace=membership.workspace, pk=schedule_id).first()
    if found is None:
        raise Http404
    return found


def do_create_report_schedule(
    membership: Membership, frequency: str, recipient_ids: Iterable[int]
) -> ReportSchedule:
    require(membership, Perm.EDIT_PLAN)
    workspace = membership.workspace
    if frequency not in ReportFrequency.values:
        raise ActionError(_("Choose weekly or monthly."))
    wanted = {int(i) for i in recipient_ids}
    members = {
        m.user_id: m.user
        for m in Membership.objects.filter(workspace=workspace, user_id__in=wanted).select_related(
            "user"
        )
    }
    if not wanted:
        raise ActionError(_("Choose at least one recipient."))
    if set(members) != wanted:
        raise ActionError(_("Reports go to members of this workspace only."))
    with transaction.atomic():
        if ReportSchedule.objects.filter(workspace=workspace).count() >= MAX_SCHEDULES:
            raise ActionError(
                _("A workspace has at most %(max)s scheduled reports.") % {"max": MAX_SCHEDULES}
            )
        schedule = ReportSchedule.objects.create(
            workspace=workspace,
            frequency=frequency,
            created_by=membership.user,
            next_send_at=next_send(frequency, timezone.now(), ZoneInfo(workspace.time_zone)),
        )
        schedule.recipients.set(members.values())
        record(
            actor=membership.user,
            action="analytics.report_schedule_create",
            target=schedule,
            workspace=workspace,
            after={"frequency": frequency, "recipients": sorted(u.email for u in members.values())},
        )
    return schedule


def do_delete_report_schedule(membership: Membership, schedule_id: int) -> None:
    require(membership, Perm.EDIT_PLAN)
    schedule = access_report_schedule(membership, schedule_id)
    with transaction.atomic():
        record(
            actor=membership.user,
            action="analytics.report_schedule_delete",
            target=schedule,
            workspace=membership.workspace,
            before={"frequency": schedule.frequency},
        )
        schedule.delete()


def do_send_report_now(membership: Membership, schedule_id: int) -> int:
    """Send the report of the last full period to the schedule's recipients at once; the
    schedule itself keeps its next date."""
    require(membership, Perm.EDIT_PLAN)
    schedule = access_report_schedule(membership, schedule_id)
    now = timezone.now()
    if schedule.last_sent_at and now - schedule.last_sent_at < SEND_NOW_PAUSE:
        raise ActionError(
            _("This report was sent a few minutes ago; it can be sent again in ten minutes.")
        )
    today = now.astimezone(ZoneInfo(membership.workspace.time_zone)).date()
    start, end = period_before(schedule.frequency, today)
    try:
        sent = deliver(schedule, start, end)
    except Exception as error:
        raise ActionError(_("The report was not sent: %(reason)s") % {"reason": error}) from None
    ReportSchedule.objects.filter(pk=schedule.pk).update(last_sent_at=now)
    record(
        actor=membership.user,
        action="analytics.report_send_now",
        target=schedule,
        workspace=membership.workspace,
        after={"recipients": sent, "start": str(start), "end": str(end)},
    )
    return sent
