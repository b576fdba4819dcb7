"""The notifications page: newest first, open one (marking it read), or mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from townsquare.notifications import actions
from townsquare.notifications.access import access_notification, access_notifications
from townsquare.notifications.kinds import body_of, detail_of, title_of
from townsquare.notifications.models import Notification
from townsquare.workspaces.models import Membership
from townsquare.workspaces.views import workspace_view

PER_PAGE = 50


@workspace_view(methods=("GET",))
def notification_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    only_unread = request.GET.get("show") == "unread"
    rows = access_notifications(membership)
    if only_unread:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for n in page.object_list:
        n.display_title = title_of(n.kind, n.data, n.title)
        n.display_body = body_of(n.kind, n.data, n.body, links=False)
        n.display_detail = detail_of(n.kind, n.data, n.body)
    return render(
        request,
        "notifications/list.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "page": page,
            "only_unread": only_unread,
            "any_unread": access_notifications(membership).filter(read_at__isnull=True).exists(),
        },
    )


def _back(request: HttpRequest, membership: Membership) -> HttpResponse:
    url = reverse("notifications", kwargs={"workspace": membership.workspace.slug})
    return redirect(url + ("?show=unread" if request.POST.get("show") == "unread" else ""))


@workspace_view(methods=("POST",), lookups={"notification_id": access_notification})
def notification_read(
    request: HttpRequest, membership: Membership, notification_id: Notification
) -> HttpResponse:
    """`open` marks it read and goes where it points, so reading is one click."""
    notification = actions.do_mark_read(membership, notification_id)
    target = notification.url
    # Only paths inside Townsquare: the stored URL is ours, but a redirect is never trusted.
    if (
        request.POST.get("open")
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    ):
        return redirect(target)
    return _back(request, membership)


@workspace_view(methods=("POST",))
def notification_read_all(request: HttpRequest, membership: Membership) -> HttpResponse:
    count = actions.do_mark_all_read(membership)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return _back(request, membership)
