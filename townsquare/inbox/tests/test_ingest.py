"""Storing what networks say to an account: once per message, threaded, with contacts and
triage; our own posts never become items."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from townsquare.content.models import Post, Variant
from townsquare.inbox import ingest_store
from townsquare.inbox.ingest import ingest_account
from townsquare.inbox.ingest_store import MAX_TEXT_CHARS, prepare, store_messages, write
from townsquare.inbox.models import Contact, Conversation, InboxCursor, Message
from townsquare.networks.base import InboxMessage
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def said(
    message_id,
    text,
    *,
    author="jana.bsky.social",
    name="Jana",
    thread="",
    kind="mention",
    answers="",
    minutes=0,
):
    return InboxMessage(
        network_message_id=message_id,
        conversation_id=thread or message_id,
        kind=kind,
        author_handle=author,
        author_name=name,
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        in_reply_to_id=answers,
    )


class PagedInbox:
    """An InboxSource whose pages are given by the test: cursor -> (messages, next cursor)."""

    def __init__(self, pages):
        self.pages = pages
        self.asked = []

    def fetch_inbox(self, creds, cursor):
        self.asked.append(cursor)
        result = self.pages[cursor]
        if isinstance(result, Exception):
            raise result
        return result

    def reply(self, creds, message, text):
        raise NotImplementedError


@pytest.fixture
def account(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="bluesky", handle="@kaffee.bsky.social"
    )


@pytest.fixture
def mastodon(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee@social.example"
    )


def test_a_page_read_twice_is_stored_once(account):
    page = [
        said("at://1", "Wann öffnet ihr morgen?"),
        said("at://2", "Euer Kaffee ist großartig!", minutes=1),
    ]
    first = store_messages(account, page)
    again = store_messages(account, [*page, page[0]])
    assert len(first.stored) == 2
    assert again.stored == [] and again.repeated == 3
    assert Message.objects.filter(account=account).count() == 2


def test_two_polls_reading_the_same_page_at_once_store_each_message_once(account):
    page = [said("at://1", "Habt ihr auch Hafermilch?"), said("at://2", "Danke!", minutes=1)]
    # Both polls read and triage before either writes, as two workers would.
    first, second = prepare(account, page), prepare(account, page)
    assert len(write(second).stored) == 2
    late = write(first)
    assert late.stored == [] and late.repeated == 2
    assert Message.objects.filter(account=account).count() == 2
    assert Conversation.objects.filter(account=account).count() == 2


def test_our_own_posts_and_thread_parts_never_become_items(account, alice):
    post = Post.objects.create(workspace=account.workspace, master_text="Neu", created_by=alice)
    variant = Variant.objects.create(post=post, account=account, text="Neu", parts=["Neu", "2"])
    Publication.objects.create(
        workspace=account.workspace,
        post=post,
        variant=variant,
        account=account,
        status="published",
        external_id="at://own/1",
        part_ids=["at://own/1", "at://own/2"],
        published_at=T0 - timedelta(hours=1),
    )
    outcome = store_messages(
        account,
        [
            said("at://own/2", "Teil zwei unseres Threads", author="someone.else"),
            said("at://own/3", "Unsere Antwort", author="@Kaffee.bsky.social"),
            said("at://them/1", "Schöner Thread!", answers="at://own/2", thread="at://own/1"),
        ],
    )
    assert outcome.skipped_own == 2
    assert [m.network_message_id for m in outcome.stored] == ["at://them/1"]


def test_a_thread_is_one_conversation_and_an_answer_to_a_stored_message_joins_it(account):
    store_messages(account, [said("111", "Wann liefert ihr?", thread="111")])
    store_messages(
        account,
        [
            # Mastodon names the status answered, not the thread's root.
            said("112", "Und nach Österreich?", thread="111", answers="111", minutes=2),
            said("113", "Auch nach Wien?", thread="112", answers="112", minutes=3),
            said("200", "Ganz anderes Thema", thread="200", minutes=4),
        ],
    )
    threads = {m.network_message_id: m.conversation_id for m in Message.objects.all()}
    assert threads["111"] == threads["112"] == threads["113"] != threads["200"]
    conversation = Conversation.objects.get(pk=threads["111"])
    assert conversation.first_message_at == T0
    assert conversation.last_message_at == T0 + timedelta(minutes=3)
    assert conversation.waiting_since == T0, "the oldest unanswered message starts the clock"
    assert not conversation.is_private


def test_a_private_message_is_a_private_conversation(account):
    stored = store_messages(account, [said("dm1", "Darf ich privat fragen?", kind="direct")])
    assert stored.stored[0].conversation.is_private
    assert stored.stored[0].kind == "direct"


def test_one_contact_per_person_and_network_with_their_history(account, mastodon):
    store_messages(account, [said("a1", "Hallo!", name="Jana")])
    store_messages(
        account,
        [said("a2", "Noch eine Frage zu den Bohnen?", name="Jana K.", minutes=30)],
    )
    store_messages(
        mastodon,
        [said("m1", "Hi from Mastodon", author="jana.bsky.social", minutes=5)],
    )
    bluesky_jana = Contact.objects.get(network="bluesky", handle="jana.bsky.social")
    assert bluesky_jana.first_seen_at == T0
    assert bluesky_jana.last_seen_at == T0 + timedelta(minutes=30)
    assert bluesky_jana.display_name == "Jana K."
    assert bluesky_jana.conversations.count() == 2
    assert bluesky_jana.messages.count() == 2
    assert Contact.objects.filter(handle="jana.bsky.social").count() == 2, "one per network"


def test_every_message_is_triaged_and_its_conversation_labelled(account, monkeypatch):
    seen_contexts = []
    real = ingest_store.triage_texts

    def spy(texts, contexts=None, model=None, embeddings=None):
        seen_contexts.extend(contexts or [])
        return real(texts, contexts, model=model, embeddings=embeddings)

    monkeypatch.setattr(ingest_store, "triage_texts", spy)
    complaint = "Meine Bestellung ist schon wieder nicht angekommen. Das ist ärgerlich!"
    first = store_messages(account, [said("c1", complaint)]).stored[0]
    assert first.category and first.sentiment and first.language and first.spam
    assert first.triage_model_version
    assert set(first.triage) >= {"language", "category", "sentiment", "spam", "urgency"}
    assert first.triage["category"]["value"] == first.category
    assert 0 <= first.triage["category"]["confidence"] <= 1
    assert first.triage["truncated"] is False
    conversation = first.conversation
    conversation.refresh_from_db()
    assert (conversation.category, conversation.sentiment, conversation.urgency) == (
        first.category,
        first.sentiment,
        first.urgency,
    )
    Message.objects.filter(pk=first.pk).update(category="complaint")
    store_messages(account, [said("c2", complaint + " Zum dritten Mal!", minutes=9)])
    assert [c.prior_complaints for c in seen_contexts] == [0, 1]


def test_a_new_message_reopens_a_closed_conversation(account):
    stored = store_messages(account, [said("r1", "Wie lange ist die Bohne haltbar?")]).stored
    Conversation.objects.filter(pk=stored[0].conversation_id).update(
        status="closed", closed_at=timezone.now(), waiting_since=None
    )
    store_messages(
        account, [said("r2", "Noch eine Frage dazu?", thread="r1", answers="r1", minutes=5)]
    )
    conversation = Conversation.objects.get(pk=stored[0].conversation_id)
    assert conversation.status == "open" and conversation.closed_at is None
    assert conversation.waiting_since == T0 + timedelta(minutes=5)


def test_a_message_of_a_megabyte_is_kept_truncated_and_says_so(account):
    huge = "Bitte lest das. " + "x" * (1024 * 1024)
    outcome = store_messages(account, [said("big", huge)])
    message = outcome.stored[0]
    message.refresh_from_db()
    assert outcome.truncated == 1
    assert len(message.text) == MAX_TEXT_CHARS and huge.startswith(message.text)
    assert message.triage["truncated"] is True
    assert message.triage["original_length"] == len(huge)
    assert any("longer than" in reason for reason in message.triage["category"]["reasons"])


def test_the_cursor_moves_only_once_the_messages_are_stored(account, monkeypatch):
    source = PagedInbox(
        {
            None: ([said("p1", "Erste Nachricht")], "c1"),
            "c1": ([said("p2", "Zweite Nachricht", minutes=1)], "c2"),
        }
    )
    assert ingest_account(account, source=source).stored == 1
    assert InboxCursor.objects.get(account=account).cursor == "c1"

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_store, "_write_rows", crash)
    failed = ingest_account(account, source=source)
    cursor = InboxCursor.objects.get(account=account)
    assert failed.error and cursor.cursor == "c1" and cursor.failures == 1
    assert "nicht speichern" in cursor.last_error, "in the workspace's language"
    monkeypatch.undo()
    assert ingest_account(account, source=source).stored == 1
    cursor.refresh_from_db()
    assert source.asked == [None, "c1", "c1"]
    assert cursor.cursor == "c2" and cursor.failures == 0 and cursor.last_error == ""
    assert Message.objects.filter(account=account).count() == 2


def test_new_messages_go_to_routing_once_stored(account, monkeypatch):
    routed = []
    monkeypatch.setattr(ingest_store, "route_new", lambda messages: routed.append(list(messages)))
    page = [said("x1", "Wo finde ich eure Preise?"), said("x2", "Danke euch!", minutes=1)]
    store_messages(account, page)
    store_messages(account, page)
    assert [[m.network_message_id for m in batch] for batch in routed] == [["x1", "x2"]]
    assert all(m.pk for m in routed[0]), "routing gets stored rows"


@pytest.mark.django_db(transaction=True)
def test_two_workers_storing_the_same_page_at_the_same_moment_store_it_once(account):
    # Two processes' row locks only exist on a server database; SQLite runs one writer at
    # a time by design (its IMMEDIATE transactions), which the test above covers.
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    page = [said(f"race-{n}", f"Frage Nummer {n}: wann liefert ihr?") for n in range(20)]
    prepared = [prepare(account, page), prepare(account, page)]
    start = threading.Barrier(2)
    stored: list[int] = []

    def worker(mine):
        try:
            start.wait()
            stored.append(len(write(mine).stored))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(p,)) for p in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(stored) == [0, 20]
    assert Message.objects.filter(account=account).count() == 20
    assert Conversation.objects.filter(account=account).count() == 20
