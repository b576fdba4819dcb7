"""Analytics on Synapse on loopback: a message published to our room through Townsquare,
reacted to and answered by another member, collected by the scheduler's job: its tracked
post shows the reactions as likes and the replies; the room's members are its followers."""

from __future__ import annotations

import pytest
from analytics_peer_helpers import collect_until, publish_now
from matrix_fixtures import *  # noqa: F403  (the Synapse fixtures)

from townsquare.analytics.models import AccountSnapshot
from townsquare.ratelimits.defaults import ACCOUNT
from townsquare.ratelimits.window import Rate

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]

QUESTION = "Neue Bohne aus Äthiopien: wie schmeckt sie euch?"


def test_reactions_and_replies_to_a_message_published_through_townsquare_are_collected(
    membership, matrix_account, synapse, them, room, settings
):
    settings.ANALYTICS_COLLECTION_RATES = {"matrix_room": [(ACCOUNT, Rate(1_000, 60))]}
    pub = publish_now(
        membership, "Neue Bohne aus Äthiopien: wie schmeckt sie euch?", matrix_account
    )
    event_id = pub.external_id
    for key in ("👍", "☕"):
        synapse.send(
            them,
            room["room_id"],
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}},
            kind="m.reaction",
        )
    synapse.send(
        them,
        room["room_id"],
        {
            "msgtype": "m.text",
            "body": "Fruchtig und hell!",
            "m.relates_to": {"m.in_reply_to": {"event_id": event_id}},
        },
    )

    tracked = collect_until(matrix_account, pub, {"likes": 2, "replies": 1})
    assert tracked.reposts is None, "a room has no reposts: unknown, not 0"
    assert tracked.metric_map_version == "matrix_room/1" and tracked.engagements == 3
    assert AccountSnapshot.objects.get(account=matrix_account).followers == 2
