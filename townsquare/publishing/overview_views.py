"""What is going out, what went out, and what needs a person: the publishing overview, the
dashboard's alarms, and Settings > Publishing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.errors import ActionError
from townsquare.notifications.access import last_webhook_delivery
from townsquare.notifications.webhooks import enqueue_webhook, masked
from townsquare.publishing.access import access_publications
from townsquare.publishing.connection_warnings import dashboard_summary
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, utc_to_local
from townsquare.publishing.settings_actions import (
    MAX_LATE_MINUTES,
    do_update_publishing_settings,
    publishing_settings_of,
)
from townsquare.runtime.heartbeat import scheduler_is_stale
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

UPCOMING_LIMIT = 200
RECENT_LIMIT = 20
PROBLEM_LIMIT = 100
BANNER_POSTS = 5


# --- errors in plain words -------------------------------------------------------------------
@dataclass(frozen=True)
class Advice:
    what: Promise
    todo: Promise
    # "accounts": the fix is in Settings > Accounts; "post": on the post page.
    where: str = "post"


ADVICE: dict[str, Advice] = {
    "reauth": Advice(
        gettext_lazy("The network no longer accepts Townsquare's access to this account."),
        gettext_lazy("Reconnect the account in Settings > Accounts, then schedule the post again."),
        where="accounts",
    ),
    "credentials_missing": Advice(
        gettext_lazy("Townsquare holds no login for this account, so nothing was sent."),
        gettext_lazy("Connect the account in Settings > Accounts, then schedule the post again."),
        where="accounts",
    ),
    "credentials_unreadable": Advice(
        gettext_lazy("The stored login of this account cannot be read, so nothing was sent."),
        gettext_lazy("Reconnect the account in Settings > Accounts, then schedule the post again."),
        where="accounts",
    ),
    "no_connector": Advice(
        gettext_lazy("Townsquare cannot publish to this network by itself; nothing was sent."),
        gettext_lazy("Post it on the network yourself, or remove this account from the post."),
    ),
    "held_late": Advice(
        gettext_lazy("It was held because it could not go out on time."),
        gettext_lazy("Schedule it again, or publish it now if it is still relevant."),
    ),
    "invalid": Advice(
        gettext_lazy("The post no longer meets the network's rules."),
        gettext_lazy("Edit the post, fix the problems shown there, and schedule it again."),
    ),
    "gave_up": Advice(
        gettext_lazy("The network kept asking Townsquare to wait, so it stopped trying."),
        gettext_lazy("Check whether the network has trouble, then schedule the post again."),
    ),
    "outcome_unknown": Advice(
        gettext_lazy("The network did not confirm the post, so it may or may not be online."),
        gettext_lazy(
            "Look on the network. Then tell Townsquare that it is there, or send it again."
        ),
    ),
    "worker_lost": Advice(
        gettext_lazy("Townsquare stopped while sending the post, so it may or may not be online."),
        gettext_lazy(
            "Look on the network. Then tell Townsquare that it is there, or send it again."
        ),
    ),
}
REJECTED = Advice(
    gettext_lazy("The network refused the post."),
    gettext_lazy("Read the network's reason, edit the post and schedule it again."),
)


def advice_for(pub: Publication) -> Advice:
    if pub.error_code in ADVICE:
        return ADVICE[pub.error_code]
    if pub.status == Status.UNKNOWN:
        return ADVICE["outcome_unknown"]
    return REJECTED


# --- the dashboard's alarms ------------------------------------------------------------------
def needs_attention(membership: Membership) -> dict[str, Any]:
    """For the dashboard banners: how many posts have a failed (or unknown) publication,
    and the latest of them. Posts, not publications: one post to three accounts that all
    failed is one thing to fix."""
    result: dict[str, Any] = {}
    for status in (Status.FAILED, Status.UNKNOWN):
        rows = access_publications(membership).filter(status=status)
        posts: list[Any] = []
        seen: set[int] = set()
        for pub in rows.select_related("post").order_by("-updated_at", "-id")[:PROBLEM_LIMIT]:
            if pub.post_id not in seen:
                seen.add(pub.post_id)
                posts.append(pub.post)
        count = rows.values("post_id").distinct().count()
        result[status.value] = {"count": count, "posts": posts[:BANNER_POSTS]}
    result["at_risk"] = dashboard_summary(access_publications(membership))
    return result


# --- the overview ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Day:
    day: date
    items: list[tuple[datetime, Publication]]


def _upcoming(membership: Membership) -> list[Day]:
    """Scheduled publications by day in the workspace's zone, whatever zone each was
    scheduled in: the team plans in the workspace's time."""
    zone = membership.workspace.time_zone
    rows = (
        access_publications(membership)
        .filter(status__in=[Status.SCHEDULED, Status.PUBLISHING], due_at__isnull=False)
        .select_related("post")
        .order_by("due_at", "id")[:UPCOMING_LIMIT]
    )
    local = [(utc_to_local(pub.due_at, zone), pub) for pub in rows if pub.due_at]
    return [Day(day, list(items)) for day, items in groupby(local, key=lambda x: x[0].date())]


def _with_advice(rows: Any) -> list[tuple[Publication, Advice]]:
    return [(pub, advice_for(pub)) for pub in rows]


@workspace_view(methods=("GET",))
def overview(request: HttpRequest, membership: Membership) -> HttpResponse:
    publications = access_publications(membership).select_related("post")
    failed = publications.filter(status=Status.FAILED).order_by("-updated_at", "-id")
    unknown = publications.filter(status=Status.UNKNOWN).order_by("-updated_at", "-id")
    published = publications.filter(status=Status.PUBLISHED).order_by("-published_at", "-id")
    return render(
        request,
        "publishing/overview.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "time_zone": membership.workspace.time_zone,
            "now": timezone.now(),
            "scheduler_stale": scheduler_is_stale(),
            "days": _upcoming(membership),
            "published": published[:RECENT_LIMIT],
            "failed": _with_advice(failed[:PROBLEM_LIMIT]),
            "unknown": _with_advice(unknown[:PROBLEM_LIMIT]),
            "can_schedule": has_perm(membership.role, Perm.SCHEDULE_POSTS),
        },
    )


# --- Settings > Publishing -------------------------------------------------------------------
class PublishingSettingsForm(forms.Form):
    hold_when_late = forms.BooleanField(
        label=gettext_lazy("Hold late posts"),
        required=False,
        help_text=gettext_lazy(
            "When a post could not go out on time (the scheduler was stopped, the network was "
            "down), keep it for a person instead of publishing it late."
        ),
    )
    late_after_minutes = forms.IntegerField(
        label=gettext_lazy("Late after (minutes)"),
        min_value=1,
        max_value=MAX_LATE_MINUTES,
        help_text=gettext_lazy("Only used when late posts are held."),
    )
    notify_by_email = forms.BooleanField(
        label=gettext_lazy("Email on failures"),
        required=False,
        help_text=gettext_lazy(
            "Owners, managers and the post's author get an email when a post fails or its "
            "outcome is unclear. They are always told in the app."
        ),
    )
    webhook_url = forms.CharField(
        label=gettext_lazy("Webhook for failures"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Townsquare sends each failure as JSON (POST) to this address, e.g. to a chat "
            "channel. Leave empty for none."
        ),
    )
    remove_webhook = forms.BooleanField(label=gettext_lazy("Remove the webhook"), required=False)

    def __init__(self, *args: Any, current_webhook: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A saved address is never sent back to the browser (it holds a secret): the field
        # stays empty, and empty keeps what is saved.
        if current_webhook:
            self.fields["webhook_url"].help_text = _(
                "Saved: %(address)s. Leave empty to keep it, or enter a new address to replace it."
            ) % {"address": masked(current_webhook)}
        else:
            del self.fields["remove_webhook"]


def _settings_page(
    request: HttpRequest, membership: Membership, form: PublishingSettingsForm, can_edit: bool
) -> HttpResponse:
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "publishing/settings.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "form": form,
            "can_edit": can_edit,
            "delivery": last_webhook_delivery(membership),
            "has_webhook": "remove_webhook" in form.fields,
            "settings_tab": "publishing",
        },
    )


@workspace_view()
def publishing_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    can_edit = has_perm(membership.role, Perm.EDIT_WORKSPACE)
    current = publishing_settings_of(membership.workspace)
    initial = {
        "hold_when_late": current.hold_when_late,
        "late_after_minutes": current.late_after_minutes,
        "notify_by_email": current.notify_by_email,
    }
    saved = current.webhook_url
    if request.method != "POST":
        form = PublishingSettingsForm(initial=initial, current_webhook=saved)
        return _settings_page(request, membership, form, can_edit)
    require(membership, Perm.EDIT_WORKSPACE)
    back = redirect("workspace_publishing_settings", workspace=membership.workspace.slug)
    if request.POST.get("action") == "test_webhook":
        if not current.webhook_url:
            messages.error(request, _("Save a webhook address first."))
        else:
            _send_test_event(membership, current.webhook_url)
            messages.success(
                request, _("A test event is on its way. Reload this page to see the result.")
            )
        return back
    form = PublishingSettingsForm(request.POST, current_webhook=saved)
    if form.is_valid():
        values = dict(form.cleaned_data)
        entered = values["webhook_url"].strip()
        values["webhook_url"] = "" if values.pop("remove_webhook", False) else entered or saved
        try:
            do_update_publishing_settings(membership, **values)
        except ActionError as error:
            form.add_error("webhook_url" if "webhook" in error.code else None, error.message)
        else:
            messages.success(request, _("Publishing settings saved."))
            return back
    return _settings_page(request, membership, form, can_edit)


def _send_test_event(membership: Membership, url: str) -> None:
    workspace = membership.workspace
    event = {
        "event": "test",
        "workspace": workspace.slug,
        "title": "Test event from Townsquare",
        "body": "If you can read this, failures of posts will arrive here too.",
        "url": reverse("publishing_overview", kwargs={"workspace": workspace.slug}),
        "sent_at": timezone.now().isoformat(),
    }
    transaction.on_commit(lambda: enqueue_webhook(url, event, workspace_id=workspace.pk))
