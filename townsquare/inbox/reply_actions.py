"""Answering from Townsquare: a reply is checked by the composer's validator for the
account's network, waits for approval where the workspace wants it, and is sent in the
background through the account's connector, in the thread it answers.

A private conversation is only ever answered privately: the connector is handed the
message as a direct one, whatever kind it was stored as. Sending is idempotent: the task
works from the Reply row (its id is the task's argument, a sent reply is never sent again)
and the connectors find an earlier identical answer by its text digest, so "try again"
after an unclear outcome cannot post twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.content.service import account_rules, workspace_overrides
from townsquare.content.validate import VariantInput, validate_variant
from townsquare.inbox.models import (
    Conversation,
    InboxSettings,
    Message,
    MessageKind,
    Reply,
    ReplyStatus,
    Viewing,
)
from townsquare.inbox.private_reply_window import (
    account_may_answer_privately,
    not_permitted_text,
    private_reply_refusal,
)
from townsquare.inbox.register import mark_informed
from townsquare.inbox.sla import mark_responded
from townsquare.lib.errors import ActionError
from townsquare.networks.base import InboxMessage, InboxSource, Reauth, Rejected, RetryLater
from townsquare.networks.credentials import credentials_for
from townsquare.networks.demo_transport import published_address
from townsquare.networks.registry import UnknownNetwork, get_publisher
from townsquare.notifications.notify import notify
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

logger = logging.getLogger(__name__)

MAX_REPLY_CHARS = 20_000
# Someone who opened the reply box this recently is still answering.
COLLISION_WINDOW = timedelta(minutes=2)


class ReplyInvalid(ActionError):
    """The network would refuse the text: nothing is stored or sent."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems), code="reply_invalid", status=422)
        self.problems = problems


class SomeoneElseAnswering(ActionError):
    """Another member is answering the same conversation: confirm to answer anyway."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            _("%(names)s is answering this conversation too. Send anyway?")
            % {"names": ", ".join(names)},
            code="collision",
            status=409,
        )
        self.names = names


@dataclass(frozen=True)
class ReplyOutcome:
    reply: Reply
    message: str


def _audit(actor: Any, action: str, target: Any, workspace: Any, **after: Any) -> None:
    record(actor=actor, action=action, target=target, workspace=workspace, after=after or None)


def conversation_url(conversation: Conversation) -> str:
    return reverse(
        "inbox_conversation",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )


def _tell(conversation: Conversation, users: list[Any], kind: str, title: str, body: str) -> None:
    people = [u for u in users if u is not None]
    if people:
        notify(
            conversation.workspace,
            kind=kind,
            title=title,
            body=body,
            url=conversation_url(conversation),
            to=people,
            payload={"conversation_id": conversation.pk},
        )


# --- checks ---------------------------------------------------------------------------------


def clean_reply_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ActionError(_("Write the answer first."), code="reply_required", status=422)
    if len(text) > MAX_REPLY_CHARS:
        raise ActionError(
            _("An answer takes up to %(max)s characters.") % {"max": MAX_REPLY_CHARS},
            code="reply_too_long",
            status=422,
        )
    return text


def reply_problems(conversation: Conversation, text: str) -> list[str]:
    """The composer's errors for this text on the conversation's account, in the active
    language (warnings do not stop an answer)."""
    rules, _notes = account_rules(conversation.account, workspace_overrides(conversation.workspace))
    german = (translation.get_language() or "").startswith("de")
    return [
        p.message_de if german else p.message_en
        for p in validate_variant(VariantInput(text=text), rules)
        if p.is_error
    ]


def others_answering(conversation: Conversation, user: Any) -> list[str]:
    """Names of the other members who opened the reply box here in the last two minutes."""
    since = timezone.now() - COLLISION_WINDOW
    rows = (
        Viewing.objects.filter(conversation=conversation, typing=True, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("seen_at")
    )
    return [row.user.display_name for row in rows]


def do_mark_answering(membership: Membership, conversation: Conversation) -> list[str]:
    """The member opened the reply box: others see it for two minutes. Returns who else is
    answering."""
    require(membership, Perm.REPLY_INBOX)
    Viewing.objects.update_or_create(
        conversation=conversation,
        user=membership.user,
        defaults={"typing": True, "seen_at": timezone.now()},
    )
    return others_answering(conversation, membership.user)


def _answered_message(conversation: Conversation, in_reply_to: Message | None) -> Message:
    if in_reply_to is not None:
        if in_reply_to.conversation_id != conversation.pk:
            raise ActionError(
                _("That message belongs to another conversation."),
                code="wrong_conversation",
                status=422,
            )
        return in_reply_to
    latest = (
        Message.objects.filter(conversation=conversation)
        .exclude(kind=MessageKind.OUTBOUND)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        raise ActionError(
            _("There is no message from the user to answer."), code="nothing_to_answer", status=422
        )
    return latest


def privately_answered_ids(conversation: Conversation) -> set[int]:
    """The messages of the conversation with a private answer sent or on its way."""
    return set(
        Reply.objects.filter(
            conversation=conversation,
            private=True,
            status__in=(ReplyStatus.PENDING_APPROVAL, ReplyStatus.SENDING, ReplyStatus.SENT),
        ).values_list("in_reply_to_id", flat=True)
    )


def answered_privately(message: Message, *, besides: Reply | None = None) -> bool:
    """A private answer to this comment was sent, or is on its way (waiting for approval or
    being sent): Meta takes one per comment."""
    rows = Reply.objects.filter(
        in_reply_to=message,
        private=True,
        status__in=(ReplyStatus.PENDING_APPROVAL, ReplyStatus.SENDING, ReplyStatus.SENT),
    )
    if besides is not None:
        rows = rows.exclude(pk=besides.pk)
    return rows.exists()


def needs_approval(membership: Membership) -> bool:
    """Where the workspace wants replies approved, a member who may approve posts answers
    directly (there is nobody to wait for); everyone else's answer waits."""
    wanted = InboxSettings.objects.filter(
        workspace=membership.workspace, replies_need_approval=True
    ).exists()
    return wanted and not has_perm(membership.role, Perm.APPROVE_POSTS)


# --- writing --------------------------------------------------------------------------------


def do_reply(
    membership: Membership,
    conversation: Conversation,
    text: str,
    *,
    in_reply_to: Message | None = None,
    confirmed: bool = False,
    private: bool = False,
) -> ReplyOutcome:
    """Check, store and (unless it waits for approval) queue an answer. Raises ReplyInvalid
    with the network's problems (nothing stored), SomeoneElseAnswering unless confirmed.
    `private`: a private answer to a Facebook or Instagram comment (one per comment, within
    7 days), refused here with the reason when it cannot be sent."""
    require(membership, Perm.REPLY_INBOX)
    if conversation.workspace_id != membership.workspace_id:
        raise ActionError(
            _("This conversation is not in this workspace."), code="not_found", status=404
        )
    text = clean_reply_text(text)
    message = _answered_message(conversation, in_reply_to)
    if private:
        refusal = private_reply_refusal(
            conversation.account.network,
            message.kind,
            message.created_at,
            timezone.now(),
            already_sent=answered_privately(message),
        )
        if not refusal and not account_may_answer_privately(conversation.account):
            # The page offers no private answer then; the API is told why instead of the
            # answer failing at Meta.
            refusal = not_permitted_text()
        if refusal:
            raise ActionError(refusal, code="private_reply_refused", status=422)
    problems = reply_problems(conversation, text)
    if problems:
        raise ReplyInvalid(problems)
    if not confirmed:
        names = others_answering(conversation, membership.user)
        if names:
            raise SomeoneElseAnswering(names)
    with transaction.atomic():
        waits = needs_approval(membership)
        reply = Reply.objects.create(
            workspace=membership.workspace,
            conversation=conversation,
            in_reply_to=message,
            text=text,
            author=membership.user,
            status=ReplyStatus.PENDING_APPROVAL if waits else ReplyStatus.SENDING,
            approved_by=None if waits else membership.user,
            private=private,
        )
        Viewing.objects.filter(conversation=conversation, user=membership.user).update(typing=False)
        _audit(membership.user, "inbox.reply", reply, membership.workspace, status=reply.status)
        if waits:
            _tell_approvers(membership, conversation, reply)
            return ReplyOutcome(reply, _("Your answer waits for approval."))
        _queue(reply)
    return ReplyOutcome(reply, _("Your answer is being sent."))


def _tell_approvers(membership: Membership, conversation: Conversation, reply: Reply) -> None:
    approvers = [
        m.user
        for m in Membership.objects.filter(workspace=membership.workspace).select_related("user")
        if has_perm(m.role, Perm.APPROVE_POSTS) and m.user_id != membership.user_id
    ]
    _tell(
        conversation,
        approvers,
        "inbox_reply_approval",
        _("%(person)s's answer waits for your approval") % {"person": membership.user.display_name},
        reply.text,
    )


def _queue(reply: Reply) -> None:
    reply_id = reply.pk
    transaction.on_commit(lambda: send_reply.enqueue(reply_id))


@transaction.atomic
def do_send_draft(membership: Membership, reply: Reply) -> ReplyOutcome:
    """Send a drafted answer (the register drafts them): checked like any answer, then it
    waits for approval or goes out."""
    require(membership, Perm.REPLY_INBOX)
    reply = (
        Reply.objects.select_for_update().select_related("conversation__account").get(pk=reply.pk)
    )
    if reply.workspace_id != membership.workspace_id or reply.status != ReplyStatus.DRAFT:
        raise ActionError(_("This answer is not a draft any more."), code="not_a_draft", status=409)
    problems = reply_problems(reply.conversation, reply.text)
    if problems:
        raise ReplyInvalid(problems)
    if needs_approval(membership):
        reply.status = ReplyStatus.PENDING_APPROVAL
        reply.save(update_fields=["status"])
        _tell_approvers(membership, reply.conversation, reply)
        message = _("The answer waits for approval.")
    else:
        reply.status = ReplyStatus.SENDING
        reply.approved_by = membership.user
        reply.save(update_fields=["status", "approved_by"])
        _queue(reply)
        message = _("The answer is being sent.")
    _audit(membership.user, "inbox.reply_send", reply, membership.workspace, status=reply.status)
    return ReplyOutcome(reply, message)


def _decidable(membership: Membership, reply: Reply) -> Reply:
    require(membership, Perm.APPROVE_POSTS)
    locked = (
        Reply.objects.select_for_update().select_related("conversation__workspace").get(pk=reply.pk)
    )
    if locked.workspace_id != membership.workspace_id:
        raise ActionError(_("This answer is not in this workspace."), code="not_found", status=404)
    if locked.status != ReplyStatus.PENDING_APPROVAL:
        raise ActionError(
            _("This answer is not waiting for approval."), code="not_pending", status=409
        )
    return locked


@transaction.atomic
def do_approve_reply(membership: Membership, reply: Reply) -> ReplyOutcome:
    reply = _decidable(membership, reply)
    reply.status = ReplyStatus.SENDING
    reply.approved_by = membership.user
    reply.save(update_fields=["status", "approved_by"])
    _audit(membership.user, "inbox.reply_approve", reply, membership.workspace)
    _tell(
        reply.conversation,
        [reply.author] if reply.author_id != membership.user_id else [],
        "inbox_reply_approved",
        _("%(person)s approved your answer; it is being sent")
        % {"person": membership.user.display_name},
        reply.text,
    )
    _queue(reply)
    return ReplyOutcome(reply, _("Approved: the answer is being sent."))


@transaction.atomic
def do_reject_reply(membership: Membership, reply: Reply, reason: str = "") -> ReplyOutcome:
    reply = _decidable(membership, reply)
    reason = (reason or "").strip()[:2000]
    reply.status = ReplyStatus.REJECTED
    reply.approved_by = membership.user
    reply.error = reason
    reply.save(update_fields=["status", "approved_by", "error"])
    _audit(membership.user, "inbox.reply_reject", reply, membership.workspace, reason=reason)
    _tell(
        reply.conversation,
        [reply.author] if reply.author_id != membership.user_id else [],
        "inbox_reply_rejected",
        _("%(person)s did not approve your answer") % {"person": membership.user.display_name},
        reason or reply.text,
    )
    return ReplyOutcome(reply, _("The answer was not approved; its author is told."))


@transaction.atomic
def do_retry_reply(membership: Membership, reply: Reply) -> ReplyOutcome:
    """Send a failed answer again (safe: the connector finds an identical earlier answer)."""
    require(membership, Perm.REPLY_INBOX)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.workspace_id != membership.workspace_id:
        raise ActionError(_("This answer is not in this workspace."), code="not_found", status=404)
    if reply.status != ReplyStatus.FAILED:
        raise ActionError(
            _("Only an answer that failed can be sent again."), code="not_failed", status=409
        )
    reply.status = ReplyStatus.SENDING
    reply.error = ""
    reply.save(update_fields=["status", "error"])
    _audit(membership.user, "inbox.reply_retry", reply, membership.workspace)
    _queue(reply)
    return ReplyOutcome(reply, _("The answer is being sent again."))


# --- sending (background) -------------------------------------------------------------------


def inbox_message_of(message: Message, *, private: bool) -> InboxMessage:
    """The connector's view of the message answered. Private: always a direct message, so
    the connector answers privately and never in public."""
    kind = "direct" if private or message.kind == MessageKind.DIRECT else message.kind
    if kind not in ("mention", "comment", "reply", "direct"):
        kind = "mention"
    return InboxMessage(
        network_message_id=message.network_message_id,
        conversation_id=message.conversation.network_conversation_id,
        kind=kind,  # type: ignore[arg-type]
        author_handle=message.author_handle,
        author_name=message.author_name,
        text=message.text,
        created_at=message.created_at,
        url=message.url,
        in_reply_to_id=message.in_reply_to_id,
    )


def _connector(reply: Reply) -> InboxSource:
    try:
        connector = get_publisher(reply.conversation.account.network)
    except UnknownNetwork:
        connector = None
    if not isinstance(connector, InboxSource):
        raise Rejected(_("Townsquare cannot answer on this network."), code="no_inbox_connector")
    return connector


@task
def send_reply(reply_id: int) -> str:
    reply = (
        Reply.objects.select_related(
            "conversation__account", "conversation__workspace", "in_reply_to__conversation"
        )
        .filter(pk=reply_id)
        .first()
    )
    if reply is None:
        return "gone"
    if reply.status != ReplyStatus.SENDING or reply.sent_message_id is not None:
        return str(reply.status)  # sent, rejected, failed: nothing to do (a repeated task)
    conversation = reply.conversation
    language = conversation.workspace.language or "en"
    with translation.override(language):
        try:
            connector = _connector(reply)
            creds = credentials_for(conversation.account)
            if reply.private:
                result = _send_privately(connector, creds, reply)
            else:
                result = connector.reply(
                    creds,
                    inbox_message_of(reply.in_reply_to, private=conversation.is_private),
                    reply.text,
                )
        except Reauth as error:
            if permission := getattr(error, "permission", ""):
                return _failed(
                    reply,
                    _(
                        "The network refused the answer: the account lacks the permission "
                        "%(permission)s. Connect it again in Settings > Accounts and grant it, "
                        "or answer publicly."
                    )
                    % {"permission": permission},
                )
            return _failed(
                reply,
                _(
                    "The network no longer accepts the account's login. Connect it again in "
                    "Settings > Accounts, then try again."
                ),
            )
        except Rejected as error:
            if error.code == "private_reply_refused":
                return _failed(reply, str(error))  # our own check, already in words
            return _failed(reply, _("The network refused the answer: %(why)s") % {"why": error})
        except RetryLater:
            return _failed(reply, _("The network is busy. Try again in a few minutes."))
        except Exception as error:
            logger.warning("reply %s: sending failed: %s", reply_id, error)
            return _failed(
                reply,
                _(
                    "It is not clear whether the answer arrived. Trying again is safe: an "
                    "answer that did arrive is found, not sent twice."
                ),
            )
    return _sent(reply, result, published_address(creds, result.network_post_id, result.url))


def _send_privately(connector: InboxSource, creds: Any, reply: Reply) -> Any:
    """The private answer through the connector's `private_reply`, checked again first: the
    7 days may have passed while it waited for approval, or another one went out."""
    message = reply.in_reply_to
    refusal = private_reply_refusal(
        reply.conversation.account.network,
        message.kind,
        message.created_at,
        timezone.now(),
        already_sent=answered_privately(message, besides=reply),
    )
    private_reply = getattr(connector, "private_reply", None)
    if not refusal and private_reply is None:
        refusal = _("Townsquare cannot answer privately on this network.")
    if refusal:
        raise Rejected(refusal, code="private_reply_refused")
    return private_reply(creds, inbox_message_of(message, private=False), reply.text)


def _failed(reply: Reply, error: str) -> str:
    updated = Reply.objects.filter(pk=reply.pk, status=ReplyStatus.SENDING).update(
        status=ReplyStatus.FAILED, error=error
    )
    if updated:
        with translation.override(reply.conversation.workspace.language or "en"):
            _tell(
                reply.conversation,
                [reply.author],
                "inbox_reply_failed",
                _("Your answer could not be sent"),
                error,
            )
    return "failed"


def _sent(reply: Reply, result: Any, url: str) -> str:
    """The answer stored as sent, at `url` (a demo connection's answer keeps a demo address:
    the network's own address that its connector builds leads nowhere)."""
    conversation = reply.conversation
    now = timezone.now()
    with transaction.atomic():
        locked = Reply.objects.select_for_update().get(pk=reply.pk)
        if locked.status != ReplyStatus.SENDING:
            return str(locked.status)
        sent, _created = Message.objects.get_or_create(
            account=conversation.account,
            network_message_id=result.network_post_id,
            defaults={
                "workspace": conversation.workspace,
                "conversation": conversation,
                "in_reply_to_id": reply.in_reply_to.network_message_id,
                "url": url[:1000],
                "kind": MessageKind.OUTBOUND,
                "author_handle": conversation.account.handle,
                "author_name": conversation.account.display_name,
                "text": reply.text,
                "created_at": result.published_at or now,
                "sent_by": reply.author,
            },
        )
        locked.status = ReplyStatus.SENT
        locked.sent_message = sent
        locked.sent_at = now
        locked.error = ""
        locked.save(update_fields=["status", "sent_message", "sent_at", "error"])
        Conversation.objects.filter(pk=conversation.pk).update(
            waiting_since=None, last_message_at=max(conversation.last_message_at, now)
        )
        mark_responded(conversation, now)
        mark_informed(locked, now)
        _audit(
            None,
            "inbox.reply_sent",
            locked,
            conversation.workspace,
            network_id=sent.network_message_id,
        )
    return "sent"
