"""The inbox round trip on the reference Bluesky PDS and AppView on loopback: a user's
mention arrives once through the real poll, is triaged, forwarded to a department by a
rule, answered from Townsquare in the thread, becomes a feedback register item, and the
user is told the company's answer once it is recorded (the issue's "Done means")."""

from __future__ import annotations

from datetime import UTC, datetime

import inbox_roundtrip_helpers
import pytest
from bsky_peer import wait_for
from inbox_roundtrip_helpers import COMPLAINT_DE, go_the_whole_way_round

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]
# Background tasks run inline once committed, as in the other tests (used by name).
run_tasks = inbox_roundtrip_helpers.run_tasks


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def mention_us(pds, ours, them) -> dict:
    """`them` posts a mention of our account as the Bluesky app writes one (with its facet)."""
    text = f"@{ours.handle} {COMPLAINT_DE}"
    start = text.encode().index(f"@{ours.handle}".encode())
    record = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": now(),
        "langs": ["de"],
        "facets": [
            {
                "index": {"byteStart": start, "byteEnd": start + len(ours.handle) + 1},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": ours.did}],
            }
        ],
    }
    return pds.write(them, record, "app.bsky.feed.post")


def test_a_mention_goes_the_whole_way_round_on_bluesky(
    membership, account, pds, ours, them, run_tasks
):
    def arrived(mention, message):
        assert message.conversation.network_conversation_id == mention["uri"]
        # The AppView's profile of the user gives the count the notification lacks.
        profile = pds.call(
            "GET", "app.bsky.actor.getProfile", them.access, params={"actor": them.did}
        ).json()
        followers = profile["followersCount"]
        assert message.contact.follower_count == followers

    go_the_whole_way_round(
        membership,
        account,
        run_tasks,
        post_mention=lambda: mention_us(pds, ours, them),
        id_of=lambda mention: mention["uri"],
        arrived=arrived,
        user_sees_reply=lambda mention, reply, words: assert_user_sees_reply(
            pds, them, mention, reply, words
        ),
    )


def assert_user_sees_reply(pds, user, mention, reply, words) -> None:
    """As the user, through the AppView: our answer is a reply to their post in its thread,
    and the record on our PDS names their post as parent and root."""
    uri = reply.sent_message.network_message_id
    written = pds.record(uri)["value"]
    assert written["reply"]["parent"] == {"uri": mention["uri"], "cid": mention["cid"]}
    assert written["reply"]["root"] == {"uri": mention["uri"], "cid": mention["cid"]}
    assert words in written["text"]

    def in_thread():
        thread = pds.thread(user.access, mention["uri"])["thread"]
        return [r["post"] for r in thread.get("replies", []) if r["post"]["uri"] == uri]

    [seen] = wait_for(in_thread, what="our answer in the user's thread")
    assert words in seen["record"]["text"]
