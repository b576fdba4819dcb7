"""Analytics on `mastodon-mock` on loopback: a post published through Townsquare, favourited,
boosted and answered by another person, collected by the scheduler's job: its tracked post
shows the counters, and the account's day is stored."""

from __future__ import annotations

import pytest
from analytics_peer_helpers import collect_until, publish_now

from townsquare.analytics.models import AccountSnapshot, CollectionState, PostSnapshot
from townsquare.ratelimits.defaults import ACCOUNT
from townsquare.ratelimits.window import Rate

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]
# The mock server, people on it and our connected account (tests/peers/mastodon_fixtures.py).
pytest_plugins = ["mastodon_fixtures"]

QUESTION = "Neue Bohne aus Äthiopien: wie schmeckt sie euch?"


def test_counters_of_a_post_published_through_townsquare_arrive_on_its_tracked_post(
    membership, mastodon_account, mastodon_instance, mastodon_them, settings
):
    settings.ANALYTICS_COLLECTION_RATES = {"mastodon": [(ACCOUNT, Rate(1_000, 60))]}
    pub = publish_now(
        membership, "Neue Bohne aus Äthiopien: wie schmeckt sie euch?", mastodon_account
    )
    status_id = pub.external_id
    mastodon_instance.call(mastodon_them, "POST", f"/api/v1/statuses/{status_id}/favourite")
    mastodon_instance.call(mastodon_them, "POST", f"/api/v1/statuses/{status_id}/reblog")
    mastodon_instance.call(
        mastodon_them,
        "POST",
        "/api/v1/statuses",
        json={"status": "Fruchtig und hell!", "in_reply_to_id": status_id, "visibility": "public"},
    )

    tracked = collect_until(mastodon_account, pub, {"likes": 1, "reposts": 1, "replies": 1})
    assert tracked.network_post_id == status_id and tracked.engagements >= 3
    assert tracked.metric_map_version == "mastodon/1" and tracked.metrics_at is not None
    assert PostSnapshot.objects.filter(post=tracked).exists()
    day = AccountSnapshot.objects.get(account=mastodon_account)
    assert day.posts >= 1 and day.followers is not None
    state = CollectionState.objects.get(account=mastodon_account)
    assert state.backfilled_at and state.last_success_at and state.last_error == ""
