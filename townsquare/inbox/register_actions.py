"""Writes on the feedback register: rename, merge, split, department, the status steps, the
company's answer (which drafts a reply to every user not yet told) and sending those drafts.
Each checks the permission, runs in one transaction and leaves an audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.inbox.models import (
    Department,
    FeedbackItem,
    FeedbackTopic,
    InboxSettings,
    Reply,
    ReplyStatus,
    TopicStatus,
)
from townsquare.inbox.register import refresh_topic, uninformed
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

# The status steps in order (TopicStatus values).
STEPS: tuple[str, ...] = ("new", "forwarded", "answered", "informed", "closed")

# How a drafted reply greets the user, in their language (the answer follows).
GREETINGS = {
    "de": "Hallo {name},",
    "en": "Hi {name},",
    "fr": "Bonjour {name},",
    "es": "Hola {name}:",
    "it": "Ciao {name},",
    "nl": "Hallo {name},",
}


def _audit(membership: Membership, action: str, target: Any, **after: Any) -> None:
    record(
        actor=membership.user,
        action=action,
        target=target,
        workspace=membership.workspace,
        after=after or None,
    )


def _own(membership: Membership, topic: FeedbackTopic) -> FeedbackTopic:
    if topic.workspace_id != membership.workspace_id:
        raise ActionError(_("This topic is not in this workspace."), code="not_found", status=404)
    return FeedbackTopic.objects.select_for_update().get(pk=topic.pk)


@transaction.atomic
def do_rename_topic(membership: Membership, topic: FeedbackTopic, title: str) -> FeedbackTopic:
    require(membership, Perm.TRIAGE_INBOX)
    topic = _own(membership, topic)
    title = " ".join((title or "").split())[:200]
    if not title:
        raise ActionError(_("A topic needs a title."), code="title_missing")
    before = topic.title
    topic.title = title
    topic.edited = True
    topic.save(update_fields=["title", "edited", "updated_at"])
    _audit(membership, "inbox.topic_rename", topic, before=before, title=title)
    return topic


@transaction.atomic
def do_set_department(
    membership: Membership, topic: FeedbackTopic, department: Department | None
) -> FeedbackTopic:
    require(membership, Perm.TRIAGE_INBOX)
    topic = _own(membership, topic)
    if department is not None and department.workspace_id != membership.workspace_id:
        raise ActionError(
            _("This department is not in this workspace."), code="not_found", status=404
        )
    topic.department = department
    topic.save(update_fields=["department", "updated_at"])
    _audit(
        membership,
        "inbox.topic_department",
        topic,
        department=department.pk if department else None,
    )
    return topic


@transaction.atomic
def do_merge_topics(
    membership: Membership, topic: FeedbackTopic, into: FeedbackTopic
) -> FeedbackTopic:
    """Move every item of `topic` into `into` and remove `topic`."""
    require(membership, Perm.TRIAGE_INBOX)
    topic = _own(membership, topic)
    into = _own(membership, into)
    if topic.pk == into.pk:
        raise ActionError(_("Choose another topic to merge with."), code="same_topic")
    moved = FeedbackItem.objects.filter(topic=topic).update(topic=into)
    Reply.objects.filter(feedback_topic=topic).update(feedback_topic=into)
    into.edited = True
    into.save(update_fields=["edited", "updated_at"])
    refresh_topic(into)
    _audit(membership, "inbox.topic_merge", into, merged=topic.pk, title=topic.title, items=moved)
    topic.delete()
    return into


@transaction.atomic
def do_split_topic(
    membership: Membership, topic: FeedbackTopic, item_ids: Sequence[int], title: str
) -> FeedbackTopic:
    """Move the chosen items of `topic` to a new topic."""
    require(membership, Perm.TRIAGE_INBOX)
    topic = _own(membership, topic)
    items = FeedbackItem.objects.filter(topic=topic, pk__in=list(item_ids))
    count = items.count()
    if count == 0:
        raise ActionError(_("Choose the items for the new topic."), code="no_items")
    if count == FeedbackItem.objects.filter(topic=topic).count():
        raise ActionError(_("Leave at least one item in this topic."), code="all_items")
    title = " ".join((title or "").split())[:200] or topic.title
    new = FeedbackTopic.objects.create(
        workspace=topic.workspace, title=title, category=topic.category, edited=True
    )
    items.update(topic=new)
    for changed in (topic, new):
        refresh_topic(changed)
    topic.edited = True
    topic.save(update_fields=["edited", "updated_at"])
    _audit(membership, "inbox.topic_split", new, source=topic.pk, items=count)
    return new


@transaction.atomic
def do_set_status(membership: Membership, topic: FeedbackTopic, status: str) -> FeedbackTopic:
    """One step on (new -> forwarded -> answered -> users informed -> closed); closing is
    possible from any step, and a closed topic can be opened again as new."""
    require(membership, Perm.TRIAGE_INBOX)
    topic = _own(membership, topic)
    if status not in TopicStatus.values:
        raise ActionError(_("Unknown status."), code="status_unknown")
    if status not in allowed_steps(topic.status):
        raise ActionError(_("The topic cannot move to this status now."), code="status_step")
    if status == "answered" and not topic.answered_at:
        raise ActionError(_("Record the company's answer first."), code="answer_missing")
    before = topic.status
    topic.status = status
    topic.save(update_fields=["status", "updated_at"])
    _audit(membership, "inbox.topic_status", topic, before=before, status=status)
    return topic


def allowed_steps(status: str) -> list[str]:
    if status == "closed":
        return ["new"]
    index = STEPS.index(status)
    following = [STEPS[index + 1]] if index + 1 < len(STEPS) else []
    return following + (["closed"] if "closed" not in following else [])


@dataclass(frozen=True)
class AnswerOutcome:
    topic: FeedbackTopic
    drafted: int


def _clean_answers(answers: dict[str, str]) -> dict[str, str]:
    cleaned = {
        lang.strip().lower()[:8]: text.replace("\r\n", "\n").strip()
        for lang, text in answers.items()
        if lang and text and text.strip()
    }
    return cleaned


def choose_answer(answers: dict[str, str], language: str, fallback: str) -> tuple[str, str]:
    """The answer in the user's language, else the workspace's, else English, else any."""
    for lang in (language, fallback, "en"):
        if lang and answers.get(lang):
            return lang, answers[lang]
    lang = next(iter(answers))
    return lang, answers[lang]


def reply_text(answer_language: str, answer: str, name: str) -> str:
    greeting = GREETINGS.get(answer_language, GREETINGS["en"])
    return f"{greeting.format(name=name)}\n\n{answer}" if name else answer


@transaction.atomic
def do_record_answer(
    membership: Membership, topic: FeedbackTopic, answers: dict[str, str]
) -> AnswerOutcome:
    """Record the company's answer (per language) and draft a reply to every user of the
    topic not yet told, in their language and by name. Drafted again, an earlier draft of the
    same topic is updated, never doubled."""
    require(membership, Perm.REPLY_INBOX)
    topic = _own(membership, topic)
    answers = _clean_answers(answers)
    workspace = membership.workspace
    if not answers:
        raise ActionError(_("Write the company's answer first."), code="answer_missing")
    topic.company_answers = answers
    topic.company_answer = choose_answer(answers, workspace.language, "en")[1]
    topic.answered_at = timezone.now()
    topic.answered_by = membership.user
    if topic.status in (TopicStatus.NEW, TopicStatus.FORWARDED, TopicStatus.INFORMED):
        topic.status = TopicStatus.ANSWERED
    topic.save()
    waits = InboxSettings.objects.filter(workspace=workspace, replies_need_approval=True).exists()
    status = ReplyStatus.PENDING_APPROVAL if waits else ReplyStatus.DRAFT
    drafted = 0
    seen: set[int] = set()
    items = uninformed(topic).select_related("message__conversation", "message__contact")
    for item in items.order_by("created_at", "id"):
        message = item.message
        assert message is not None  # uninformed() holds only items with their message
        if message.conversation_id in seen:
            continue
        seen.add(message.conversation_id)
        name = _name_of(message)
        lang, answer = choose_answer(answers, item.language, workspace.language)
        text = reply_text(lang, answer, name)
        existing = Reply.objects.filter(
            feedback_topic=topic,
            conversation_id=message.conversation_id,
            status__in=(ReplyStatus.DRAFT, ReplyStatus.PENDING_APPROVAL),
        ).first()
        if existing is not None:
            existing.text = text
            existing.save(update_fields=["text"])
        else:
            Reply.objects.create(
                workspace=workspace,
                conversation_id=message.conversation_id,
                in_reply_to=message,
                text=text,
                status=status,
                author=membership.user,
                feedback_topic=topic,
            )
        drafted += 1
    _audit(membership, "inbox.topic_answer", topic, languages=sorted(answers), drafted=drafted)
    return AnswerOutcome(topic, drafted)


def _name_of(message: Any) -> str:
    contact = message.contact
    name = (contact.display_name if contact else "") or message.author_name
    return " ".join(name.split()[:1]) if name else ""


def topic_drafts(topic: FeedbackTopic) -> list[Reply]:
    return list(
        Reply.objects.filter(feedback_topic=topic, status=ReplyStatus.DRAFT)
        .select_related("conversation__account")
        .order_by("id")
    )


@dataclass(frozen=True)
class SendOutcome:
    queued: int
    problems: list[str]


def do_send_all_drafts(membership: Membership, topic: FeedbackTopic) -> SendOutcome:
    """Queue every draft of the topic through the inbox's reply sending; one that fails its
    checks stays a draft on its conversation and is named in the outcome."""
    from townsquare.inbox.reply_actions import do_send_draft

    require(membership, Perm.REPLY_INBOX)
    if topic.workspace_id != membership.workspace_id:
        raise ActionError(_("This topic is not in this workspace."), code="not_found", status=404)
    queued = 0
    problems: list[str] = []
    for draft in topic_drafts(topic):
        try:
            do_send_draft(membership, draft)
        except ActionError as error:
            problems.append(f"{draft.conversation_id}: {error.message}")
        else:
            queued += 1
    record(
        actor=membership.user,
        action="inbox.topic_send_drafts",
        target=topic,
        workspace=membership.workspace,
        after={"queued": queued, "problems": len(problems)},
    )
    return SendOutcome(queued, problems)
