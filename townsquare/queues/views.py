"""Pages of the queues: Settings > Queue (slots per account) and a post's repeat and
evergreen page (the occurrences of its series, edit or skip one or all following)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townsquare.analytics.suggest_queue import queue_suggestions
from townsquare.content.access import access_post
from townsquare.content.models import Post
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import EDITABLE
from townsquare.queues import evergreen_actions, series_actions, slot_actions
from townsquare.queues.access import access_evergreen, access_slots
from townsquare.queues.models import WEEKDAYS, SeriesOccurrence
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view


def _field(request: HttpRequest, name: str) -> str:
    value = request.POST.get(name, "")
    return value.strip()[:200] if isinstance(value, str) else ""


def _settings_redirect(membership: Membership) -> HttpResponse:
    return redirect("queues_settings", workspace=membership.workspace.slug)


@workspace_view(Perm.VIEW)
def queue_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    if request.method == "POST":
        return _settings_post(request, membership)
    accounts = list(SocialAccount.objects.filter(workspace=membership.workspace))
    slots: dict[int, list[Any]] = {a.pk: [] for a in accounts}
    for slot in access_slots(membership):
        slots.setdefault(slot.account_id, []).append(slot)
    # The accounts' best times to post that are no slot yet, one click each to add.
    suggested = queue_suggestions(membership, accounts, slots)
    return render(
        request,
        "queues/settings.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "settings_tab": "queue",
            "rows": [(a, slots.get(a.pk, []), suggested.get(a.pk)) for a in accounts],
            "weekdays": WEEKDAYS,
            "can_edit": has_perm(membership.role, Perm.SCHEDULE_POSTS),
            "cadence": slot_actions.plan_cadence(membership),
        },
    )


def _settings_post(request: HttpRequest, membership: Membership) -> HttpResponse:
    what = _field(request, "do")
    try:
        if what == "add":
            account_id = id_from_text(_field(request, "account"))
            account = SocialAccount.objects.filter(
                workspace=membership.workspace, pk=account_id or 0
            ).first()
            if account is None:
                raise ActionError(_("Choose an account of this workspace."))
            raw_day = _field(request, "weekday")
            weekday = int(raw_day) if raw_day in {"0", "1", "2", "3", "4", "5", "6"} else None
            try:
                at = datetime.strptime(_field(request, "time"), "%H:%M").time()
            except ValueError:
                raise ActionError(_("Give the time as HH:MM, e.g. 09:30.")) from None
            if weekday is None:
                raise ActionError(_("Choose a weekday (Monday to Sunday)."))
            slot = slot_actions.do_add_slot(membership, account, weekday, at)
            messages.success(request, _("Slot added: %(slot)s.") % {"slot": slot})
        elif what == "remove":
            slot_id = id_from_text(_field(request, "slot"))
            slot = access_slots(membership).filter(pk=slot_id or 0).first()
            if slot is None:
                raise ActionError(_("That slot no longer exists."))
            slot_actions.do_remove_slot(membership, slot)
            messages.success(request, _("Slot removed."))
        elif what == "fill":
            created = slot_actions.do_fill_slots_from_plan(membership)
            messages.success(
                request,
                _("%(count)s slots added from the plan.") % {"count": len(created)}
                if created
                else _("Every preferred day and time of the plan already has its slot."),
            )
        else:
            raise ActionError(_("Nothing to do."))
    except ActionError as error:
        messages.error(request, error.message)
    except PermissionDenied:
        messages.error(request, _("Only editors, managers and owners may change the queue."))
    return _settings_redirect(membership)


def _post_redirect(membership: Membership, post: Post) -> HttpResponse:
    return redirect("queues_post", workspace=membership.workspace.slug, post_id=post.pk)


@workspace_view(Perm.VIEW, lookups={"post_id": access_post})
def queue_post(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    post = post_id
    if request.method == "POST":
        return _queue_post_post(request, membership, post)
    occurrence = SeriesOccurrence.objects.filter(post=post).select_related("series").first()
    rows = []
    if occurrence is not None:
        occurrences = list(occurrence.series.occurrences.select_related("post"))
        statuses: dict[int, set[str]] = {}
        for pid, status in Publication.objects.filter(
            post_id__in=[o.post_id for o in occurrences]
        ).values_list("post_id", "status"):
            statuses.setdefault(pid, set()).add(status)
        labels = dict(Publication._meta.get_field("status").flatchoices)
        for o in occurrences:
            rows.append(
                {
                    "occurrence": o,
                    "local": o.local_time.replace("T", " "),
                    "status": ", ".join(
                        str(labels.get(s, s)) for s in sorted(statuses.get(o.post_id, ()))
                    ),
                    "editable": not (statuses.get(o.post_id, set()) - set(EDITABLE)),
                    "current": o.post_id == post.pk,
                }
            )
    return render(
        request,
        "queues/post.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "post": post,
            "occurrence": occurrence,
            "series": occurrence.series if occurrence else None,
            "rows": rows,
            "evergreen": access_evergreen(membership, post),
            "can_edit": has_perm(membership.role, Perm.SCHEDULE_POSTS),
        },
    )


def _queue_post_post(request: HttpRequest, membership: Membership, post: Post) -> HttpResponse:
    what = _field(request, "do")
    try:
        if what == "evergreen":
            enabled = _field(request, "enabled") == "on"
            try:
                gap = int(_field(request, "min_gap_days") or "30")
                most = int(_field(request, "max_reposts") or "3")
            except ValueError:
                raise ActionError(_("Give the gap and the reposts as whole numbers.")) from None
            evergreen_actions.do_set_evergreen(
                membership, post, enabled=enabled, min_gap_days=gap, max_reposts=most
            )
            messages.success(
                request,
                _("Evergreen settings saved.")
                if enabled
                else _("This post is no longer evergreen."),
            )
        elif what == "occurrence":
            occurrence_id = id_from_text(_field(request, "occurrence"))
            occurrence = (
                SeriesOccurrence.objects.filter(
                    series__workspace=membership.workspace, pk=occurrence_id or 0
                )
                .select_related("series", "post")
                .first()
            )
            if occurrence is None:
                raise ActionError(_("That occurrence no longer exists."))
            change = _field(request, "change")
            following = _field(request, "scope") == "following"
            text = request.POST.get("text")
            if change == "skip":
                series_actions.do_edit_occurrence(
                    membership, occurrence, skip=True, following=following
                )
            elif change == "unskip":
                series_actions.do_edit_occurrence(
                    membership, occurrence, skip=False, following=following
                )
            elif change == "text" and isinstance(text, str):
                series_actions.do_edit_occurrence(
                    membership, occurrence, text=text, following=following
                )
            elif change == "time":
                try:
                    wall = datetime.strptime(_field(request, "when"), "%Y-%m-%dT%H:%M")
                except ValueError:
                    raise ActionError(_("Choose a date and time.")) from None
                series_actions.do_edit_occurrence(
                    membership, occurrence, wall_time=wall, following=following
                )
            else:
                raise ActionError(_("Say what to change: the text, the time, or skip."))
            messages.success(request, _("Series changed."))
        else:
            raise ActionError(_("Nothing to do."))
    except ActionError as error:
        messages.error(request, error.message)
    except PermissionDenied:
        messages.error(request, _("Only editors, managers and owners may change this."))
    return _post_redirect(membership, post)
