"""Posting by hand: the reminder page (the text to copy, the media to download, "Mark as
posted") and the list of everything waiting to be posted by hand."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.publishing import reminder_actions
from townsquare.publishing.access import access_publication, access_publications
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import (
    OVERDUE_AFTER,
    is_overdue,
    local_due,
    media_of,
    parts_of,
    waiting,
)
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view


def _page(
    request: HttpRequest,
    membership: Membership,
    pub: Publication,
    *,
    error: str = "",
    url: str = "",
    status: int = 200,
) -> HttpResponse:
    parts = parts_of(pub)
    return render(
        request,
        "publishing/reminder.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "pub": pub,
            "parts": parts,
            "numbered": len(parts) > 1,
            "media": media_of(pub),
            "due": local_due(pub),
            "reminded": (
                utc_to_local(pub.reminded_at, membership.workspace.time_zone).strftime(
                    "%Y-%m-%d %H:%M"
                )
                if pub.reminded_at
                else ""
            ),
            "time_zone": membership.workspace.time_zone,
            "overdue": is_overdue(pub),
            "can_mark": has_perm(membership.role, Perm.SCHEDULE_POSTS),
            "error": error,
            "url": url,
        },
        status=status,
    )


@workspace_view(lookups={"publication_id": access_publication})
def reminder(
    request: HttpRequest, membership: Membership, publication_id: Publication
) -> HttpResponse:
    pub = publication_id
    if request.method != "POST":
        return _page(request, membership, pub)
    url = request.POST.get("url", "")
    try:
        if request.POST.get("action") == "not_posted":
            reminder_actions.do_mark_not_posted(membership, pub)
            messages.success(request, _("Noted: not posted. It stays in the post's history."))
        else:
            reminder_actions.do_mark_posted(membership, pub, url)
            messages.success(request, _("Marked as posted. Thank you!"))
    except ActionError as error:
        if error.code == "not_waiting":
            messages.error(request, error.message)
            return redirect(
                "content_post", workspace=membership.workspace.slug, post_id=pub.post_id
            )
        return _page(request, membership, pub, error=error.message, url=url)
    return redirect("content_post", workspace=membership.workspace.slug, post_id=pub.post_id)


@workspace_view(methods=("GET",))
def reminder_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    rows = list(waiting(access_publications(membership)).order_by("reminded_at", "id"))
    now = timezone.now()
    return render(
        request,
        "publishing/reminders.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "time_zone": membership.workspace.time_zone,
            "rows": [(pub, local_due(pub), is_overdue(pub, now)) for pub in rows],
            "overdue_minutes": int(OVERDUE_AFTER.total_seconds() // 60),
        },
    )
