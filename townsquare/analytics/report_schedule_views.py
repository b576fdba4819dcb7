"""Analytics > Reports: download the PDF of a period, and the reports sent by e-mail on a
schedule (make, delete, send now), each with its next date and any failure in words."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.analytics.models_reports import ReportFrequency, ReportSchedule
from townsquare.analytics.report_schedule_actions import (
    access_report_schedule,
    do_create_report_schedule,
    do_delete_report_schedule,
    do_send_report_now,
)
from townsquare.analytics.views_common import period_labels
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

DOWNLOAD_PERIODS = ("7d", "28d", "last_month", "this_quarter", "last_quarter")


def _ids(values: list[str]) -> list[int]:
    ids = (id_from_text(value[:32]) for value in values)
    return [i for i in ids if i is not None]


@workspace_view(Perm.VIEW_ANALYTICS)
def reports(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace
    may_manage = has_perm(membership.role, Perm.EDIT_PLAN)
    status = 200
    if request.method == "POST":
        try:
            if not may_manage:
                raise ActionError(_("Only owners and managers set up reports by e-mail."))
            do_create_report_schedule(
                membership,
                str(request.POST.get("frequency", ""))[:16],
                _ids(request.POST.getlist("recipients")),
            )
        except ActionError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("The report is scheduled."))
            return redirect("analytics_reports", workspace=workspace.slug)
    labels = period_labels()
    members = Membership.objects.filter(workspace=workspace).select_related("user")
    return render(
        request,
        "analytics/reports.html",
        {
            "membership": membership,
            "workspace": workspace,
            "may_manage": may_manage,
            "downloads": [(key, labels[key]) for key in DOWNLOAD_PERIODS],
            "schedules": ReportSchedule.objects.filter(workspace=workspace).prefetch_related(
                "recipients"
            ),
            "frequencies": ReportFrequency.choices,
            "members": sorted(members, key=lambda m: (m.user.name or m.user.email).casefold()),
        },
        status=status,
    )


# The schedule is looked up before the method is checked: another workspace's id is a 404.
SCHEDULE = {"schedule_id": access_report_schedule}


@workspace_view(Perm.EDIT_PLAN, methods=("POST",), lookups=SCHEDULE)
def delete(
    request: HttpRequest, membership: Membership, schedule_id: ReportSchedule
) -> HttpResponse:
    do_delete_report_schedule(membership, schedule_id.pk)
    messages.success(request, _("The scheduled report is deleted."))
    return redirect("analytics_reports", workspace=membership.workspace.slug)


@workspace_view(Perm.EDIT_PLAN, methods=("POST",), lookups=SCHEDULE)
def send_now(
    request: HttpRequest, membership: Membership, schedule_id: ReportSchedule
) -> HttpResponse:
    try:
        sent = do_send_report_now(membership, schedule_id.pk)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "The report was sent to %(count)s recipient.",
                "The report was sent to %(count)s recipients.",
                sent,
            )
            % {"count": sent},
        )
    return redirect("analytics_reports", workspace=membership.workspace.slug)
