"""The inbox poll against Synapse on loopback: a person answers our post in the room, the
poll stores the answer once, triaged and threaded, and the next poll stores nothing new."""

from __future__ import annotations

import pytest
from matrix_fixtures import *  # noqa: F403  (the Synapse fixtures)

from townsquare.inbox.ingest import ingest_account
from townsquare.inbox.models import Contact, Message
from townsquare.networks.base import VariantToPublish
from townsquare.networks.credentials import credentials_for
from townsquare.networks.registry import get_publisher

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]


def test_an_answer_in_the_room_is_stored_once_triaged_and_a_second_poll_adds_nothing(
    matrix_account, synapse, ours, them, room
):
    connector = get_publisher("matrix_room")
    creds = credentials_for(matrix_account)
    post = connector.publish(
        creds,
        VariantToPublish(
            variant_id=1,
            account_id=matrix_account.pk,
            network="matrix_room",
            parts=("Unsere neue Röstung ist da. Was meint ihr?",),
        ),
        "ingest-post",
    ).network_post_id
    assert ingest_account(matrix_account).error == ""  # the inbox starts now
    text = "Gibt es die neue Röstung auch entkoffeiniert?"
    answer = synapse.send(
        them,
        room["room_id"],
        {
            "msgtype": "m.text",
            "body": text,
            "m.relates_to": {"m.in_reply_to": {"event_id": post}},
            "m.mentions": {"user_ids": [ours.user_id]},
        },
    )

    outcome = ingest_account(matrix_account)
    assert outcome.error == "" and outcome.stored == 1
    message = Message.objects.get(account=matrix_account, network_message_id=answer)
    assert message.text == text and message.kind == "reply"
    assert message.category and message.language == "de" and message.triage_model_version
    assert message.conversation.network_conversation_id == post
    assert message.contact == Contact.objects.get(network="matrix_room", handle=them.user_id)

    again = ingest_account(matrix_account)
    assert again.stored == 0 and again.error == ""
    assert Message.objects.filter(account=matrix_account).count() == 1
