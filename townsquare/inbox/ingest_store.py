"""Storing what a network said to an account: each message once, threaded, with its contact
and its triage. The one way messages enter the inbox (poll, demo, benchmark).

Two phases, so that the slow part runs outside any transaction:
- `prepare` drops what must not become an item (our own posts and thread parts, repeats
  within the page, messages stored already), truncates oversized texts and triages the rest
  in one batch call;
- `write` locks the account's cursor row (PostgreSQL: SELECT FOR UPDATE; SQLite: the IMMEDIATE
  transaction), looks again for what another poll stored meanwhile, and stores the rest with
  their contacts and conversations. Two polls that read the same page therefore store each
  message once, and the unique (account, network message id) is the last guard.

The `triage` JSON of a message:
    {"language"|"category"|"sentiment"|"spam": {"value", "confidence", "reasons": [...]},
     "urgency": {"score", "parts": [[code, points], ...]},
     "truncated": bool, "original_length": int (only when truncated)}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count

from townsquare.inbox import register
from townsquare.inbox.learning import model_for
from townsquare.inbox.models import (
    Contact,
    Conversation,
    ConversationStatus,
    InboxCursor,
    Message,
)
from townsquare.inbox.register_grouping import clean_text
from townsquare.inbox.routing import route_new
from townsquare.inbox.row_updates import update_rows
from townsquare.inbox.triage import MessageContext, TriageResult, triage_texts
from townsquare.inbox.triage.features import embed, embedding_input
from townsquare.networks.base import InboxMessage
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

# No network allows a post anywhere near this (Matrix events stop at 64 KiB); a longer text
# is an attack or a fault. Its first MAX_TEXT_CHARS are kept and the cut is recorded.
MAX_TEXT_CHARS = 65_536
TRUNCATED_NOTE = "the message was longer than {limit:,} characters: only its start was kept"
# Lookups of ids with IN (...) go in chunks well under SQLite's parameter limit.
LOOKUP_CHUNK = 500
# Our own posts show up around the time they were published: publications this much older
# than the oldest message of a page cannot be among it.
OWN_POST_WINDOW = timedelta(days=2)
# Which message says most about its conversation, after urgency: complaints before questions.
CATEGORY_WEIGHT = {"complaint": 4, "question": 3, "suggestion": 2, "praise": 1, "other": 0}
SPAM = "spam"
MIN_LANGUAGE_CONFIDENCE = 0.5


@dataclass
class Prepared:
    """A page ready to be written: the new messages with their texts and triage."""

    account: SocialAccount
    messages: list[InboxMessage]
    texts: list[str]
    triage: list[TriageResult]
    truncated: list[int]  # original length of each truncated text, 0 when whole
    # Triage's sentence embedding of each text, handed on to the register (one row each).
    embeddings: np.ndarray | None = None
    skipped_own: int = 0
    repeated: int = 0


@dataclass
class StoreOutcome:
    stored: list[Message] = field(default_factory=list)
    skipped_own: int = 0
    # Seen again (in the same page, stored before, or stored by a poll running alongside).
    repeated: int = 0
    truncated: int = 0


def normalise_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def store_messages(
    account: SocialAccount,
    incoming: Sequence[InboxMessage],
    *,
    after_write: Callable[[], None] | None = None,
) -> StoreOutcome:
    """Store a page of messages of `account`; `after_write` runs in the same transaction
    once they are stored (the poll saves its cursor there, so a crash never skips any)."""
    return write(prepare(account, incoming), after_write=after_write)


def prepare(account: SocialAccount, incoming: Sequence[InboxMessage]) -> Prepared:
    unique: dict[str, InboxMessage] = {}
    for message in incoming:
        unique.setdefault(message.network_message_id, message)
    repeated = len(incoming) - len(unique)
    own_ids = own_post_ids(account, list(unique.values()))
    own_handle = normalise_handle(account.handle)
    fresh: list[InboxMessage] = []
    skipped_own = 0
    for message in unique.values():
        if message.network_message_id in own_ids or (
            normalise_handle(message.author_handle) == own_handle
        ):
            skipped_own += 1
        else:
            fresh.append(message)
    stored = stored_ids(account, [m.network_message_id for m in fresh])
    repeated += len(stored)
    fresh = [m for m in fresh if m.network_message_id not in stored]
    texts = [m.text[:MAX_TEXT_CHARS] for m in fresh]
    truncated = [len(m.text) if len(m.text) > MAX_TEXT_CHARS else 0 for m in fresh]
    prior = prior_complaints(account, {m.author_handle for m in fresh})
    contexts = [MessageContext(prior_complaints=prior.get(m.author_handle, 0)) for m in fresh]
    # The workspace's own model when it trained one on its corrections, else the shipped one.
    model = model_for(account.workspace_id) if fresh else None
    # Embedded once: triage reads the embeddings, and the register groups feedback by them.
    embeddings = embed(texts) if fresh else None
    results = triage_texts(texts, contexts, model=model, embeddings=embeddings) if fresh else []
    return Prepared(account, fresh, texts, results, truncated, embeddings, skipped_own, repeated)


def own_post_ids(account: SocialAccount, messages: Sequence[InboxMessage]) -> set[str]:
    """Network ids of the account's own published posts and thread parts that could be
    among `messages` (a network may list our own answers and thread parts as replies)."""
    if not messages:
        return set()
    oldest = min(m.created_at for m in messages)
    rows = Publication.objects.filter(
        account=account, published_at__gte=oldest - OWN_POST_WINDOW
    ).values_list("external_id", "part_ids")
    ids: set[str] = set()
    for external_id, part_ids in rows:
        if external_id:
            ids.add(external_id)
        ids.update(str(part) for part in part_ids or ())
    return ids


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def stored_ids(account: SocialAccount, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(
            Message.objects.filter(account=account, network_message_id__in=chunk).values_list(
                "network_message_id", flat=True
            )
        )
    return found


def prior_complaints(account: SocialAccount, handles: set[str]) -> dict[str, int]:
    """How many complaints each author has made to the workspace on this network before."""
    counts: dict[str, int] = {}
    for chunk in _chunks(sorted(handles)):
        rows = (
            Message.objects.filter(
                workspace_id=account.workspace_id,
                contact__network=account.network,
                contact__handle__in=chunk,
                category="complaint",
            )
            .values("contact__handle")
            .annotate(n=Count("id"))
        )
        counts.update({row["contact__handle"]: row["n"] for row in rows})
    return counts


def triage_json(result: TriageResult, original_length: int) -> dict[str, Any]:
    def label(value: Any, extra: tuple[str, ...] = ()) -> dict[str, Any]:
        return {
            "value": value.value,
            "confidence": value.confidence,
            "reasons": list(value.reasons) + list(extra),
        }

    note = (TRUNCATED_NOTE.format(limit=MAX_TEXT_CHARS),) if original_length else ()
    data: dict[str, Any] = {
        "language": label(result.language),
        "category": label(result.category, note),
        "sentiment": label(result.sentiment),
        "spam": label(result.spam),
        "urgency": {
            "score": result.urgency.score,
            "parts": [[code, points] for code, points in result.urgency.parts],
        },
        "truncated": bool(original_length),
    }
    if original_length:
        data["original_length"] = original_length
    return data


def write(prepared: Prepared, *, after_write: Callable[[], None] | None = None) -> StoreOutcome:
    account = prepared.account
    outcome = StoreOutcome(skipped_own=prepared.skipped_own, repeated=prepared.repeated)
    InboxCursor.objects.get_or_create(account=account)
    with transaction.atomic():
        # One writer per account at a time: the second of two overlapping polls waits here
        # and then finds the first one's messages stored.
        InboxCursor.objects.select_for_update().filter(account=account).first()
        stored = stored_ids(account, [m.network_message_id for m in prepared.messages])
        rows = [
            (message, text, result, length)
            for message, text, result, length in zip(
                prepared.messages,
                prepared.texts,
                prepared.triage,
                prepared.truncated,
                strict=True,
            )
            if message.network_message_id not in stored
        ]
        outcome.repeated += len(prepared.messages) - len(rows)
        if rows:
            outcome.stored = _write_rows(account, rows)
            outcome.truncated = sum(1 for row in rows if row[3])
            # In the same transaction: a message is stored routed, or not at all.
            route_new(outcome.stored)
            register.record_new(outcome.stored, register_vectors(prepared, outcome.stored))
        if after_write is not None:
            after_write()
    return outcome


def register_vectors(prepared: Prepared, stored: list[Message]) -> list[np.ndarray | None]:
    """Triage's embedding of each stored message, for the register, where the encoder would
    read the same words: the register leaves out handles (and links) where triage reads
    "@user", so a text with a handle is embedded again without it."""
    if prepared.embeddings is None:
        return [None] * len(stored)
    row_of = {m.network_message_id: i for i, m in enumerate(prepared.messages)}
    vectors: list[np.ndarray | None] = []
    for message in stored:
        row = row_of.get(message.network_message_id)
        text = message.text
        same_text = row is not None and embedding_input(clean_text(text)) == embedding_input(text)
        vectors.append(prepared.embeddings[row] if same_text and row is not None else None)
    return vectors


Row = tuple[InboxMessage, str, TriageResult, int]


def _write_rows(account: SocialAccount, rows: list[Row]) -> list[Message]:
    rows.sort(key=lambda row: row[0].created_at)
    contacts = _contacts(account, rows)
    conversations = _conversations(account, rows, contacts)
    messages = [
        Message(
            workspace_id=account.workspace_id,
            conversation=conversations[message.network_message_id],
            account=account,
            network_message_id=message.network_message_id,
            in_reply_to_id=message.in_reply_to_id,
            url=message.url[:1000],
            kind=message.kind,
            contact=contacts[message.author_handle],
            author_handle=message.author_handle[:255],
            author_name=message.author_name[:255],
            text=text,
            created_at=message.created_at,
            language=result.language.value[:8],
            category=result.category.value,
            sentiment=result.sentiment.value,
            spam=result.spam.value,
            urgency=result.urgency.score,
            triage=triage_json(result, length),
            triage_model_version=result.model_version[:64],
        )
        for message, text, result, length in rows
    ]
    Message.objects.bulk_create(messages)
    _update_conversations(messages)
    return messages


def _contacts(account: SocialAccount, rows: list[Row]) -> dict[str, Contact]:
    """The contact of each author (by handle as the network wrote it), created or updated."""
    latest: dict[str, tuple[InboxMessage, TriageResult]] = {}
    first_seen: dict[str, datetime] = {}
    # The newest follower count the network gave; a message without one keeps the last known.
    followers: dict[str, int] = {}
    for message, _text, result, _length in rows:
        latest[message.author_handle] = (message, result)
        first_seen.setdefault(message.author_handle, message.created_at)
        if message.author_followers is not None:
            followers[message.author_handle] = message.author_followers
    handles = sorted(latest)
    found = _existing_contacts(account, handles)
    missing = [h for h in handles if h not in found]
    if missing:
        Contact.objects.bulk_create(
            [
                Contact(
                    workspace_id=account.workspace_id,
                    network=account.network,
                    handle=handle[:255],
                    first_seen_at=first_seen[handle],
                    last_seen_at=first_seen[handle],
                )
                for handle in missing
            ],
            # Another account of the workspace may meet the same person at the same moment.
            ignore_conflicts=True,
        )
        found.update(_existing_contacts(account, missing))
    changed = []
    for handle, (message, result) in latest.items():
        contact = found[handle]
        before = (
            contact.first_seen_at,
            contact.last_seen_at,
            contact.display_name,
            contact.language,
            contact.follower_count,
        )
        contact.first_seen_at = min(contact.first_seen_at, first_seen[handle])
        contact.last_seen_at = max(contact.last_seen_at, message.created_at)
        if message.author_name and not contact.anonymised_at:
            contact.display_name = message.author_name[:255]
        language = result.language
        if language.value != "und" and language.confidence >= MIN_LANGUAGE_CONFIDENCE:
            contact.language = language.value[:8]
        if handle in followers and not contact.anonymised_at:
            contact.follower_count = followers[handle]
        if before != (
            contact.first_seen_at,
            contact.last_seen_at,
            contact.display_name,
            contact.language,
            contact.follower_count,
        ):
            changed.append(contact)
    update_rows(
        Contact,
        ["first_seen_at", "last_seen_at", "display_name", "language", "follower_count"],
        changed,
    )
    return found


def _existing_contacts(account: SocialAccount, handles: Sequence[str]) -> dict[str, Contact]:
    found: dict[str, Contact] = {}
    for chunk in _chunks([h[:255] for h in handles]):
        for contact in Contact.objects.filter(
            workspace_id=account.workspace_id, network=account.network, handle__in=chunk
        ):
            found[contact.handle] = contact
    return {h: found[h[:255]] for h in handles if h[:255] in found}


def _conversations(
    account: SocialAccount, rows: list[Row], contacts: dict[str, Contact]
) -> dict[str, Conversation]:
    """The conversation of each message by its id. An answer to a message we hold joins
    that message's conversation, whatever thread id the network gave it (Mastodon names the
    status answered, not the thread's root)."""
    answered = {m.in_reply_to_id for m, *_ in rows if m.in_reply_to_id}
    known: dict[str, int] = {}
    for chunk in _chunks(sorted(answered)):
        known.update(
            Message.objects.filter(account=account, network_message_id__in=chunk).values_list(
                "network_message_id", "conversation_id"
            )
        )
    by_id: dict[str, Conversation] = {}
    thread_of: dict[str, str] = {}  # message id -> network conversation id, for new ones
    existing: dict[int, Conversation] = {
        c.pk: c for c in Conversation.objects.filter(pk__in=set(known.values()))
    }
    for message, *_ in rows:
        target = message.in_reply_to_id
        if target in known:
            by_id[message.network_message_id] = existing[known[target]]
        elif target in by_id:
            by_id[message.network_message_id] = by_id[target]
        elif message.in_reply_to_id in thread_of:
            thread_of[message.network_message_id] = thread_of[message.in_reply_to_id]
        else:
            thread_of[message.network_message_id] = (
                message.conversation_id or message.network_message_id
            )[:512]
    threads = sorted(set(thread_of.values()))
    stored: dict[str, Conversation] = {}
    for chunk in _chunks(threads):
        for conversation in Conversation.objects.filter(
            account=account, network_conversation_id__in=chunk
        ):
            stored[conversation.network_conversation_id] = conversation
    new = []
    for message, *_ in rows:  # oldest first: the first message names the conversation
        thread = thread_of.get(message.network_message_id)
        if thread is None or thread in stored:
            continue
        conversation = Conversation(
            workspace_id=account.workspace_id,
            account=account,
            network_conversation_id=thread,
            contact=contacts[message.author_handle],
            is_private=message.kind == "direct",
            first_message_at=message.created_at,
            last_message_at=message.created_at,
            # Counted as spam until a message that is not spam arrives.
            is_spam=True,
        )
        stored[thread] = conversation
        new.append(conversation)
    Conversation.objects.bulk_create(new)
    for message_id, thread in thread_of.items():
        by_id[message_id] = stored[thread]
    return by_id


def _telling(urgency: int, category: str) -> tuple[int, int]:
    return urgency, CATEGORY_WEIGHT.get(category, -1)


def _update_conversations(messages: list[Message]) -> None:
    """Labels, clocks and status of each conversation after its new messages (oldest first)."""
    touched: dict[int, Conversation] = {}
    for message in messages:
        conversation = message.conversation
        touched[conversation.pk] = conversation
        is_spam = message.spam == SPAM
        conversation.is_spam = conversation.is_spam and is_spam
        conversation.first_message_at = min(conversation.first_message_at, message.created_at)
        conversation.last_message_at = max(conversation.last_message_at, message.created_at)
        if is_spam and not conversation.is_spam:
            continue  # spam inside a real conversation neither labels it nor starts a clock
        if conversation.category == "" or _telling(message.urgency, message.category) >= (
            _telling(conversation.urgency, conversation.category)
        ):
            conversation.category = message.category
            conversation.sentiment = message.sentiment
            conversation.urgency = message.urgency
        if is_spam:
            continue
        if conversation.waiting_since is None:
            conversation.waiting_since = message.created_at
        if conversation.status == ConversationStatus.CLOSED:
            conversation.status = ConversationStatus.OPEN
            conversation.closed_at = None
    update_rows(
        Conversation,
        [
            "is_spam",
            "first_message_at",
            "last_message_at",
            "category",
            "sentiment",
            "urgency",
            "waiting_since",
            "status",
            "closed_at",
        ],
        list(touched.values()),
    )
