"""Forwarding a conversation to a company department: by e-mail (Django's mail) or by a
webhook signed per the Standard Webhooks convention, as a background task.

Each way of reaching the department is one Forward row. A try that fails for a reason that
may pass (a timeout, a 5xx, a 429) is tried again later by the scheduler job
(`retry_due_forwards`) with growing pauses; after MAX_ATTEMPTS, or at once for a reason that
will not pass (an address refused, a 4xx, no address), the forward is `failed` with its
error on the conversation and the workspace's managers are told. Never a silent loop.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.inbox.models import (
    Conversation,
    Department,
    Forward,
    ForwardStatus,
    Message,
    MessageKind,
    Rule,
)
from townsquare.lib.crypto import KeyRing, SecretsUnavailable
from townsquare.lib.http import UnsafeTarget, outbound_client
from townsquare.notifications.notify import notify
from townsquare.notifications.webhooks import masked, redact

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format of the secret, not one)
EVENT_TYPE = "inbox.conversation.forwarded"
# Pauses before the 2nd, 3rd... try; the forward fails after the last.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
THREAD_MESSAGES = 20
TIMEOUT = httpx.Timeout(10.0)


class PermanentFailure(Exception):
    """A reason that another try will not change."""


# --- Standard Webhooks ---------------------------------------------------------------------


def generate_secret() -> str:
    """`whsec_` and 24 random bytes in base64, the convention's secret format."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of
    `id.timestamp.body`, keyed with the secret's base64 part decoded."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def _key_ring() -> KeyRing:
    return KeyRing(settings.FIELD_ENCRYPTION_KEYS)


def seal_secret(secret: str) -> str:
    return _key_ring().encrypt(secret)


def department_secret(department: Department) -> str:
    return _key_ring().decrypt(department.webhook_secret_encrypted)


# --- creating forwards ----------------------------------------------------------------------


def forward_conversation(
    conversation: Conversation,
    department: Department,
    *,
    rule: Rule | None = None,
    by: Any = None,
    note: str = "",
) -> list[Forward]:
    """One Forward per way the department is reached, each sent by a worker after commit.
    A department with neither address gets a failed forward that says so."""
    channels = [
        name
        for name, address in (("email", department.email), ("webhook", department.webhook_url))
        if address
    ]
    forwards = []
    for channel in channels or ["email"]:
        forward = Forward.objects.create(
            workspace_id=conversation.workspace_id,
            conversation=conversation,
            department=department,
            rule=rule,
            forwarded_by=by if getattr(by, "is_authenticated", False) else None,
            note=note,
            channel=channel,
        )
        forwards.append(forward)
        if not channels:
            _fail(forward, _no_address_error())
            continue
        transaction.on_commit(lambda pk=forward.pk: deliver_forward.enqueue(pk))
    return forwards


def _no_address_error() -> str:
    return "The department has neither an e-mail nor a webhook address."


@task
def deliver_forward(forward_id: int) -> str:
    return attempt_forward(forward_id)


def attempt_forward(forward_id: int, now: datetime | None = None) -> str:
    """One try; returns the forward's status afterwards."""
    moment = now or timezone.now()
    forward = (
        Forward.objects.select_related("department", "conversation__workspace", "rule")
        .filter(pk=forward_id, status=ForwardStatus.PENDING)
        .first()
    )
    if forward is None:
        return "gone"
    Forward.objects.filter(pk=forward.pk).update(
        attempts=forward.attempts + 1, next_attempt_at=None
    )
    forward.attempts += 1
    try:
        if forward.channel == "webhook":
            _send_webhook(forward, moment)
        else:
            _send_email(forward)
    except PermanentFailure as failure:
        _fail(forward, str(failure))
        return ForwardStatus.FAILED
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        if forward.channel == "webhook":
            reason = redact(reason, forward.department.webhook_url)
        if forward.attempts >= MAX_ATTEMPTS:
            _fail(forward, reason)
            return ForwardStatus.FAILED
        retry_at = moment + RETRY_DELAYS[forward.attempts - 1]
        Forward.objects.filter(pk=forward.pk).update(error=reason[:1000], next_attempt_at=retry_at)
        return ForwardStatus.PENDING
    Forward.objects.filter(pk=forward.pk).update(
        status=ForwardStatus.SENT, sent_at=timezone.now(), error=""
    )
    return ForwardStatus.SENT


def _fail(forward: Forward, reason: str) -> None:
    """Failed for good: kept on the conversation with its reason, managers told."""
    with transaction.atomic():
        updated = (
            Forward.objects.filter(pk=forward.pk)
            .exclude(status=ForwardStatus.FAILED)
            .update(status=ForwardStatus.FAILED, error=reason[:1000], next_attempt_at=None)
        )
        if not updated:
            return
        conversation = forward.conversation
        workspace = conversation.workspace
        from townsquare.inbox.sla import conversation_path

        with translation.override(workspace.language):
            title = _("A conversation could not be forwarded to %(department)s") % {
                "department": forward.department.name
            }
        notify(
            workspace,
            kind="inbox_forward_failed",
            title=title,
            body=reason[:500],
            url=conversation_path(conversation),
            also=[forward.forwarded_by] if forward.forwarded_by_id else (),
            payload={"conversation": conversation.pk, "forward": forward.pk},
        )


def retry_due_forwards(now: datetime | None = None) -> int:
    """The scheduler's part: hand every forward whose pause is over to a worker. The claim
    (clearing `next_attempt_at`) is a compare-and-set, so two schedulers never both do."""
    moment = now or timezone.now()
    due = Forward.objects.filter(
        status=ForwardStatus.PENDING, next_attempt_at__lte=moment
    ).values_list("pk", "next_attempt_at")[:200]
    handed = 0
    for pk, at in list(due):
        if Forward.objects.filter(pk=pk, next_attempt_at=at).update(next_attempt_at=None):
            deliver_forward.enqueue(pk)
            handed += 1
    return handed


def next_retry_in(now: datetime | None = None) -> float | None:
    moment = now or timezone.now()
    soonest = (
        Forward.objects.filter(status=ForwardStatus.PENDING, next_attempt_at__isnull=False)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return None if soonest is None else max((soonest - moment).total_seconds(), 0.0)


# --- what is sent -------------------------------------------------------------------------


def context_of(forward: Forward) -> dict[str, Any]:
    """The conversation with its thread, contact and triage, as JSON for both channels."""
    from townsquare.inbox.sla import conversation_path

    conversation = forward.conversation
    contact = conversation.contact
    thread = list(
        Message.objects.filter(conversation=conversation).order_by("-created_at", "-id")[
            :THREAD_MESSAGES
        ]
    )[::-1]
    latest = next((m for m in reversed(thread) if m.kind != MessageKind.OUTBOUND), None)
    contact_data = None
    if contact is not None:
        contact_data = {
            "network": contact.network,
            "handle": contact.handle,
            "name": contact.display_name,
            "followers": contact.follower_count,
            "conversations": contact.conversations.count(),
            "first_seen_at": contact.first_seen_at.isoformat(),
        }
    return {
        "conversation": {
            "id": conversation.pk,
            "url": f"{settings.SITE_URL}{conversation_path(conversation)}",
            "network": conversation.account.network,
            "account": conversation.account.handle,
            "private": conversation.is_private,
            "category": conversation.category,
            "sentiment": conversation.sentiment,
            "urgency": conversation.urgency,
            "priority": conversation.priority,
            "labels": list(conversation.labels),
        },
        "department": forward.department.name,
        "rule": forward.rule.name if forward.rule else "",
        "note": forward.note,
        "contact": contact_data,
        "thread": [
            {
                "author": m.author_name or m.author_handle,
                "handle": m.author_handle,
                "kind": m.kind,
                "text": m.text,
                "created_at": m.created_at.isoformat(),
                "url": m.url,
            }
            for m in thread
        ],
        "triage": {
            "language": latest.language if latest else "",
            "category": latest.category if latest else "",
            "sentiment": latest.sentiment if latest else "",
            "urgency": latest.urgency if latest else 0,
            "details": latest.triage if latest else {},
        },
    }


def _send_webhook(forward: Forward, moment: datetime) -> None:
    department = forward.department
    url = department.webhook_url
    if not url:
        raise PermanentFailure("The department has no webhook address any more.")
    try:
        secret = department_secret(department)
    except SecretsUnavailable:
        raise PermanentFailure("The webhook secret cannot be read; create a new one.") from None
    body = json.dumps(
        {"type": EVENT_TYPE, "timestamp": moment.isoformat(), "data": context_of(forward)},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    # The same id on every try, as the convention asks, so a receiver can drop repeats.
    webhook_id = f"msg_fwd{forward.pk}"
    timestamp = int(moment.timestamp())
    headers = {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, body),
    }
    try:
        with outbound_client(timeout=TIMEOUT) as http:
            response = http.post(url, content=body, headers=headers)
    except UnsafeTarget as error:
        raise PermanentFailure(redact(str(error), url)) from None
    status = response.status_code
    if 200 <= status < 300:
        return
    reason = f"{masked(url)} answered {status}"
    if status in (408, 409, 425, 429) or status >= 500:
        raise RuntimeError(reason)
    raise PermanentFailure(reason)


def _send_email(forward: Forward) -> None:
    department = forward.department
    if not department.email:
        raise PermanentFailure(_no_address_error())
    data = context_of(forward)
    workspace = forward.conversation.workspace
    with translation.override(workspace.language):
        subject, text = email_text(workspace.name, data)
    EmailMessage(subject, text, None, [department.email]).send()


def email_text(workspace_name: str, data: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of a forward e-mail, in the active language."""
    conversation = data["conversation"]
    contact = data["contact"] or {}
    who = contact.get("name") or contact.get("handle") or _("someone")
    subject = _("[%(workspace)s] Forwarded to %(department)s: a message from %(who)s") % {
        "workspace": workspace_name,
        "department": data["department"],
        "who": who,
    }
    lines = [
        _("%(workspace)s forwards a conversation from %(network)s to %(department)s.")
        % {
            "workspace": workspace_name,
            "network": conversation["network"],
            "department": data["department"],
        }
    ]
    if data["note"]:
        lines += ["", _("Note: %(note)s") % {"note": data["note"]}]
    lines += ["", _("Conversation:")]
    for message in data["thread"]:
        lines.append(f"- {message['author']} ({message['created_at'][:16]}): {message['text']}")
    triage = data["triage"]
    lines += [
        "",
        _(
            "Triage: category %(category)s, sentiment %(sentiment)s, urgency %(urgency)s, "
            "language %(language)s"
        )
        % {
            "category": triage["category"] or "-",
            "sentiment": triage["sentiment"] or "-",
            "urgency": triage["urgency"],
            "language": triage["language"] or "-",
        },
    ]
    if contact:
        lines.append(
            _(
                "Contact: %(name)s (%(handle)s on %(network)s), %(followers)s followers, "
                "%(conversations)s conversations"
            )
            % {
                "name": who,
                "handle": contact["handle"],
                "network": contact["network"],
                "followers": contact["followers"] if contact["followers"] is not None else "?",
                "conversations": contact["conversations"],
            }
        )
    if data["rule"]:
        lines.append(_("Forwarded by the rule: %(rule)s") % {"rule": data["rule"]})
    lines += ["", _("Open it in Townsquare: %(link)s") % {"link": conversation["url"]}]
    return subject, "\n".join(lines)
