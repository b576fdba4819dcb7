"""A contact's page: who they are, their conversations and register items, and what the
privacy law lets them ask for: an export of everything about them, and deletion."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townsquare.inbox.access import access_contact
from townsquare.inbox.models import Conversation, FeedbackItem
from townsquare.inbox.privacy_actions import do_delete_contact, do_export_contact
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

CONTACT: dict[str, Any] = {"contact_id": access_contact}


@workspace_view(Perm.VIEW, lookups=CONTACT)
def contact_page(request: HttpRequest, membership: Membership, contact_id: Any) -> HttpResponse:
    contact = contact_id
    conversations = (
        Conversation.objects.filter(workspace=membership.workspace, contact=contact)
        .select_related("account")
        .order_by("-last_message_at")
    )
    items = (
        FeedbackItem.objects.filter(workspace=membership.workspace, message__contact=contact)
        .select_related("topic")
        .order_by("-created_at")
    )
    return render(
        request,
        "inbox/contacts/contact.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "contact": contact,
            "conversations": list(conversations[:100]),
            "items": list(items[:100]),
            "message_count": contact.messages.count(),
            "can_manage": has_perm(membership.role, Perm.TRIAGE_INBOX),
        },
    )


@workspace_view(Perm.TRIAGE_INBOX, methods=("GET",), lookups=CONTACT)
def contact_export(request: HttpRequest, membership: Membership, contact_id: Any) -> HttpResponse:
    data = do_export_contact(membership, contact_id)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact_id.pk}.json"'
    return response


@workspace_view(Perm.TRIAGE_INBOX, methods=("POST",), lookups=CONTACT)
def contact_delete(request: HttpRequest, membership: Membership, contact_id: Any) -> HttpResponse:
    contact = contact_id
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the deletion."))
    else:
        try:
            counts = do_delete_contact(membership, contact)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("This person's data was deleted: %(count)d messages.")
                % {"count": counts["deleted_messages"]},
            )
    return redirect("inbox_contact", workspace=membership.workspace.slug, contact_id=contact.pk)
