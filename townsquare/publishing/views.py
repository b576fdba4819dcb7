"""Scheduling from the post page, and what happened to each publication."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from townsquare.content.access import access_post
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.lib.local_time import in_zone
from townsquare.publishing import actions
from townsquare.publishing.access import access_publication
from townsquare.publishing.models import Publication
from townsquare.queues.near_duplicates import NearDuplicate
from townsquare.queues.queue_actions import do_schedule_checked
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class SettleForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Address of the post on the network"), required=False)


def _back(membership: Membership, post_id: int) -> HttpResponse:
    return redirect("content_post", workspace=membership.workspace.slug, post_id=post_id)


@workspace_view(Perm.SCHEDULE_POSTS, methods=("POST",), lookups={"post_id": access_post})
def schedule(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    action = request.POST.get("action", "schedule")
    try:
        if action == "now":
            actions.do_schedule_post(membership, post_id, None)
            messages.success(request, _("Publishing now."))
        elif action == "cancel":
            count = actions.do_cancel_schedule(membership, post_id)
            messages.success(
                request,
                ngettext(
                    "%(count)s publication cancelled.", "%(count)s publications cancelled.", count
                )
                % {"count": count},
            )
        else:
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Enter a date and time, e.g. 2026-12-01 09:30."))
                return _back(membership, post_id.pk)
            wall: datetime = form.cleaned_data["when"].replace(tzinfo=None)
            # The composer's check: a post very like another to the same account within
            # 30 days is scheduled only once the person has confirmed it.
            confirmed = request.POST.get("confirm_duplicate") in ("on", "1", "true")
            try:
                pubs = do_schedule_checked(membership, post_id, wall, confirm_duplicate=confirmed)
            except NearDuplicate as refused:
                return _confirm_near_duplicate(request, membership, post_id, wall, refused)
            messages.success(
                request,
                _("Scheduled for %(time)s (%(zone)s).")
                % {"time": pubs[0].local_due.replace("T", " "), "zone": pubs[0].time_zone},
            )
    except ActionError as error:
        messages.error(request, error.message)
    return _back(membership, post_id.pk)


def _confirm_near_duplicate(
    request: HttpRequest,
    membership: Membership,
    post: Post,
    wall: datetime,
    refused: NearDuplicate,
) -> HttpResponse:
    """Nothing was scheduled: the similar posts, and a button that schedules anyway."""
    workspace = membership.workspace
    duplicates = [
        {
            "post_id": d.post_id,
            "account": d.account,
            "published": d.published,
            "when": in_zone(d.when, workspace),
        }
        for d in refused.duplicates
    ]
    context = {
        "membership": membership,
        "workspace": workspace,
        "post": post,
        "duplicates": duplicates,
        "when": wall.strftime("%Y-%m-%dT%H:%M"),
        "when_shown": wall.strftime("%Y-%m-%d %H:%M"),
        "time_zone": workspace.time_zone,
    }
    return render(request, "publishing/schedule_confirm.html", context, status=refused.status)


@workspace_view(
    Perm.SCHEDULE_POSTS, methods=("POST",), lookups={"publication_id": access_publication}
)
def settle(
    request: HttpRequest, membership: Membership, publication_id: Publication
) -> HttpResponse:
    form = SettleForm(request.POST)
    published = request.POST.get("action") == "published"
    try:
        if not form.is_valid():
            raise ActionError(_("Enter the full address of the post."), code="invalid_url")
        actions.do_settle_unknown(
            membership, publication_id, published=published, url=form.cleaned_data["url"]
        )
        messages.success(
            request, _("Thanks: noted.") if published else _("It will be sent again now.")
        )
    except ActionError as error:
        messages.error(request, error.message)
    return _back(membership, publication_id.post_id)
