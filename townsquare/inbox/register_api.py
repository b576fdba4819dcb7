"""API of the feedback register and of contacts' privacy: topics (list, one with its items,
rename, department, merge, split, status, the company's answer, sending its drafts), the
register as CSV, a contact's export and deletion on request.

Refusals carry codes: title_missing, same_topic, no_items, all_items, status_unknown,
status_step, answer_missing, already_deleted, not_found.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from townsquare.inbox import register_actions as actions
from townsquare.inbox.access import access_contact, access_department, access_topics
from townsquare.inbox.models import FeedbackItem, FeedbackTopic, TopicStatus
from townsquare.inbox.privacy_actions import do_delete_contact, do_export_contact
from townsquare.inbox.register import access_topic, register_csv, topics_with_counts, trends
from townsquare.lib.bounds import Id
from townsquare.workspaces.access import require
from townsquare.workspaces.roles import Perm

router = Router(tags=["inbox register"])
BASE = "/workspaces/{workspace}/inbox"


class RegisterTopicOut(Schema):
    id: int
    title: str
    category: str = Field(description="question, complaint or suggestion (most common item)")
    status: str = Field(description="new, forwarded, answered, informed or closed")
    department_id: int | None
    items: int
    informed: int
    trend: list[int] = Field(description="Items per week, the last 8 weeks, oldest first")
    company_answers: dict[str, str] = Field(description="The company's answer per language")
    answered_at: datetime | None
    updated_at: datetime


class RegisterItemOut(Schema):
    id: int
    conversation_id: int | None = Field(description="Null when deleted on request")
    message_id: int | None
    category: str
    language: str
    text: str
    created_at: datetime
    informed_at: datetime | None


class RegisterTopicDetailOut(RegisterTopicOut):
    item_list: list[RegisterItemOut]


class RegisterTopicQuery(Schema):
    status: Literal["new", "forwarded", "answered", "informed", "closed"] | None = None
    category: Literal["question", "complaint", "suggestion"] | None = None
    department: Id | None = None


class RegisterTopicPatch(Schema):
    title: str | None = Field(None, max_length=200)
    department_id: Id | None = Field(None, description="0 removes the department")


class RegisterMergeIn(Schema):
    into: Id = Field(description="The topic that receives this topic's items")


class RegisterSplitIn(Schema):
    items: list[Id] = Field(max_length=1000)
    title: str = Field("", max_length=200)


class RegisterStatusIn(Schema):
    status: Literal["new", "forwarded", "answered", "informed", "closed"]


class RegisterAnswerIn(Schema):
    answers: dict[str, str] = Field(
        description='The answer per language code, e.g. {"de": "...", "en": "..."}',
        max_length=20,
    )


class RegisterAnswerOut(Schema):
    topic: RegisterTopicOut
    drafted: int


class RegisterSendOut(Schema):
    queued: int
    problems: list[str]


def _topic_out(topic: FeedbackTopic, trend: list[int] | None = None) -> dict[str, Any]:
    counted = topics_with_counts(FeedbackTopic.objects.filter(pk=topic.pk)).first()
    return {
        "id": topic.pk,
        "title": topic.title,
        "category": topic.category,
        "status": topic.status,
        "department_id": topic.department_id,
        "items": getattr(counted, "item_count", 0),
        "informed": getattr(counted, "informed_count", 0),
        "trend": trend
        if trend is not None
        else trends([topic.pk], zone=topic.workspace.time_zone)[topic.pk],
        "company_answers": topic.company_answers or {},
        "answered_at": topic.answered_at,
        "updated_at": topic.updated_at,
    }


def _item_out(item: FeedbackItem) -> dict[str, Any]:
    message = item.message
    return {
        "id": item.pk,
        "conversation_id": message.conversation_id if message else None,
        "message_id": item.message_id,
        "category": item.category,
        "language": item.language,
        "text": message.text if message else "",
        "created_at": item.created_at,
        "informed_at": item.informed_at,
    }


def _detail(topic: FeedbackTopic) -> dict[str, Any]:
    items = FeedbackItem.objects.filter(topic=topic).select_related("message")
    return {**_topic_out(topic), "item_list": [_item_out(i) for i in items[:1000]]}


def _filtered(membership: Any, query: RegisterTopicQuery) -> Any:
    topics = access_topics(membership)
    if query.status:
        topics = topics.filter(status=query.status)
    if query.category:
        topics = topics.filter(category=query.category)
    if query.department is not None:
        topics = topics.filter(department_id=query.department)
    return topics


@router.get(f"{BASE}/register/topics", response=list[RegisterTopicOut])
def list_topics(
    request: HttpRequest, workspace: str, query: Query[RegisterTopicQuery]
) -> list[dict[str, Any]]:
    """The register's topics, newest activity first (at most 500)."""
    membership = request.membership  # type: ignore[attr-defined]
    rows = list(_filtered(membership, query).order_by("-updated_at", "-id")[:500])
    weekly = trends((t.pk for t in rows), zone=membership.workspace.time_zone)
    return [_topic_out(t, weekly[t.pk]) for t in rows]


CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "One row per topic.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(f"{BASE}/register/export", openapi_extra=CSV_RESPONSE, response={200: None})
def export_register(
    request: HttpRequest, workspace: str, query: Query[RegisterTopicQuery]
) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    response = HttpResponse(
        register_csv(_filtered(membership, query)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="register-{workspace}.csv"'
    return response


@router.get(f"{BASE}/register/topics/{{topic_id}}", response=RegisterTopicDetailOut)
def get_topic(request: HttpRequest, workspace: str, topic_id: Id) -> dict[str, Any]:
    return _detail(access_topic(request.membership, topic_id))  # type: ignore[attr-defined]


@router.patch(f"{BASE}/register/topics/{{topic_id}}", response=RegisterTopicDetailOut)
def change_topic(
    request: HttpRequest, workspace: str, topic_id: Id, body: RegisterTopicPatch
) -> dict[str, Any]:
    """Rename it, or give it a department (0 removes it)."""
    membership = request.membership  # type: ignore[attr-defined]
    topic = access_topic(membership, topic_id)
    if body.title is not None:
        topic = actions.do_rename_topic(membership, topic, body.title)
    if body.department_id is not None:
        department = (
            access_department(membership, body.department_id) if body.department_id else None
        )
        topic = actions.do_set_department(membership, topic, department)
    return _detail(topic)


@router.post(f"{BASE}/register/topics/{{topic_id}}/merge", response=RegisterTopicDetailOut)
def merge_topic(
    request: HttpRequest, workspace: str, topic_id: Id, body: RegisterMergeIn
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    topic = access_topic(membership, topic_id)
    into = access_topic(membership, body.into)
    return _detail(actions.do_merge_topics(membership, topic, into))


@router.post(f"{BASE}/register/topics/{{topic_id}}/split", response={201: RegisterTopicDetailOut})
def split_topic(
    request: HttpRequest, workspace: str, topic_id: Id, body: RegisterSplitIn
) -> Status:
    """Move the given items to a new topic (returned)."""
    membership = request.membership  # type: ignore[attr-defined]
    topic = access_topic(membership, topic_id)
    return Status(201, _detail(actions.do_split_topic(membership, topic, body.items, body.title)))


@router.put(f"{BASE}/register/topics/{{topic_id}}/status", response=RegisterTopicDetailOut)
def set_topic_status(
    request: HttpRequest, workspace: str, topic_id: Id, body: RegisterStatusIn
) -> dict[str, Any]:
    """One step on (new, forwarded, answered, informed, closed); closed from any step."""
    membership = request.membership  # type: ignore[attr-defined]
    topic = access_topic(membership, topic_id)
    return _detail(actions.do_set_status(membership, topic, TopicStatus(body.status)))


@router.post(f"{BASE}/register/topics/{{topic_id}}/answer", response=RegisterAnswerOut)
def record_answer(
    request: HttpRequest, workspace: str, topic_id: Id, body: RegisterAnswerIn
) -> dict[str, Any]:
    """Record the company's answer; a reply is drafted to every user not yet told."""
    membership = request.membership  # type: ignore[attr-defined]
    topic = access_topic(membership, topic_id)
    outcome = actions.do_record_answer(membership, topic, body.answers)
    return {"topic": _topic_out(outcome.topic), "drafted": outcome.drafted}


@router.post(f"{BASE}/register/topics/{{topic_id}}/send-drafts", response=RegisterSendOut)
def send_drafts(request: HttpRequest, workspace: str, topic_id: Id) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    outcome = actions.do_send_all_drafts(membership, access_topic(membership, topic_id))
    return {"queued": outcome.queued, "problems": outcome.problems}


@router.get(f"{BASE}/contacts/{{contact_id}}/export", response=dict[str, Any])
def export_contact(request: HttpRequest, workspace: str, contact_id: Id) -> dict[str, Any]:
    """Everything about one person: contact, conversations, messages, notes, register items."""
    membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.TRIAGE_INBOX)
    return do_export_contact(membership, access_contact(membership, contact_id))


@router.delete(f"{BASE}/contacts/{{contact_id}}", response=dict[str, int])
def delete_contact(request: HttpRequest, workspace: str, contact_id: Id) -> dict[str, int]:
    """Delete a person's data on request; anonymous counts stay."""
    membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.TRIAGE_INBOX)
    return do_delete_contact(membership, access_contact(membership, contact_id))
