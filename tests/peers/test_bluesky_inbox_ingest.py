"""The inbox poll against the reference Bluesky PDS and AppView on loopback: a person
mentions our account, the poll stores the mention once, triaged, and the next poll stores
nothing new."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bsky_peer import wait_for

from townsquare.inbox.ingest import ingest_account
from townsquare.inbox.models import Contact, InboxCursor, Message

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_a_mention_is_stored_once_triaged_and_a_second_poll_adds_nothing(account, pds, ours, them):
    first = ingest_account(account)  # the inbox starts now
    assert first.error == ""
    text = f"@{ours.handle} Meine Bestellung ist seit einer Woche nicht da. Was ist los?"
    start = text.encode().index(f"@{ours.handle}".encode())
    mention = pds.write(
        them,
        {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": now(),
            "facets": [
                {
                    "index": {"byteStart": start, "byteEnd": start + len(ours.handle) + 1},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": ours.did}],
                }
            ],
        },
        "app.bsky.feed.post",
    )

    def stored():
        outcome = ingest_account(account)
        assert outcome.error == "", outcome.error
        return Message.objects.filter(account=account, network_message_id=mention["uri"]).first()

    message = wait_for(stored, what="the mention in the inbox")
    assert message.kind == "mention" and message.text == text
    assert message.category and message.sentiment and message.language == "de"
    assert message.triage_model_version and message.triage["truncated"] is False
    assert message.contact == Contact.objects.get(network="bluesky", handle=them.handle)
    assert message.conversation.network_conversation_id == mention["uri"]
    assert message.conversation.waiting_since is not None

    again = ingest_account(account)
    assert again.stored == 0 and again.error == ""
    assert Message.objects.filter(account=account).count() == 1
    cursor = InboxCursor.objects.get(account=account)
    assert cursor.cursor and cursor.failures == 0 and cursor.last_success_at
