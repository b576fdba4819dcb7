"""Collecting a Matrix room through its connector on a scripted homeserver: the room's
members are its followers, reactions to our message count as its likes."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from townsquare.analytics.collection import collect_account
from townsquare.analytics.models import AccountSnapshot, TrackedPost
from townsquare.analytics.tests import collection_world
from townsquare.analytics.tests.collection_world import NOW, published
from townsquare.networks.credentials import store_credentials
from townsquare.networks.matrix.tests.helpers import HOMESERVER, OURS, ROOM, publisher
from townsquare.networks.models import SocialAccount

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_limits")]
generous_limits = collection_world.generous_limits

MILLIS = int(NOW.timestamp() * 1000)


def event(event_id, sender, kind="m.room.message", **content):
    return {
        "event_id": event_id,
        "sender": sender,
        "type": kind,
        "origin_server_ts": MILLIS,
        "content": content,
    }


def homeserver(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/joined_members"):
        joined = {OURS: {}, "@jana:example.org": {}, "@ole:example.org": {}}
        return httpx.Response(200, json={"joined": joined})
    if request.url.path.endswith("/messages"):
        chunk = [  # newest first, as read backwards
            event(
                "$reply",
                "@jana:example.org",
                body="Wann gibt es die Bohne?",
                msgtype="m.text",
                **{"m.relates_to": {"m.in_reply_to": {"event_id": "$ours"}}},
            ),
            event(
                "$thumbs",
                "@ole:example.org",
                kind="m.reaction",
                **{"m.relates_to": {"rel_type": "m.annotation", "event_id": "$ours", "key": "👍"}},
            ),
            event(
                "$heart",
                "@jana:example.org",
                kind="m.reaction",
                **{"m.relates_to": {"rel_type": "m.annotation", "event_id": "$ours", "key": "❤️"}},
            ),
            event("$ours", OURS, body="Neue Bohne aus Äthiopien", msgtype="m.text"),
        ]
        return httpx.Response(200, json={"chunk": chunk, "start": "t1"})
    return httpx.Response(404, json={"errcode": "M_UNRECOGNIZED"})


def test_a_rooms_members_and_the_reactions_and_replies_to_our_message_are_collected(
    workspace_a,
):
    room = SocialAccount.objects.create(
        workspace=workspace_a, network="matrix_room", handle="#kaffee:example.org"
    )
    store_credentials(
        room,
        {
            "access_token": "secret-token",
            "instance_url": HOMESERVER,
            "extra": {"user_id": OURS, "device_id": "DEV", "room_id": ROOM},
        },
    )
    published(room, "$ours", NOW - timedelta(hours=5))
    outcome = collect_account(room, source=publisher(homeserver), now=NOW)
    assert outcome.error == "", outcome.error
    assert AccountSnapshot.objects.get(account=room).followers == 3
    tracked = TrackedPost.objects.get(account=room)
    assert (tracked.likes, tracked.replies, tracked.reposts) == (2, 1, None)
    assert tracked.metric_map_version == "matrix_room/1" and tracked.engagements == 3
