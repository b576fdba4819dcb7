"""The shell: home, workspace dashboard, and the sections that later capabilities fill."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from townsquare.publishing.access import access_publications
from townsquare.publishing.overview_views import needs_attention
from townsquare.publishing.reminders import dashboard_summary as reminder_summary
from townsquare.runtime.heartbeat import scheduler_is_stale
from townsquare.workspaces.access import access_workspaces
from townsquare.workspaces.models import Membership
from townsquare.workspaces.views import workspace_view

SECTIONS = {
    "plan": (_("Plan"), _("The social media plan: networks, tone, cadence, audiences and goals.")),
    "calendar": (_("Calendar"), _("The editorial calendar: what goes out when, on which network.")),
    "compose": (_("Compose"), _("Write once, adapt to every network, preview side by side.")),
    "inbox": (_("Inbox"), _("Comments, mentions and messages: triaged, routed, answered.")),
    "analytics": (_("Analytics"), _("Visibility and community: every statistic, over time.")),
}
# Sections whose capability has not landed yet: they show a "coming" page.
COMING: tuple[str, ...] = ()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    workspace = access_workspaces(request.user).order_by("name").first()
    if workspace is None:
        return redirect("workspace_create")
    return redirect("workspace_dashboard", workspace=workspace.slug)


@workspace_view(methods=("GET",))
def dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(
        request,
        "ui/dashboard.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "scheduler_stale": scheduler_is_stale(),
            "attention": needs_attention(membership),
            "by_hand": reminder_summary(access_publications(membership)),
            "sections": [(key, title, text) for key, (title, text) in SECTIONS.items()],
        },
    )


def section_view(key: str) -> Callable[..., HttpResponse]:
    title, text = SECTIONS[key]

    @workspace_view(methods=("GET",))
    def view(request: HttpRequest, membership: Membership) -> HttpResponse:
        return render(
            request,
            "ui/section_coming.html",
            {
                "membership": membership,
                "workspace": membership.workspace,
                "section": key,
                "title": title,
                "text": text,
            },
        )

    return view
