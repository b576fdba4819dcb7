"""A person's hand on the triage: correcting a label (which the workspace's model learns
from), assigning, setting status, labels and priority, one conversation or many at once.

Every write checks Perm.TRIAGE_INBOX, runs in one transaction and leaves an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.inbox.models import (
    Conversation,
    ConversationStatus,
    Message,
    Priority,
    Team,
    TriageCorrection,
)
from townsquare.inbox.views_labels import TASK_VALUES
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_LABELS = 20
MAX_LABEL_CHARS = 40
# Conversation fields that follow a corrected message label.
_CONVERSATION_FIELD = {"category": "category", "sentiment": "sentiment"}


def _audit(membership: Membership, action: str, target: Any, **after: Any) -> None:
    record(
        actor=membership.user,
        action=action,
        target=target,
        workspace=membership.workspace,
        after=after or None,
    )


def _own_conversation(membership: Membership, conversation: Conversation) -> None:
    if conversation.workspace_id != membership.workspace_id:
        raise ActionError(
            _("This conversation is not in this workspace."), code="not_found", status=404
        )


@transaction.atomic
def do_correct_label(
    membership: Membership, message: Message, task: str, value: str
) -> TriageCorrection | None:
    """Set a message's category, sentiment or spam flag by hand. The person's label wins over
    the model's (kept when triage runs again), the conversation follows, and the correction
    is kept as an example the workspace's model learns from. None when nothing changed."""
    require(membership, Perm.TRIAGE_INBOX)
    if message.workspace_id != membership.workspace_id:
        raise ActionError(_("This message is not in this workspace."), code="not_found", status=404)
    if task not in TASK_VALUES:
        raise ActionError(
            _("Only the category, the sentiment and the spam flag can be corrected."),
            code="unknown_task",
            status=422,
        )
    if value not in TASK_VALUES[task]:
        raise ActionError(_("Choose one of the offered labels."), code="unknown_label", status=422)
    if not message.inbound:
        raise ActionError(
            _("Our own answers are not triaged."), code="outbound_message", status=422
        )
    message = Message.objects.select_for_update().get(pk=message.pk)
    old = str(getattr(message, task) or "")
    if old == value:
        return None
    corrected = dict(message.corrected) if isinstance(message.corrected, dict) else {}
    corrected[task] = value
    message.corrected = corrected
    setattr(message, task, value)
    message.save(update_fields=[task, "corrected"])
    correction = TriageCorrection.objects.create(
        workspace=membership.workspace,
        message=message,
        task=task,
        old_value=old,
        new_value=value,
        text=message.text,
        user=membership.user,
    )
    conversation = Conversation.objects.select_for_update().get(pk=message.conversation_id)
    if task == "spam":
        conversation.is_spam = value != "ok"
        conversation.save(update_fields=["is_spam"])
    else:
        setattr(conversation, _CONVERSATION_FIELD[task], value)
        conversation.save(update_fields=[_CONVERSATION_FIELD[task]])
    _audit(membership, "inbox.correct_label", message, task=task, old=old, new=value)
    return correction


def _member_user(membership: Membership, user_id: int | None) -> Any:
    if user_id is None:
        return None
    found = (
        Membership.objects.filter(workspace=membership.workspace, user_id=user_id)
        .select_related("user")
        .first()
    )
    if found is None:
        raise ActionError(
            _("Only members of this workspace can be assigned."), code="not_a_member", status=422
        )
    return found.user


def _team(membership: Membership, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    found = Team.objects.filter(workspace=membership.workspace, pk=team_id).first()
    if found is None:
        raise ActionError(_("There is no such team."), code="unknown_team", status=422)
    return found


@transaction.atomic
def do_assign(
    membership: Membership,
    conversations: Sequence[Conversation],
    *,
    user_id: int | None,
    team_id: int | None = None,
) -> int:
    """Assign to a member and/or a team (None for both: unassigned). Returns how many."""
    require(membership, Perm.TRIAGE_INBOX)
    user = _member_user(membership, user_id)
    team = _team(membership, team_id)
    ids = _ids(membership, conversations)
    changed = Conversation.objects.filter(pk__in=ids).update(assignee=user, team=team)
    for conversation in conversations:
        _audit(
            membership,
            "inbox.assign",
            conversation,
            assignee=user.email if user else None,
            team=team.name if team else None,
        )
    return changed


def _ids(membership: Membership, conversations: Sequence[Conversation]) -> list[int]:
    for conversation in conversations:
        _own_conversation(membership, conversation)
    return [c.pk for c in conversations]


@transaction.atomic
def do_set_status(
    membership: Membership, conversations: Sequence[Conversation], status: str
) -> int:
    require(membership, Perm.TRIAGE_INBOX)
    if status not in ConversationStatus.values:
        raise ActionError(_("Choose open, waiting or closed."), code="unknown_status", status=422)
    ids = _ids(membership, conversations)
    closed_at = timezone.now() if status == ConversationStatus.CLOSED else None
    changed = Conversation.objects.filter(pk__in=ids).update(status=status, closed_at=closed_at)
    for conversation in conversations:
        _audit(membership, "inbox.status", conversation, status=status)
    return changed


@transaction.atomic
def do_mark_spam(membership: Membership, conversations: Sequence[Conversation]) -> int:
    """Spam: flagged (its inbound messages too, as corrections the model learns from)
    and closed."""
    require(membership, Perm.TRIAGE_INBOX)
    ids = _ids(membership, conversations)
    for message in Message.objects.filter(conversation_id__in=ids).exclude(kind="outbound"):
        if message.spam != "spam":
            do_correct_label(membership, message, "spam", "spam")
    changed = Conversation.objects.filter(pk__in=ids).update(
        is_spam=True, status=ConversationStatus.CLOSED, closed_at=timezone.now()
    )
    for conversation in conversations:
        _audit(membership, "inbox.mark_spam", conversation)
    return changed


def clean_labels(labels: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for label in labels:
        text = " ".join(str(label).split())
        if not text:
            continue
        if len(text) > MAX_LABEL_CHARS or "\x00" in text:
            raise ActionError(
                _("A label takes up to %(max)s characters.") % {"max": MAX_LABEL_CHARS},
                code="label_too_long",
                status=422,
            )
        if text.casefold() not in (c.casefold() for c in cleaned):
            cleaned.append(text)
    if len(cleaned) > MAX_LABELS:
        raise ActionError(
            _("A conversation takes up to %(max)s labels.") % {"max": MAX_LABELS},
            code="too_many_labels",
            status=422,
        )
    return cleaned


@transaction.atomic
def do_set_labels(
    membership: Membership, conversation: Conversation, labels: Sequence[str]
) -> list[str]:
    require(membership, Perm.TRIAGE_INBOX)
    _own_conversation(membership, conversation)
    cleaned = clean_labels(labels)
    Conversation.objects.filter(pk=conversation.pk).update(labels=cleaned)
    conversation.labels = cleaned
    _audit(membership, "inbox.labels", conversation, labels=cleaned)
    return cleaned


@transaction.atomic
def do_add_label(membership: Membership, conversations: Sequence[Conversation], label: str) -> int:
    """Add one label to many conversations (the bulk action)."""
    require(membership, Perm.TRIAGE_INBOX)
    wanted = clean_labels([label])
    if not wanted:
        raise ActionError(_("Write the label to add."), code="label_required", status=422)
    ids = _ids(membership, conversations)
    changed = 0
    for conversation in Conversation.objects.select_for_update().filter(pk__in=ids):
        labels = clean_labels([*conversation.labels, *wanted])
        if labels != conversation.labels:
            conversation.labels = labels
            conversation.save(update_fields=["labels"])
            changed += 1
            _audit(membership, "inbox.labels", conversation, labels=labels)
    return changed


@transaction.atomic
def do_set_priority(membership: Membership, conversation: Conversation, priority: int) -> None:
    require(membership, Perm.TRIAGE_INBOX)
    _own_conversation(membership, conversation)
    if priority not in Priority.values:
        raise ActionError(_("Choose normal, high or urgent."), code="unknown_priority", status=422)
    Conversation.objects.filter(pk=conversation.pk).update(priority=priority)
    conversation.priority = priority
    _audit(membership, "inbox.priority", conversation, priority=priority)
