"""Inbox > Settings > Triage: what the triage learnt from this workspace's corrections, its
model versions, and going back to an earlier one or to the shipped model."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from townsquare.inbox import learning_actions
from townsquare.inbox.models import TriageCorrection, TriageModelVersion
from townsquare.inbox.settings_views import _page
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view


def _act(request: HttpRequest, membership: Membership) -> None:
    what = request.POST.get("action", "")
    if what == "train":
        saved = learning_actions.do_train_from_corrections(membership)
        messages.success(
            request,
            _("A new model learnt from %(count)s corrections and is in use now.")
            % {"count": saved.examples},
        )
    elif what == "shipped":
        learning_actions.do_activate_model(membership, None)
        messages.success(request, _("The shipped model is in use again."))
    elif what == "activate":
        version_id = id_from_text(request.POST.get("version", ""))
        version = TriageModelVersion.objects.filter(
            workspace=membership.workspace, pk=version_id
        ).first()
        if version_id is None or version is None:
            raise ActionError(_("Choose a model of this workspace."), code="unknown_model")
        learning_actions.do_activate_model(membership, version)
        messages.success(request, _("That model is in use again."))
    else:
        raise ActionError(_("Choose what to do."), code="unknown_action")


@workspace_view(Perm.VIEW)
def triage_model(request: HttpRequest, membership: Membership) -> HttpResponse:
    if request.method == "POST":
        try:
            _act(request, membership)
        except PermissionDenied:
            messages.error(request, _("Your role does not allow this."))
        except ActionError as error:
            messages.error(request, error.message)
        return redirect("inbox_settings_triage", workspace=membership.workspace.slug)
    corrections = TriageCorrection.objects.filter(workspace=membership.workspace)
    by_task = dict(corrections.values_list("task").annotate(n=Count("id")).values_list("task", "n"))
    versions = list(
        TriageModelVersion.objects.filter(workspace=membership.workspace)
        .select_related("created_by")
        .defer("blob")[:20]
    )
    return _page(
        request,
        membership,
        "triage.html",
        "triage",
        versions=versions,
        shipped_active=not any(v.active for v in versions),
        corrections={
            "category": by_task.get("category", 0),
            "sentiment": by_task.get("sentiment", 0),
            "spam": by_task.get("spam", 0),
        },
    )
