"""Matrix's inbox and counters against Synapse on loopback: another person answers, mentions
and reacts in our room as a Matrix app would; ours reads it through the connector and
answers from Townsquare in the right thread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from matrix_fixtures import *  # noqa: F403  (the Synapse fixtures)

from townsquare.networks.base import VariantToPublish
from townsquare.networks.credentials import credentials_for
from townsquare.networks.registry import get_publisher

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]


def test_replies_and_mentions_reach_the_inbox_the_answer_stays_in_the_thread_and_counts_arrive(
    matrix_account, synapse, ours, them, room
):
    connector = get_publisher("matrix_room")
    creds = credentials_for(matrix_account)
    room_id = room["room_id"]
    variant = VariantToPublish(
        variant_id=1,
        account_id=matrix_account.pk,
        network="matrix_room",
        parts=("Was haltet ihr von unserer neuen Bohne?",),
    )
    post = connector.publish(creds, variant, "inbox-post").network_post_id
    _, cursor = connector.fetch_inbox(creds, None)
    assert cursor

    reply = synapse.send(
        them,
        room_id,
        {
            "msgtype": "m.text",
            "body": "Schmeckt super! Gibt es die auch entkoffeiniert?",
            "m.relates_to": {"m.in_reply_to": {"event_id": post}},
            "m.mentions": {"user_ids": [ours.user_id]},
        },
    )
    in_thread = synapse.send(
        them,
        room_id,
        {
            "msgtype": "m.text",
            "body": "Und wann öffnet ihr morgen?",
            "m.relates_to": {
                "rel_type": "m.thread",
                "event_id": post,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": post},
            },
        },
    )
    mention = synapse.send(
        them, room_id, {"msgtype": "m.text", "body": "Kennt ihr Rösterei Morgenrot? Toll."}
    )
    synapse.send(them, room_id, {"msgtype": "m.text", "body": "Schönes Wetter heute."})
    for key in ("👍", "☕"):
        synapse.send(
            them,
            room_id,
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": post, "key": key}},
            kind="m.reaction",
        )

    messages, cursor2 = connector.fetch_inbox(creds, cursor)
    by_id = {m.network_message_id: m for m in messages}
    assert list(by_id) == [reply, in_thread, mention], "oldest first, the chat left out"
    assert by_id[reply].kind == "reply" and by_id[reply].in_reply_to_id == post
    assert by_id[reply].conversation_id == post
    assert by_id[reply].author_handle == them.user_id
    assert by_id[reply].author_name == "Gast Jana"
    assert by_id[reply].url.startswith("https://matrix.to/#/")
    assert by_id[in_thread].conversation_id == post and by_id[in_thread].kind == "reply"
    assert by_id[mention].kind == "mention" and by_id[mention].conversation_id == mention
    again, _ = connector.fetch_inbox(creds, cursor2)
    assert again == [], "nothing is seen twice"

    answer = connector.reply(creds, by_id[in_thread], "Morgen ab 8 Uhr!")
    again_answer = connector.reply(creds, by_id[in_thread], "Morgen ab 8 Uhr!")
    assert again_answer.network_post_id == answer.network_post_id
    [event] = [
        e for e in synapse.messages(them, room_id) if e["event_id"] == answer.network_post_id
    ]
    relation = event["content"]["m.relates_to"]
    assert relation["rel_type"] == "m.thread" and relation["event_id"] == post
    assert relation["m.in_reply_to"] == {"event_id": in_thread}
    assert event["content"]["m.mentions"] == {"user_ids": [them.user_id]}
    direct = connector.reply(creds, by_id[reply], "Ja, ab nächster Woche.")
    [event] = [
        e for e in synapse.messages(them, room_id) if e["event_id"] == direct.network_post_id
    ]
    assert event["content"]["m.relates_to"] == {"m.in_reply_to": {"event_id": reply}}
    same = [
        e for e in synapse.messages(them, room_id) if e["content"].get("body") == "Morgen ab 8 Uhr!"
    ]
    assert len(same) == 1, "answering twice sends once"

    snapshots = connector.fetch_metrics(creds, (datetime.now(UTC) - timedelta(days=1)).date())
    account = next(s for s in snapshots if s.network_post_id == "")
    assert account.metrics == {"followers": 2}
    counts = next(s for s in snapshots if s.network_post_id == post).metrics
    # Their reply, their message in the thread and our answer there.
    assert counts == {"reactions": 2, "replies": 3}
