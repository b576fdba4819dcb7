"""Sending the scheduled reports: the scheduler's job, and one report's sending.

Each due schedule is claimed first (its next moment moved an hour on with a compare-and-set
update), so two schedulers never send one report twice. The PDF is made once per language
among the recipients. A failure is written on the schedule in words and tried again an hour
later, three times at most; then the schedule moves on to its next period.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.models_reports import ReportSchedule
from townsquare.analytics.report import build_report
from townsquare.analytics.report_pdf import file_name, report_pdf
from townsquare.analytics.report_timing import next_send, period_before
from townsquare.inbox.job_clock import JobClock
from townsquare.runtime.scheduler import register
from townsquare.workspaces.models import Membership

logger = logging.getLogger(__name__)

EVERY_SECONDS = 300.0
RETRY_AFTER = timedelta(hours=1)
MAX_FAILURES = 3
_clock = JobClock()


def deliver(schedule: ReportSchedule, start: date, end: date) -> int:
    """Send the report of `start`..`end` to the schedule's recipients who are still members;
    returns how many got it. Raises when nobody could be sent to."""
    workspace = schedule.workspace
    memberships = list(
        Membership.objects.filter(
            workspace=workspace, user__in=schedule.recipients.all(), user__is_active=True
        ).select_related("user", "workspace")
    )
    if not memberships:
        raise LookupError(_("None of the recipients is a member of the workspace any more."))
    period = Period(start, end)
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    link = base + reverse("workspace_analytics", kwargs={"workspace": workspace.slug})
    by_language: dict[str, list[Membership]] = {}
    for membership in memberships:
        language = membership.user.language or workspace.language or settings.LANGUAGE_CODE
        by_language.setdefault(language, []).append(membership)
    sent = 0
    for language, group in sorted(by_language.items()):
        with translation.override(language):
            content = build_report(group[0], period)
            label = _("%(start)s to %(end)s") % {
                "start": date_format(start, "SHORT_DATE_FORMAT"),
                "end": date_format(end, "SHORT_DATE_FORMAT"),
            }
            pdf = report_pdf(workspace, content, label)
            subject = _("[%(workspace)s] Analytics report, %(period)s") % {
                "workspace": workspace.name,
                "period": label,
            }
            body = _(
                "The analytics report of %(workspace)s for %(period)s is attached as a PDF.\n\n"
                "Every figure, day by day: %(link)s\n\n"
                "You get this report because you were chosen as a recipient in Analytics > "
                "Reports."
            ) % {"workspace": workspace.name, "period": label, "link": link}
        # One message each: recipients do not see one another's addresses.
        for membership in group:
            message = EmailMessage(subject, body, None, [membership.user.email])
            message.attach(file_name(workspace, content), pdf, "application/pdf")
            message.send()
            sent += 1
    return sent


def send_due_report(schedule: ReportSchedule, now: datetime) -> bool:
    """Send one due schedule's report if this process wins the claim; True when sent."""
    due_at = schedule.next_send_at
    claimed = ReportSchedule.objects.filter(pk=schedule.pk, next_send_at=due_at).update(
        next_send_at=now + RETRY_AFTER
    )
    if not claimed:
        return False
    zone = ZoneInfo(schedule.workspace.time_zone)
    start, end = period_before(schedule.frequency, due_at.astimezone(zone).date())
    following = next_send(schedule.frequency, due_at, zone)
    try:
        deliver(schedule, start, end)
    except Exception as error:  # the mail server, the PDF, the recipients: say which
        failures = schedule.failures + 1
        logger.warning(
            "report %s failed (%s of %s): %s", schedule.pk, failures, MAX_FAILURES, error
        )
        give_up = failures >= MAX_FAILURES
        ReportSchedule.objects.filter(pk=schedule.pk).update(
            failures=0 if give_up else failures,
            last_error=_describe(
                error, give_up, schedule.workspace.language or settings.LANGUAGE_CODE
            ),
            last_error_at=now,
            next_send_at=following if give_up else now + RETRY_AFTER,
        )
        return False
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        failures=0, last_error="", last_error_at=None, last_sent_at=now, next_send_at=following
    )
    return True


def _describe(error: Exception, gave_up: bool, language: str) -> str:
    """The failure in the workspace's language, as the reports page shows it."""
    reason = str(error) or type(error).__name__
    with translation.override(language):
        if gave_up:
            return _(
                "Not sent after three tries: %(reason)s. The next report follows on schedule."
            ) % {"reason": reason}
        return _("Not sent: %(reason)s. Townsquare tries again in an hour.") % {"reason": reason}


def send_due_reports(now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    due = ReportSchedule.objects.filter(next_send_at__lte=now).select_related("workspace")
    for schedule in due:
        sent += send_due_report(schedule, now)
    return sent


def scheduled_reports() -> float | None:
    return _clock.run_every("reports", EVERY_SECONDS, send_due_reports)


register(scheduled_reports)
