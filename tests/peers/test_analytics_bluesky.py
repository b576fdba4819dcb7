"""Analytics on the reference Bluesky PDS and AppView on loopback: a post published through
Townsquare, liked, reposted, answered and quoted by another user, collected by the
scheduler's job: its tracked post shows the counters once the AppView has counted them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from analytics_peer_helpers import collect_until, publish_now

from townsquare.analytics.models import AccountSnapshot, CollectionState
from townsquare.ratelimits.defaults import ACCOUNT
from townsquare.ratelimits.window import Rate

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_counters_of_a_post_published_through_townsquare_arrive_on_its_tracked_post(
    membership, account, pds, ours, them, settings
):
    settings.ANALYTICS_COLLECTION_RATES = {"bluesky": [(ACCOUNT, Rate(1_000, 60))]}
    pub = publish_now(membership, "Neue Bohne aus Äthiopien: wie schmeckt sie euch?", account)
    found = pds.record(pub.external_id)
    target = {"uri": found["uri"], "cid": found["cid"]}
    for collection, record in (
        ("app.bsky.feed.like", {"subject": target}),
        ("app.bsky.feed.repost", {"subject": target}),
        ("app.bsky.feed.post", {"text": "Fruchtig!", "reply": {"root": target, "parent": target}}),
        (
            "app.bsky.feed.post",
            {"text": "Probiert das", "embed": {"$type": "app.bsky.embed.record", "record": target}},
        ),
    ):
        pds.write(them, {"$type": collection, "createdAt": now(), **record}, collection)

    tracked = collect_until(account, pub, {"likes": 1, "reposts": 1, "replies": 1, "quotes": 1})
    assert tracked.network_post_id == pub.external_id and tracked.engagements == 4
    assert tracked.metric_map_version == "bluesky/1"
    assert AccountSnapshot.objects.get(account=account).posts >= 1
    assert CollectionState.objects.get(account=account).last_error == ""
