"""The inbox round trip on Synapse on loopback: a user mentions our account in the connected
room, the real poll stores it once, triaged, a rule forwards it to a department, Townsquare
answers it as a Matrix reply to the user's event, it becomes a feedback register item, and
the user is told the company's answer once it is recorded."""

from __future__ import annotations

import inbox_roundtrip_helpers
import pytest
from inbox_roundtrip_helpers import COMPLAINT_DE, go_the_whole_way_round
from matrix_fixtures import *  # noqa: F403  (the Synapse fixtures)

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]
# Background tasks run inline once committed, as in the other tests (used by name).
run_tasks = inbox_roundtrip_helpers.run_tasks


def test_a_mention_goes_the_whole_way_round_on_matrix(
    membership, matrix_account, synapse, ours, them, room, run_tasks
):
    def post_mention():
        # As Element writes a mention: the display name in the text, the user id declared.
        return synapse.send(
            them,
            room["room_id"],
            {
                "msgtype": "m.text",
                "body": f"Rösterei Morgenrot: {COMPLAINT_DE}",
                "m.mentions": {"user_ids": [ours.user_id]},
            },
        )

    def arrived(mention, message):
        assert message.conversation.network_conversation_id == mention
        assert message.contact.follower_count is None, "Matrix has no followers"

    go_the_whole_way_round(
        membership,
        matrix_account,
        run_tasks,
        post_mention=post_mention,
        id_of=lambda mention: mention,
        arrived=arrived,
        user_sees_reply=lambda mention, reply, words: assert_user_sees_reply(
            synapse, them, room, mention, reply, words
        ),
    )


def assert_user_sees_reply(synapse, user, room, mention, reply, words) -> None:
    """As the user, in the room's timeline: our answer's reply relation points to their
    event, and it mentions them (so their client notifies them)."""
    event_id = reply.sent_message.network_message_id
    [event] = [e for e in synapse.messages(user, room["room_id"]) if e["event_id"] == event_id]
    content = event["content"]
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": mention}}
    assert content["m.mentions"] == {"user_ids": [user.user_id]}
    assert words in content["body"]
