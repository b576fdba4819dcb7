"""API of the inbox: conversations (the list's filters, one with its messages and the
triage's explanation), replies, assignment, status, label corrections, notes and saved
replies.

Refusals carry codes: reply_invalid (the network's rules; details list the problems),
collision (another member is answering: send again with confirmed=true), reply_required,
not_pending, not_failed, not_a_draft, unknown_task, unknown_label, not_a_member,
unknown_team, unknown_status, unknown_priority, note_required, saved_reply_incomplete,
routing_not_failed (409: the rules ran; only a failed routing is run again).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from townsquare.inbox import (
    note_actions,
    reply_actions,
    routing_actions,
    saved_reply_actions,
    triage_actions,
)
from townsquare.inbox.access import (
    access_conversation,
    access_message,
    access_reply,
    access_saved_replies,
    access_saved_reply,
)
from townsquare.inbox.models import Conversation, InternalNote, Reply, SavedReply
from townsquare.inbox.rule_words import explained_matches
from townsquare.inbox.views_labels import explanation, label_of
from townsquare.inbox.views_listing import PAGE_SIZE, filters_from, page_of
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError

router = Router(tags=["inbox"])
BASE = "/workspaces/{workspace}/inbox"


class InboxConversationOut(Schema):
    id: int
    network: str
    account_id: int
    account: str
    contact: str | None = Field(description="The person's handle")
    contact_name: str
    is_private: bool
    status: str = Field(description="open, waiting or closed")
    priority: int = Field(description="0 normal, 1 high, 2 urgent")
    labels: list[str]
    assignee: str | None = Field(description="The member's e-mail address")
    team_id: int | None
    category: str = Field(description="question, complaint, suggestion, praise, other or empty")
    category_label: str
    sentiment: str
    urgency: int
    is_spam: bool
    preview: str = Field(description="The start of the latest message")
    last_message_at: datetime
    first_response_due_at: datetime | None
    first_responded_at: datetime | None
    overdue: bool


class InboxConversationPageOut(Schema):
    items: list[InboxConversationOut]
    next_cursor: str = Field(description="Pass as `after` for the next page; empty at the end")


class InboxLabelOut(Schema):
    task: str
    value: str
    label: str
    model_value: str = Field(description="What the triage said (before any correction)")
    confidence: float | None
    reasons: list[str]
    corrected: bool


class InboxMessageOut(Schema):
    id: int
    kind: str = Field(description="mention, comment, reply, direct or outbound")
    author_handle: str
    author_name: str
    text: str
    url: str
    created_at: datetime
    language: str
    labels: list[InboxLabelOut] = Field(description="Inbound messages: the triage, explained")
    urgency: int
    urgency_parts: list[tuple[str, int]] = Field(description="(reason in words, points)")


class InboxReplyOut(Schema):
    id: int
    status: str = Field(description="draft, pending_approval, sending, sent, failed or rejected")
    text: str
    author: str | None
    error: str
    in_reply_to: int
    sent_message_id: int | None
    created_at: datetime
    sent_at: datetime | None


class InboxNoteOut(Schema):
    id: int
    author: str | None
    text: str
    mentioned: list[str]
    created_at: datetime


class InboxConversationDetailOut(InboxConversationOut):
    messages: list[InboxMessageOut]
    replies: list[InboxReplyOut]
    notes: list[InboxNoteOut]


class InboxReplyIn(Schema):
    text: str = Field(min_length=1, max_length=reply_actions.MAX_REPLY_CHARS)
    in_reply_to: Id | None = Field(None, description="A message id; the latest inbound if left out")
    confirmed: bool = Field(False, description="Send even though another member is answering")


class InboxReplyDecisionIn(Schema):
    action: str = Field(max_length=10, description="approve, reject, retry or send (a draft)")
    reason: str = Field("", max_length=2000)


class InboxAssignIn(Schema):
    user_id: Id | None = None
    team_id: Id | None = None


class InboxStatusIn(Schema):
    status: str = Field(max_length=16, description="open, waiting or closed")


class InboxDetailsIn(Schema):
    labels: list[str] | None = Field(None, max_length=triage_actions.MAX_LABELS)
    priority: int | None = Field(None, ge=0, le=2)


class InboxCorrectionIn(Schema):
    message_id: Id
    task: str = Field(max_length=16, description="category, sentiment or spam")
    value: str = Field(max_length=16)


class InboxNoteIn(Schema):
    text: str = Field(min_length=1, max_length=note_actions.MAX_NOTE_CHARS)


class InboxRuleMatchOut(Schema):
    rule: str = Field(description="The rule's name, or Routing where routing itself failed")
    because: list[str] = Field(description="The conditions that held, in words")
    problems: list[str] = Field(description="What could not be done, in words")


class InboxRoutedAgainOut(Schema):
    routed: int = Field(description="Messages whose rules ran this time")
    failed: int = Field(description="Messages whose routing failed again")
    routing: list[InboxRuleMatchOut] = Field(description="Why it is routed so, oldest first")


class InboxSavedReplyIn(Schema):
    title: str = Field(min_length=1, max_length=saved_reply_actions.MAX_TITLE_CHARS)
    language: str = Field(min_length=2, max_length=8)
    text: str = Field(min_length=1, max_length=saved_reply_actions.MAX_TEXT_CHARS)


class InboxSavedReplyOut(Schema):
    id: int
    title: str
    language: str
    text: str


class InboxConversationFilters(Schema):
    category: str = Field("", max_length=16)
    status: str = Field("", max_length=16)
    network: str = Field("", max_length=32)
    account: Id | None = None
    assignee: str = Field("", max_length=24, description="mine, unassigned or a user id")
    overdue: bool = False
    sentiment: str = Field("", max_length=16)
    language: str = Field("", max_length=8)
    q: str = Field("", max_length=200, description="Text in a message or the person's name")
    spam: bool = Field(False, description="Include spam")
    after: str = Field("", max_length=64, description="The cursor of the previous page")


def _conversation_out(c: Conversation, preview: str = "", overdue: bool = False) -> dict[str, Any]:
    contact = c.contact
    return {
        "id": c.pk,
        "network": c.account.network,
        "account_id": c.account_id,
        "account": c.account.handle,
        "contact": contact.handle if contact else None,
        "contact_name": (contact.display_name if contact else "") or "",
        "is_private": c.is_private,
        "status": c.status,
        "priority": c.priority,
        "labels": list(c.labels or []),
        "assignee": c.assignee.email if c.assignee else None,
        "team_id": c.team_id,
        "category": c.category,
        "category_label": label_of("category", c.category),
        "sentiment": c.sentiment,
        "urgency": c.urgency,
        "is_spam": c.is_spam,
        "preview": preview,
        "last_message_at": c.last_message_at,
        "first_response_due_at": c.first_response_due_at,
        "first_responded_at": c.first_responded_at,
        "overdue": overdue,
    }


def _reply_out(r: Reply) -> dict[str, Any]:
    return {
        "id": r.pk,
        "status": r.status,
        "text": r.text,
        "author": r.author.email if r.author else None,
        "error": r.error,
        "in_reply_to": r.in_reply_to_id,
        "sent_message_id": r.sent_message_id,
        "created_at": r.created_at,
        "sent_at": r.sent_at,
    }


def _note_out(n: InternalNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "author": n.author.email if n.author else None,
        "text": n.text,
        "mentioned": sorted(u.email for u in n.mentioned.all()),
        "created_at": n.created_at,
    }


def _message_out(m: Any) -> dict[str, Any]:
    inbound = m.kind != "outbound"
    told = explanation(m) if inbound else None
    return {
        "id": m.pk,
        "kind": m.kind,
        "author_handle": m.author_handle,
        "author_name": m.author_name,
        "text": m.text,
        "url": m.url,
        "created_at": m.created_at,
        "language": m.language,
        "labels": [
            {
                "task": lab["task"],
                "value": lab["value"],
                "label": lab["label"],
                "model_value": lab["model_value"],
                "confidence": lab["confidence"],
                "reasons": lab["reasons"],
                "corrected": lab["corrected"],
            }
            for lab in (told["labels"] if told else [])
        ],
        "urgency": m.urgency,
        "urgency_parts": [
            (p["label"], p["points"]) for p in (told["urgency_parts"] if told else [])
        ],
    }


def _detail(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    c = access_conversation(request.membership, conversation_id)  # type: ignore[attr-defined]
    out = _conversation_out(c)
    out["messages"] = [_message_out(m) for m in c.messages.order_by("created_at", "id")]
    out["replies"] = [_reply_out(r) for r in c.replies.select_related("author")]
    out["notes"] = [
        _note_out(n) for n in c.notes.select_related("author").prefetch_related("mentioned")
    ]
    return out


@router.get(f"{BASE}/conversations", response=InboxConversationPageOut)
def list_conversations(
    request: HttpRequest, workspace: str, filters: Query[InboxConversationFilters]
) -> dict[str, Any]:
    """Newest first, 50 a page; the same filters as the inbox page."""
    values = filters.model_dump()
    values["account"] = str(values["account"] or "")
    page = page_of(request.membership, filters_from(values), filters.after, PAGE_SIZE)  # type: ignore[attr-defined]
    return {
        "items": [
            _conversation_out(c, getattr(c, "preview", "") or "", c.is_overdue)
            for c in page.rows  # type: ignore[attr-defined]
        ],
        "next_cursor": page.next_cursor,
    }


@router.get(f"{BASE}/conversations/{{conversation_id}}", response=InboxConversationDetailOut)
def get_conversation(request: HttpRequest, workspace: str, conversation_id: Id) -> dict[str, Any]:
    return _detail(request, conversation_id)


@router.post(f"{BASE}/conversations/{{conversation_id}}/replies", response={202: InboxReplyOut})
def reply(request: HttpRequest, workspace: str, conversation_id: Id, body: InboxReplyIn) -> Status:
    """Checked against the network's rules (422 reply_invalid, nothing stored); waits for
    approval where the workspace wants it, else is sent in the background."""
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    message = access_message(membership, body.in_reply_to) if body.in_reply_to else None
    outcome = reply_actions.do_reply(
        membership, conversation, body.text, in_reply_to=message, confirmed=body.confirmed
    )
    return Status(202, _reply_out(outcome.reply))


@router.post(
    f"{BASE}/conversations/{{conversation_id}}/replies/{{reply_id}}/decision",
    response=InboxReplyOut,
)
def decide_reply(
    request: HttpRequest,
    workspace: str,
    conversation_id: Id,
    reply_id: Id,
    body: InboxReplyDecisionIn,
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    found = access_reply(membership, reply_id)
    if found.conversation_id != conversation_id:
        raise ActionError(
            "That answer belongs to another conversation.", code="not_found", status=404
        )
    calls = {
        "approve": lambda: reply_actions.do_approve_reply(membership, found),
        "reject": lambda: reply_actions.do_reject_reply(membership, found, body.reason),
        "retry": lambda: reply_actions.do_retry_reply(membership, found),
        "send": lambda: reply_actions.do_send_draft(membership, found),
    }
    if body.action not in calls:
        raise ActionError(
            "Choose approve, reject, retry or send.", code="unknown_action", status=422
        )
    return _reply_out(calls[body.action]().reply)


@router.put(
    f"{BASE}/conversations/{{conversation_id}}/assignment", response=InboxConversationDetailOut
)
def assign(
    request: HttpRequest, workspace: str, conversation_id: Id, body: InboxAssignIn
) -> dict[str, Any]:
    """Both empty: unassigned."""
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    triage_actions.do_assign(membership, [conversation], user_id=body.user_id, team_id=body.team_id)
    return _detail(request, conversation_id)


@router.put(f"{BASE}/conversations/{{conversation_id}}/status", response=InboxConversationDetailOut)
def set_status(
    request: HttpRequest, workspace: str, conversation_id: Id, body: InboxStatusIn
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    triage_actions.do_set_status(membership, [conversation], body.status)
    return _detail(request, conversation_id)


@router.patch(f"{BASE}/conversations/{{conversation_id}}", response=InboxConversationDetailOut)
def set_details(
    request: HttpRequest, workspace: str, conversation_id: Id, body: InboxDetailsIn
) -> dict[str, Any]:
    """Labels and/or priority."""
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    if body.labels is not None:
        triage_actions.do_set_labels(membership, conversation, body.labels)
    if body.priority is not None:
        triage_actions.do_set_priority(membership, conversation, body.priority)
    return _detail(request, conversation_id)


@router.post(
    f"{BASE}/conversations/{{conversation_id}}/corrections", response=InboxConversationDetailOut
)
def correct_label(
    request: HttpRequest, workspace: str, conversation_id: Id, body: InboxCorrectionIn
) -> dict[str, Any]:
    """A person's label for one message: it wins over the model's and is learnt from."""
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    message = access_message(membership, body.message_id)
    if message.conversation_id != conversation.pk:
        raise ActionError(
            "That message belongs to another conversation.", code="not_found", status=404
        )
    triage_actions.do_correct_label(membership, message, body.task, body.value)
    return _detail(request, conversation_id)


@router.post(f"{BASE}/conversations/{{conversation_id}}/notes", response={201: InboxNoteOut})
def add_note(
    request: HttpRequest, workspace: str, conversation_id: Id, body: InboxNoteIn
) -> Status:
    """Mention members as @name, @name@example.com or @[Their Name]: they are notified."""
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    return Status(201, _note_out(note_actions.do_add_note(membership, conversation, body.text)))


@router.post(f"{BASE}/conversations/{{conversation_id}}/route-again", response=InboxRoutedAgainOut)
def route_again(request: HttpRequest, workspace: str, conversation_id: Id) -> dict[str, Any]:
    """Run the rules again for the messages whose routing failed; the failure is replaced by
    what the rules did, or by a new failure (then `failed` counts it)."""
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    outcome = routing_actions.do_route_again(membership, conversation)
    return {
        "routed": outcome.routed,
        "failed": outcome.failed,
        "routing": explained_matches(conversation),
    }


def _saved_out(s: SavedReply) -> dict[str, Any]:
    return {"id": s.pk, "title": s.title, "language": s.language, "text": s.text}


@router.get(f"{BASE}/saved-replies", response=list[InboxSavedReplyOut])
def list_saved_replies(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    return [_saved_out(s) for s in access_saved_replies(request.membership)]  # type: ignore[attr-defined]


@router.post(f"{BASE}/saved-replies", response={201: InboxSavedReplyOut})
def create_saved_reply(request: HttpRequest, workspace: str, body: InboxSavedReplyIn) -> Status:
    """Variables: {name}, {handle}, {account}."""
    saved = saved_reply_actions.do_save_saved_reply(request.membership, **body.model_dump())  # type: ignore[attr-defined]
    return Status(201, _saved_out(saved))


@router.get(f"{BASE}/saved-replies/{{saved_reply_id}}", response=InboxSavedReplyOut)
def get_saved_reply(request: HttpRequest, workspace: str, saved_reply_id: Id) -> dict[str, Any]:
    return _saved_out(access_saved_reply(request.membership, saved_reply_id))  # type: ignore[attr-defined]


@router.put(f"{BASE}/saved-replies/{{saved_reply_id}}", response=InboxSavedReplyOut)
def update_saved_reply(
    request: HttpRequest, workspace: str, saved_reply_id: Id, body: InboxSavedReplyIn
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    saved = access_saved_reply(membership, saved_reply_id)
    return _saved_out(
        saved_reply_actions.do_save_saved_reply(membership, saved=saved, **body.model_dump())
    )


@router.delete(f"{BASE}/saved-replies/{{saved_reply_id}}", response={204: None})
def delete_saved_reply(request: HttpRequest, workspace: str, saved_reply_id: Id) -> Status:
    membership = request.membership  # type: ignore[attr-defined]
    saved_reply_actions.do_delete_saved_reply(
        membership, access_saved_reply(membership, saved_reply_id)
    )
    return Status(204, None)
