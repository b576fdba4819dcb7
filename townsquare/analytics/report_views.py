"""GET the PDF report of the period and filters the dashboards show."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from townsquare.analytics.report import build_report
from townsquare.analytics.report_pdf import PdfUnavailable, file_name, report_pdf
from townsquare.analytics.views_common import page_state, period_labels
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def report(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = page_state(request, membership)
    content = build_report(membership, state.period, state.filters_chosen)
    label = period_labels().get(state.key, state.key)
    try:
        pdf = report_pdf(membership.workspace, content, label)
    except PdfUnavailable:
        return HttpResponse(
            _(
                "PDF reports need the Pango library on the server (Debian and Ubuntu: "
                "apt install libpango-1.0-0). Every figure is also a CSV download on the "
                "analytics pages."
            ),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name(membership.workspace, content)}"'
    )
    return response
