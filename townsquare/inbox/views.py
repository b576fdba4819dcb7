"""The inbox list: filters, a page of conversations, bulk actions and the accounts whose
polling fails (with "try again")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.inbox import triage_actions
from townsquare.inbox.access import access_conversations, access_teams
from townsquare.inbox.ingest_actions import do_retry_polling
from townsquare.inbox.models import ConversationStatus, InboxCursor
from townsquare.inbox.sla import storm_state
from townsquare.inbox.views_labels import (
    CATEGORY_LABELS,
    SENTIMENT_LABELS,
    label_of,
    urgency_level,
    urgency_words,
)
from townsquare.inbox.views_listing import filters_from, page_of
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.lib.local_time import wall_time
from townsquare.networks.access import access_account, access_accounts
from townsquare.networks.catalog import network_label
from townsquare.workspaces.access import access_members
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

BULK_ACTIONS = ("assign", "label", "close", "spam")
MAX_BULK = 200


def _row(conversation: Any, zone: ZoneInfo) -> dict[str, Any]:
    preview = (getattr(conversation, "preview", "") or "").strip().splitlines()
    contact = conversation.contact
    return {
        "conversation": conversation,
        "contact": (contact.display_name or contact.handle) if contact else _("Unknown person"),
        "handle": contact.handle if contact else "",
        "network": network_label(conversation.account.network),
        "account": conversation.account.handle,
        "first_line": preview[0] if preview else "",
        "category": label_of("category", conversation.category),
        "sentiment": label_of("sentiment", conversation.sentiment),
        "sentiment_code": conversation.sentiment,
        "urgency": urgency_words(conversation.urgency) if conversation.urgency else "",
        "urgency_level": urgency_level(conversation.urgency),
        "status": conversation.get_status_display(),
        "overdue": conversation.is_overdue,
        "time": wall_time(timezone.localtime(conversation.last_message_at, zone)),
        "iso": conversation.last_message_at.isoformat(),
    }


def _polling_problems(membership: Membership) -> list[InboxCursor]:
    return list(
        InboxCursor.objects.filter(account__in=access_accounts(membership))
        .exclude(last_error="")
        .select_related("account")
        .order_by("account__handle")
    )


@workspace_view(Perm.VIEW, methods=("GET",))
def inbox(request: HttpRequest, membership: Membership) -> HttpResponse:
    filters = filters_from(request.GET)
    page = page_of(membership, filters, request.GET.get("after", ""))
    zone = ZoneInfo(membership.workspace.time_zone or "UTC")
    accounts = list(access_accounts(membership).order_by("network", "handle"))
    query = filters.as_query()
    return render(
        request,
        "inbox/list.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "rows": [_row(c, zone) for c in page.rows],
            "filters": filters,
            "next_link": f"?{urlencode({**query, 'after': page.next_cursor})}"
            if page.next_cursor
            else "",
            "first_link": f"?{urlencode(query)}" if request.GET.get("after") else "",
            "current_query": urlencode(query),
            "categories": [(k, str(v)) for k, v in CATEGORY_LABELS.items()],
            "sentiments": [(k, str(v)) for k, v in SENTIMENT_LABELS.items()],
            "statuses": ConversationStatus.choices,
            "networks": sorted({(a.network, network_label(a.network)) for a in accounts}),
            "accounts": accounts,
            "members": [m.user for m in access_members(membership).order_by("user__name")],
            "teams": list(access_teams(membership)),
            "problems": _polling_problems(membership),
            "storm": storm_state(membership.workspace),
            "has_accounts": bool(accounts),
            "anything": page.rows or access_conversations(membership).exists(),
            "zone": zone.key,
            "can_triage": has_perm(membership.role, Perm.TRIAGE_INBOX),
            "can_reply": has_perm(membership.role, Perm.REPLY_INBOX),
        },
    )


def _back(membership: Membership, request: HttpRequest) -> HttpResponse:
    url = reverse("workspace_inbox", kwargs={"workspace": membership.workspace.slug})
    query = request.POST.get("query", "")
    safe = query if "\n" not in query and "//" not in query and len(query) < 2000 else ""
    return redirect(f"{url}?{safe}" if safe else url)


@workspace_view(Perm.TRIAGE_INBOX, methods=("POST",))
def bulk(request: HttpRequest, membership: Membership) -> HttpResponse:
    action = request.POST.get("action", "")
    ids = [n for n in (id_from_text(v) for v in request.POST.getlist("ids")) if n][:MAX_BULK]
    conversations = list(access_conversations(membership).filter(pk__in=ids))
    if action not in BULK_ACTIONS or not conversations:
        messages.error(request, _("Choose conversations and what to do with them."))
        return _back(membership, request)
    try:
        if action == "assign":
            target = request.POST.get("assignee", "")
            user_id = None if target in ("", "none") else id_from_text(target)
            if target not in ("", "none") and user_id is None:
                raise ActionError(_("Choose whom to assign."), code="assignee_required")
            done = triage_actions.do_assign(membership, conversations, user_id=user_id)
        elif action == "label":
            done = triage_actions.do_add_label(
                membership, conversations, request.POST.get("label", "")
            )
        elif action == "close":
            done = triage_actions.do_set_status(
                membership, conversations, ConversationStatus.CLOSED
            )
        else:
            done = triage_actions.do_mark_spam(membership, conversations)
    except ActionError as error:
        messages.error(request, error.message)
        return _back(membership, request)
    messages.success(
        request,
        ngettext("%(count)s conversation changed.", "%(count)s conversations changed.", done)
        % {"count": done},
    )
    return _back(membership, request)


@workspace_view(Perm.VIEW, methods=("POST",), lookups={"account_id": access_account})
def retry_polling(request: HttpRequest, membership: Membership, account_id: Any) -> HttpResponse:
    try:
        do_retry_polling(membership, account_id.pk)
    except PermissionDenied:
        messages.error(request, _("Only members who triage the inbox can restart its polling."))
    else:
        messages.success(request, _("Townsquare reads this account's inbox again now."))
    return _back(membership, request)
