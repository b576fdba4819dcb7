"""Privacy of the people who write to the workspace: retention (old messages anonymised),
everything about one contact for an export, and deleting a contact's data on request.

Anonymising keeps the rows (a message's kind, time, triage labels; a register item's topic
and category) so that counts, trends and the register stay true, and removes what names or
quotes a person: the text, the author's handle and name, links, the triage's reasons (which
quote words), the item's sentence embedding. A contact is anonymised once none of its
messages can identify anyone any more.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from townsquare.inbox.models import (
    Contact,
    Conversation,
    FeedbackItem,
    InboxSettings,
    InternalNote,
    Message,
    Reply,
)

# What an anonymised message or note says instead of its text (the same in every language:
# exports and the API show it as it is).
ANONYMISED = "[anonymised]"


def identifiable(messages: QuerySet[Message]) -> QuerySet[Message]:
    return messages.exclude(text=ANONYMISED, author_handle="")


def _anonymise_messages(messages: QuerySet[Message], now: datetime) -> int:
    ids = list(identifiable(messages).values_list("pk", flat=True))
    if not ids:
        return 0
    Message.objects.filter(pk__in=ids).update(
        text=ANONYMISED, author_handle="", author_name="", url="", triage={}, corrected={}
    )
    FeedbackItem.objects.filter(message_id__in=ids).update(embedding=None, anonymised_at=now)
    Reply.objects.filter(Q(in_reply_to_id__in=ids) | Q(sent_message_id__in=ids)).update(
        text=ANONYMISED, error=""
    )
    return len(ids)


def anonymise_contact(contact: Contact, now: datetime) -> None:
    Contact.objects.filter(pk=contact.pk).update(
        handle=f"anonymised-{contact.pk}",
        display_name="",
        follower_count=None,
        language="",
        anonymised_at=now,
    )


def _anonymise_contacts_without_identifiable_messages(workspace_id: int, now: datetime) -> int:
    still = identifiable(Message.objects.filter(workspace_id=workspace_id, contact__isnull=False))
    contacts = Contact.objects.filter(workspace_id=workspace_id, anonymised_at__isnull=True)
    contacts = contacts.exclude(pk__in=still.values("contact_id"))
    count = 0
    for contact in contacts.only("pk"):
        anonymise_contact(contact, now)
        count += 1
    return count


def apply_retention(settings: InboxSettings, now: datetime | None = None) -> dict[str, int]:
    """Anonymise the workspace's messages older than its retention (nothing when it keeps
    them). Only contacts who wrote something are considered; a contact with a recent message
    stays as they are."""
    now = now or timezone.now()
    if not settings.retention_days:
        return {"messages": 0, "contacts": 0}
    cutoff = now - timedelta(days=settings.retention_days)
    with transaction.atomic():
        old = Message.objects.filter(workspace_id=settings.workspace_id, created_at__lt=cutoff)
        messages = _anonymise_messages(old, now)
        contacts = (
            _anonymise_contacts_without_identifiable_messages(settings.workspace_id, now)
            if messages
            else 0
        )
    return {"messages": messages, "contacts": contacts}


# --- one contact --------------------------------------------------------------------------------


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def mentions_contact(contact: Contact) -> Q:
    """Notes on the contact's conversations, and notes elsewhere naming their handle."""
    q = Q(conversation__contact=contact)
    if contact.handle:
        q |= Q(text__icontains=contact.handle)
    return q


def contact_export(contact: Contact) -> dict[str, Any]:
    """Everything the workspace holds about one person, as JSON-ready data."""
    conversations = Conversation.objects.filter(
        Q(contact=contact) | Q(messages__contact=contact)
    ).distinct()
    messages = Message.objects.filter(Q(contact=contact) | Q(conversation__in=conversations))
    notes = InternalNote.objects.filter(workspace_id=contact.workspace_id).filter(
        mentions_contact(contact)
    )
    items = FeedbackItem.objects.filter(message__in=messages).select_related("topic")
    return {
        "contact": {
            "id": contact.pk,
            "network": contact.network,
            "handle": contact.handle,
            "name": contact.display_name,
            "language": contact.language,
            "followers": contact.follower_count,
            "first_seen_at": _when(contact.first_seen_at),
            "last_seen_at": _when(contact.last_seen_at),
            "anonymised_at": _when(contact.anonymised_at),
        },
        "conversations": [
            {
                "id": c.pk,
                "account": c.account.handle,
                "network": c.account.network,
                "private": c.is_private,
                "status": c.status,
                "category": c.category,
                "sentiment": c.sentiment,
                "labels": c.labels,
                "first_message_at": _when(c.first_message_at),
                "last_message_at": _when(c.last_message_at),
            }
            for c in conversations.select_related("account").order_by("pk")
        ],
        "messages": [
            {
                "id": m.pk,
                "conversation_id": m.conversation_id,
                "kind": m.kind,
                "from_contact": m.contact_id == contact.pk,
                "author_handle": m.author_handle,
                "author_name": m.author_name,
                "text": m.text,
                "url": m.url,
                "created_at": _when(m.created_at),
                "language": m.language,
                "category": m.category,
                "sentiment": m.sentiment,
                "urgency": m.urgency,
            }
            for m in messages.order_by("created_at", "pk")
        ],
        "notes": [
            {
                "id": n.pk,
                "conversation_id": n.conversation_id,
                "text": n.text,
                "created_at": _when(n.created_at),
            }
            for n in notes.order_by("created_at", "pk")
        ],
        "register_items": [
            {
                "id": i.pk,
                "message_id": i.message_id,
                "topic": i.topic.title if i.topic else None,
                "category": i.category,
                "language": i.language,
                "informed_at": _when(i.informed_at),
                "created_at": _when(i.created_at),
            }
            for i in items.order_by("created_at", "pk")
        ],
    }


def delete_contact_data(contact: Contact, now: datetime | None = None) -> dict[str, int]:
    """Delete what the person wrote and what names them; keep anonymous counts. Their
    messages are removed (their register items stay in their topics without a message), the
    answers in their conversations and the notes there are anonymised, the contact too."""
    now = now or timezone.now()
    with transaction.atomic():
        own = Message.objects.filter(contact=contact)
        FeedbackItem.objects.filter(message__in=own).update(
            embedding=None, anonymised_at=now, message=None
        )
        deleted = own.count()
        own.delete()
        rest = Message.objects.filter(conversation__contact=contact)
        anonymised = _anonymise_messages(rest, now)
        notes = InternalNote.objects.filter(workspace_id=contact.workspace_id).filter(
            mentions_contact(contact)
        )
        note_count = notes.update(text=ANONYMISED)
        anonymise_contact(contact, now)
    return {"deleted_messages": deleted, "anonymised_messages": anonymised, "notes": note_count}
