"""The inbox round trip on Synapse on loopback: a user mentions our account in the connected
room, the real poll stores it once, triaged, a rule forwards it to a department, Townsquare
answers it as a Matrix reply to the user's event, it becomes a feedback register item, and
the user is told the company's answer once it is recorded."""

from __future__ import annotations

import inbox_roundtrip_helpers
import pytest
from inbox_roundtrip_helpers import (
    COMPANY_ANSWER,
    COMPLAINT_DE,
    FIRST_ANSWER_DE,
    assert_forwarded_by_email,
    assert_informed,
    assert_stored_once,
    assert_triaged_as_complaint,
    feedback_item_of,
    poll_until_stored,
    record_the_company_answer,
    reply_from_townsquare,
    route_feedback_to_customer_service,
    send_the_drafts,
    start_inbox_now,
)
from matrix_fixtures import *  # noqa: F403  (the Synapse fixtures)

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]
# Background tasks run inline once committed, as in the other tests (used by name).
run_tasks = inbox_roundtrip_helpers.run_tasks


def test_a_mention_goes_the_whole_way_round_on_matrix(
    membership, matrix_account, synapse, ours, them, room, run_tasks
):
    start_inbox_now(matrix_account)
    routing = route_feedback_to_customer_service(membership, matrix_account)
    # As Element writes a mention: the display name in the text, the user id declared.
    mention = synapse.send(
        them,
        room["room_id"],
        {
            "msgtype": "m.text",
            "body": f"Rösterei Morgenrot: {COMPLAINT_DE}",
            "m.mentions": {"user_ids": [ours.user_id]},
        },
    )

    message = poll_until_stored(matrix_account, mention, run_tasks)
    assert message.kind == "mention" and COMPLAINT_DE in message.text
    assert message.conversation.network_conversation_id == mention
    assert_stored_once(matrix_account, message, run_tasks)
    assert_triaged_as_complaint(message)
    assert_forwarded_by_email(message, routing)

    first = reply_from_townsquare(membership, message, FIRST_ANSWER_DE, run_tasks)
    assert_user_sees_reply(synapse, them, room, mention, first, FIRST_ANSWER_DE)

    item = feedback_item_of(message)
    draft = record_the_company_answer(membership, item)
    told = send_the_drafts(membership, item, draft, run_tasks)
    assert_user_sees_reply(synapse, them, room, mention, told, COMPANY_ANSWER["de"])
    assert_informed(item, told)
    # Our own answers never come back as inbox messages.
    assert_stored_once(matrix_account, message, run_tasks)


def assert_user_sees_reply(synapse, user, room, mention, reply, words) -> None:
    """As the user, in the room's timeline: our answer's reply relation points to their
    event, and it mentions them (so their client notifies them)."""
    event_id = reply.sent_message.network_message_id
    [event] = [e for e in synapse.messages(user, room["room_id"]) if e["event_id"] == event_id]
    content = event["content"]
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": mention}}
    assert content["m.mentions"] == {"user_ids": [user.user_id]}
    assert words in content["body"]
