"""Plan > Compliance: this week, the four before and the four after, per network planned /
scheduled / published, and the pillar mix against its targets; for the whole workspace or
one campaign."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from townsquare.compliance.figures import week_start
from townsquare.compliance.marks import compliance, local_today
from townsquare.lib.bounds import id_from_text
from townsquare.planning.access import workspace_plan
from townsquare.planning.models import Campaign
from townsquare.workspaces.models import Membership
from townsquare.workspaces.views import workspace_view

WEEKS_BEFORE = 4
WEEKS_AFTER = 4


def span_around(today: date) -> tuple[date, date]:
    monday = week_start(today)
    return (
        monday - timedelta(days=7 * WEEKS_BEFORE),
        monday + timedelta(days=7 * WEEKS_AFTER + 6),
    )


@workspace_view(methods=("GET",))
def compliance_page(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace
    campaigns = list(Campaign.objects.filter(workspace=workspace).order_by("-starts_on", "name"))
    raw = request.GET.get("campaign", "")
    campaign = None
    error = ""
    status = 200
    if raw:
        number = id_from_text(raw)
        campaign = next((c for c in campaigns if c.pk == number), None)
        if campaign is None:
            error = _("There is no such campaign in this workspace; showing every post.")
            status = 400
    today = local_today(workspace)
    first, last = span_around(today)
    result = compliance(workspace, first, last, campaign=campaign, today=today)
    return render(
        request,
        "compliance/page.html",
        {
            "membership": membership,
            "workspace": workspace,
            "result": result,
            "campaigns": campaigns,
            "campaign": campaign,
            "error": error,
            "first": first,
            "last": last,
            "plan_starts_on": workspace_plan(workspace).starts_on,
        },
        status=status,
    )
