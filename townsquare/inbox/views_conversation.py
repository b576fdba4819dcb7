"""One conversation: its messages in order with the triage's explanation, the contact's
history, the reply box (saved replies, collision warning, approval), notes, assignment,
status, labels, priority and forwards."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.inbox import note_actions, reply_actions, routing_actions, triage_actions
from townsquare.inbox.access import (
    access_contacts,
    access_conversation,
    access_conversations,
    access_department,
    access_departments,
    access_message,
    access_reply,
    access_saved_replies,
    access_teams,
)
from townsquare.inbox.forms import NoteForm, ReplyForm
from townsquare.inbox.models import (
    Conversation,
    ConversationStatus,
    MessageKind,
    Priority,
    ReplyStatus,
)
from townsquare.inbox.private_reply_window import (
    account_may_answer_privately,
    private_reply_line,
    private_reply_refusal,
)
from townsquare.inbox.routing import ROUTING_FAILED
from townsquare.inbox.rule_words import explained_matches
from townsquare.inbox.saved_reply_actions import fill
from townsquare.inbox.views_labels import explanation, label_of, urgency_level, urgency_words
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.lib.local_time import wall_time
from townsquare.networks.catalog import network_label
from townsquare.workspaces.access import access_members
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

LOOKUP = {"conversation_id": access_conversation}
HISTORY_LIMIT = 20


def _history(membership: Membership, conversation: Conversation) -> dict[str, Any]:
    """The contact's other conversations, and the same person on other networks (a
    contact of the same name there)."""
    contact = conversation.contact
    if contact is None:
        return {"conversations": [], "elsewhere": []}
    others = list(
        access_conversations(membership)
        .filter(contact=contact)
        .exclude(pk=conversation.pk)
        .select_related("account")
        .order_by("-last_message_at")[:HISTORY_LIMIT]
    )
    elsewhere: list[Any] = []
    if contact.display_name:
        elsewhere = list(
            access_contacts(membership)
            .filter(display_name__iexact=contact.display_name)
            .exclude(pk=contact.pk)
            .order_by("network", "handle")[:HISTORY_LIMIT]
        )
    return {"conversations": others, "elsewhere": elsewhere}


def _saved_replies(membership: Membership, conversation: Conversation, language: str) -> list[Any]:
    """Saved replies filled in for this conversation, the message's language first."""
    rows = list(access_saved_replies(membership))
    rows.sort(key=lambda s: (s.language != language, s.title.casefold()))
    return [{"saved": s, "text": fill(s.text, conversation)} for s in rows]


def _page(
    request: HttpRequest,
    membership: Membership,
    conversation: Conversation,
    *,
    reply_form: ReplyForm | None = None,
    collision: list[str] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    zone = ZoneInfo(membership.workspace.time_zone or "UTC")
    thread = list(conversation.messages.select_related("sent_by").order_by("created_at", "id"))
    inbound = [m for m in thread if m.kind != MessageKind.OUTBOUND]
    language = next((m.language for m in reversed(inbound) if m.language), "")
    language = language or membership.workspace.language or translation.get_language() or ""
    network_key = conversation.account.network
    now = timezone.now()
    answered_privately = reply_actions.privately_answered_ids(conversation)
    permitted = account_may_answer_privately(conversation.account)
    items = [
        {
            "message": m,
            "inbound": m.kind != MessageKind.OUTBOUND,
            "time": wall_time(timezone.localtime(m.created_at, zone)),
            "explanation": explanation(m) if m.kind != MessageKind.OUTBOUND else None,
            "private_reply": private_reply_line(
                network_key,
                m.kind,
                m.created_at,
                now,
                zone.key,
                already_sent=m.pk in answered_privately,
                permitted=permitted,
            ),
        }
        for m in thread
    ]
    if reply_form is None:
        saved_id = id_from_text(request.GET.get("saved", ""))
        saved = access_saved_replies(membership).filter(pk=saved_id).first() if saved_id else None
        reply_form = ReplyForm(initial={"text": fill(saved.text, conversation) if saved else ""})
    can_approve = has_perm(membership.role, Perm.APPROVE_POSTS)
    replies = list(
        conversation.replies.select_related("author", "approved_by").exclude(
            status=ReplyStatus.SENT
        )
    )
    return render(
        request,
        "inbox/conversation.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "conversation": conversation,
            "items": items,
            "network": network_label(conversation.account.network),
            "category": label_of("category", conversation.category),
            "sentiment": label_of("sentiment", conversation.sentiment),
            "urgency": urgency_words(conversation.urgency),
            "urgency_level": urgency_level(conversation.urgency),
            "history": _history(membership, conversation),
            "replies": replies,
            "notes": list(conversation.notes.select_related("author")),
            "forwards": list(conversation.forwards.select_related("department")),
            "departments": list(access_departments(membership)),
            "routing": explained_matches(conversation),
            "routing_failed": conversation.rule_matches.filter(
                rule__isnull=True, rule_name=ROUTING_FAILED
            ).exists(),
            "saved_replies": _saved_replies(membership, conversation, language),
            "language": language,
            "reply_form": reply_form,
            "note_form": NoteForm(auto_id="note_%s"),
            "collision": collision
            if collision is not None
            else reply_actions.others_answering(conversation, membership.user),
            "problems": problems or [],
            "members": [m.user for m in access_members(membership).order_by("user__name")],
            "teams": list(access_teams(membership)),
            "statuses": ConversationStatus.choices,
            "priorities": Priority.choices,
            "can_triage": has_perm(membership.role, Perm.TRIAGE_INBOX),
            "can_reply": has_perm(membership.role, Perm.REPLY_INBOX),
            "can_approve": can_approve,
            "zone": zone.key,
            "private_reply_choice": permitted
            and _private_reply_choice(network_key, inbound, now, answered_privately),
        },
        status=status,
    )


def _private_reply_choice(
    network: str, inbound: list[Any], now: Any, answered_privately: set[int]
) -> bool:
    """Whether the reply box offers "Answer privately": the message answered (the newest
    from the person) is a Facebook or Instagram comment within Meta's 7 days, not yet
    answered privately. Only asked for accounts holding Meta's messaging permission
    (account_may_answer_privately): for the others the line under the comment says why."""
    if not inbound:
        return False
    latest = max(inbound, key=lambda m: (m.created_at, m.pk))
    return not private_reply_refusal(
        network,
        latest.kind,
        latest.created_at,
        now,
        already_sent=latest.pk in answered_privately,
    )


@workspace_view(Perm.VIEW, methods=("GET",), lookups=LOOKUP)
def conversation(
    request: HttpRequest, membership: Membership, conversation_id: Any
) -> HttpResponse:
    return _page(request, membership, conversation_id)


def _back(conversation: Conversation, anchor: str = "") -> HttpResponse:
    return redirect(reply_actions.conversation_url(conversation) + (f"#{anchor}" if anchor else ""))


def _run(
    request: HttpRequest, conversation: Conversation, done: str, call: Any, anchor: str = ""
) -> HttpResponse:
    try:
        result = call()
    except PermissionDenied:
        messages.error(request, _("Your role does not allow this."))
    except ActionError as error:
        messages.error(request, error.message)
    else:
        said = result.message if isinstance(result, reply_actions.ReplyOutcome) else done
        messages.success(request, said)
    return _back(conversation, anchor)


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def correct(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    conversation = conversation_id
    message_id = id_from_text(request.POST.get("message", ""))
    if message_id is None:
        messages.error(request, _("Choose the message to correct."))
        return _back(conversation)
    message = access_message(membership, message_id)
    if message.conversation_id != conversation.pk:
        messages.error(request, _("That message belongs to another conversation."))
        return _back(conversation)
    return _run(
        request,
        conversation,
        _("Label corrected. The triage learns from it."),
        lambda: triage_actions.do_correct_label(
            membership, message, request.POST.get("task", ""), request.POST.get("value", "")
        ),
        anchor=f"message-{message.pk}",
    )


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def assign(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    raw_user, raw_team = request.POST.get("assignee", ""), request.POST.get("team", "")
    return _run(
        request,
        conversation_id,
        _("Assignment saved."),
        lambda: triage_actions.do_assign(
            membership,
            [conversation_id],
            user_id=id_from_text(raw_user) if raw_user else None,
            team_id=id_from_text(raw_team) if raw_team else None,
        ),
    )


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def set_status(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    return _run(
        request,
        conversation_id,
        _("Status saved."),
        lambda: triage_actions.do_set_status(
            membership, [conversation_id], request.POST.get("status", "")
        ),
    )


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def details(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    """Labels (comma separated) and priority."""
    conversation = conversation_id
    labels = [part for part in request.POST.get("labels", "").split(",")]
    raw = request.POST.get("priority", "0")
    priority = int(raw) if raw in ("0", "1", "2") else None

    def save() -> None:
        triage_actions.do_set_labels(membership, conversation, labels)
        if priority is None:
            raise ActionError(_("Choose normal, high or urgent."), code="unknown_priority")
        triage_actions.do_set_priority(membership, conversation, priority)

    return _run(request, conversation, _("Labels and priority saved."), save)


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def forward(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    """Hand the conversation to a department by hand (its e-mail and webhook)."""
    department_id = id_from_text(request.POST.get("department", ""))
    if department_id is None:
        messages.error(request, _("Choose a department."))
        return _back(conversation_id, "forwards-title")
    department = access_department(membership, department_id)
    return _run(
        request,
        conversation_id,
        _("Forwarded. The department's answer can be recorded in the register."),
        lambda: routing_actions.do_forward_conversation(
            membership, conversation_id, department, request.POST.get("note", "")
        ),
        anchor="forwards-title",
    )


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def route_again(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    """Run the rules again for the messages whose routing failed."""
    try:
        outcome = routing_actions.do_route_again(membership, conversation_id)
    except PermissionDenied:
        messages.error(request, _("Your role does not allow this."))
    except ActionError as error:
        messages.error(request, error.message)
    else:
        if outcome.failed:
            messages.error(
                request,
                _("Routing failed again. Assign and forward the conversation by hand."),
            )
        else:
            messages.success(request, _("The rules ran again; see why it was routed this way."))
    return _back(conversation_id, "routing-title")


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def note(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    return _run(
        request,
        conversation_id,
        _("Note added."),
        lambda: note_actions.do_add_note(membership, conversation_id, request.POST.get("text", "")),
        anchor="notes",
    )


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def reply(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    conversation = conversation_id
    form = ReplyForm(request.POST)
    if not has_perm(membership.role, Perm.REPLY_INBOX):
        messages.error(request, _("Your role does not allow answering."))
        return _back(conversation)
    if not form.is_valid():
        return _page(request, membership, conversation, reply_form=form, status=422)
    try:
        outcome = reply_actions.do_reply(
            membership,
            conversation,
            form.cleaned_data["text"],
            confirmed=bool(form.cleaned_data.get("confirmed")),
            private=bool(form.cleaned_data.get("private")),
        )
    except reply_actions.ReplyInvalid as invalid:
        return _page(
            request,
            membership,
            conversation,
            reply_form=form,
            problems=invalid.problems,
            status=422,
        )
    except reply_actions.SomeoneElseAnswering as collision:
        confirm = ReplyForm(
            initial={
                "text": form.cleaned_data["text"],
                "confirmed": True,
                "private": form.cleaned_data.get("private"),
            }
        )
        return _page(
            request,
            membership,
            conversation,
            reply_form=confirm,
            collision=collision.names,
            status=409,
        )
    except ActionError as error:
        form.add_error("text", error.message)
        return _page(request, membership, conversation, reply_form=form, status=422)
    messages.success(request, outcome.message)
    return _back(conversation, "replies")


@workspace_view(Perm.VIEW, methods=("POST",), lookups=LOOKUP)
def answering(request: HttpRequest, membership: Membership, conversation_id: Any) -> HttpResponse:
    """The reply box was opened (htmx): others see it; the answer names who else answers."""
    try:
        names = reply_actions.do_mark_answering(membership, conversation_id)
    except PermissionDenied:
        names = []
    return render(request, "inbox/_collision.html", {"collision": names})


REPLY_DECISIONS = ("approve", "reject", "retry", "send")


@workspace_view(
    Perm.VIEW,
    methods=("POST",),
    lookups={"conversation_id": access_conversation, "reply_id": access_reply},
)
def decide_reply(
    request: HttpRequest, membership: Membership, conversation_id: Any, reply_id: Any
) -> HttpResponse:
    conversation = conversation_id
    found = reply_id
    action = request.POST.get("action", "")
    if found.conversation_id != conversation.pk or action not in REPLY_DECISIONS:
        messages.error(request, _("Choose what to do with the answer."))
        return _back(conversation, "replies")
    calls = {
        "approve": lambda: reply_actions.do_approve_reply(membership, found),
        "reject": lambda: reply_actions.do_reject_reply(
            membership, found, request.POST.get("reason", "")
        ),
        "retry": lambda: reply_actions.do_retry_reply(membership, found),
        "send": lambda: reply_actions.do_send_draft(membership, found),
    }
    return _run(request, conversation, "", calls[action], anchor="replies")
