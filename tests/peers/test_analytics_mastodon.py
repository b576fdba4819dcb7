"""Analytics on `mastodon-mock` on loopback: a post published through Townsquare, favourited,
boosted and answered by another person, collected by the scheduler's job: its tracked post
shows the counters, and the account's day is stored. A post the account made directly on the
server is tracked too; its answer to someone is not (a conversation, not a publication)."""

from __future__ import annotations

import pytest
from analytics_peer_helpers import collect_once, collect_until, publish_now

from townsquare.analytics.models import AccountSnapshot, CollectionState, PostSnapshot, TrackedPost
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


def test_a_post_made_directly_on_the_server_is_tracked_beside_the_one_made_through_townsquare(
    membership, mastodon_account, mastodon_instance, mastodon_ours, mastodon_them, settings
):
    settings.ANALYTICS_COLLECTION_RATES = {"mastodon": [(ACCOUNT, Rate(1_000, 60))]}
    pub = publish_now(membership, "Röstplan für die Woche", mastodon_account)
    direct = mastodon_instance.call(
        mastodon_ours,
        "POST",
        "/api/v1/statuses",
        json={"status": "Heute direkt aus der App: Kenia & Kolumbien", "visibility": "public"},
    )
    question = mastodon_instance.call(
        mastodon_them, "POST", "/api/v1/statuses", json={"status": "Habt ihr Decaf?"}
    )
    answer = mastodon_instance.call(
        mastodon_ours,
        "POST",
        "/api/v1/statuses",
        json={"status": "Ja, ab Freitag!", "in_reply_to_id": question["id"]},
    )
    mastodon_instance.call(mastodon_them, "POST", f"/api/v1/statuses/{direct['id']}/favourite")

    outcome = collect_once(mastodon_account)
    assert outcome.startswith("stored"), outcome

    tracked = TrackedPost.objects.filter(account=mastodon_account)
    ids = set(tracked.values_list("network_post_id", flat=True))
    # The account is shared by the module's tests: what the others posted through Townsquare
    # is, in this test's database, a post made elsewhere too.
    assert {pub.external_id, str(direct["id"])} <= ids
    assert str(answer["id"]) not in ids, "an answer to someone is no post of its own"
    assert tracked.get(network_post_id=pub.external_id).publication == pub, "one post, linked"
    outside = tracked.get(network_post_id=str(direct["id"]))
    assert outside.publication is None and outside.source == "collected"
    assert outside.text_excerpt == "Heute direkt aus der App: Kenia & Kolumbien"
    assert outside.url == direct["url"] and outside.likes == 1
    assert PostSnapshot.objects.filter(post=outside).count() == 1
