"""Saved replies: the list, a form to write or change one, and deletion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townsquare.inbox.access import access_saved_replies, access_saved_reply
from townsquare.inbox.forms import SavedReplyForm
from townsquare.inbox.saved_reply_actions import do_delete_saved_reply, do_save_saved_reply
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view


def _list(membership: Membership) -> HttpResponse:
    return redirect("inbox_saved_replies", workspace=membership.workspace.slug)


@workspace_view(Perm.VIEW)
def saved_replies(request: HttpRequest, membership: Membership) -> HttpResponse:
    can_edit = has_perm(membership.role, Perm.REPLY_INBOX)
    form = SavedReplyForm(initial={"language": membership.workspace.language})
    if request.method == "POST":
        form = SavedReplyForm(request.POST)
        if not can_edit:
            messages.error(request, _("Your role does not allow changing saved replies."))
            return _list(membership)
        if form.is_valid():
            try:
                do_save_saved_reply(membership, **form.cleaned_data)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved reply added."))
                return _list(membership)
    return render(
        request,
        "inbox/saved_replies.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "saved_replies": list(access_saved_replies(membership)),
            "form": form,
            "can_edit": can_edit,
        },
    )


@workspace_view(Perm.REPLY_INBOX, lookups={"saved_reply_id": access_saved_reply})
def saved_reply_edit(
    request: HttpRequest, membership: Membership, saved_reply_id: Any
) -> HttpResponse:
    saved = saved_reply_id
    form = SavedReplyForm(
        initial={"title": saved.title, "language": saved.language, "text": saved.text}
    )
    if request.method == "POST":
        form = SavedReplyForm(request.POST)
        if form.is_valid():
            try:
                do_save_saved_reply(membership, saved=saved, **form.cleaned_data)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved reply changed."))
                return _list(membership)
    return render(
        request,
        "inbox/saved_reply_edit.html",
        {"membership": membership, "workspace": membership.workspace, "form": form, "saved": saved},
    )


@workspace_view(Perm.REPLY_INBOX, methods=("POST",), lookups={"saved_reply_id": access_saved_reply})
def saved_reply_delete(
    request: HttpRequest, membership: Membership, saved_reply_id: Any
) -> HttpResponse:
    do_delete_saved_reply(membership, saved_reply_id)
    messages.success(request, _("Saved reply deleted."))
    return _list(membership)
