"""Posts the account made outside Townsquare (the network's own app, another tool) are tracked
when a collection finds them, so the dashboards count all of the account's posts; a post
Townsquare published is never tracked twice, and answers in conversations are not posts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from townsquare.analytics.collection import collect_account
from townsquare.analytics.collection_schedule import DENSE_EVERY
from townsquare.analytics.models import PostSnapshot, TrackedPost
from townsquare.analytics.tests import collection_world
from townsquare.analytics.tests.collection_world import (
    INSTANCE,
    NOW,
    Scripted,
    instance,
    published,
    reading,
    status,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_limits")]
mastodon_account = collection_world.mastodon_account
generous_limits = collection_world.generous_limits


def outside(network_post_id: str, at, text="Direkt in der App gepostet", **metrics: int):
    """A post the account published on the network itself, as a connector reads it."""
    return replace(
        reading(network_post_id, **metrics),
        published_at=at,
        url=f"{INSTANCE}/@kaffee/{network_post_id}",
        text=text,
    )


def test_a_post_made_directly_on_the_network_is_tracked_with_its_text_link_and_counters(
    mastodon_account,
):
    made_at = NOW - timedelta(hours=2)
    fake = instance(
        status(
            "9100",
            made_at,
            likes=7,
            boosts=2,
            content="<p>Heute frisch:<br>Kenia &amp; Kolumbien</p>",
            url=f"{INSTANCE}/@kaffee/9100",
        )
    )
    outcome = collect_account(mastodon_account, source=fake.connector(), now=NOW)

    assert outcome.error == "" and outcome.tracked == 1 and outcome.post_snapshots == 1
    tracked = TrackedPost.objects.get(account=mastodon_account)
    assert tracked.publication is None and tracked.source == "collected"
    assert tracked.workspace == mastodon_account.workspace and tracked.network == "mastodon"
    assert tracked.published_at == made_at
    assert tracked.text_excerpt == "Heute frisch: Kenia & Kolumbien"
    assert tracked.url == f"{INSTANCE}/@kaffee/9100"
    assert (tracked.likes, tracked.reposts, tracked.engagements) == (7, 2, 9)
    assert tracked.next_snapshot_at == NOW + DENSE_EVERY, "read on its schedule from now on"
    assert PostSnapshot.objects.get(post=tracked).likes == 7


def test_answers_in_conversations_and_private_mentions_are_not_tracked(mastodon_account):
    fake = instance(
        status("9201", NOW, in_reply_to_id="55", in_reply_to_account_id="99"),
        status("9202", NOW, visibility="direct"),
    )
    outcome = collect_account(mastodon_account, source=fake.connector(), now=NOW)
    assert outcome.error == "" and not TrackedPost.objects.exists()


def test_a_publication_and_its_thread_parts_stay_one_tracked_post_with_their_publication(
    mastodon_account,
):
    at = NOW - timedelta(days=1)
    pub = published(mastodon_account, "t1", at, parts=("t1", "t2"))
    # Even if a network reported the thread's parts as posts of their own, they are ours.
    source = Scripted([[reading(""), outside("t1", at, likes=3), outside("t2", at, likes=1)]])
    collect_account(mastodon_account, source=source, now=NOW)
    [tracked] = TrackedPost.objects.filter(account=mastodon_account)
    assert tracked.publication == pub and tracked.network_post_id == "t1"
    assert tracked.likes == 4, "both parts counted on the one post"


def test_a_publication_still_being_published_is_not_tracked_as_a_post_from_elsewhere(
    mastodon_account,
):
    pub = published(mastodon_account, "9300", NOW)
    pub.status, pub.published_at = "publishing", None
    pub.save(update_fields=["status", "published_at"])
    source = Scripted([[reading(""), outside("9300", NOW - timedelta(minutes=1))]])
    collect_account(mastodon_account, source=source, now=NOW)
    assert not TrackedPost.objects.exists(), "it is tracked with its publication once published"


def test_a_post_found_before_its_publication_was_known_becomes_the_publications_post(
    mastodon_account,
):
    at = NOW - timedelta(hours=1)
    found = Scripted([[reading(""), outside("9400", at)]])
    collect_account(mastodon_account, source=found, now=NOW)
    pub = published(mastodon_account, "9400", at)
    later = NOW + timedelta(hours=3)
    collect_account(mastodon_account, source=Scripted([[reading("")]]), now=later)
    [tracked] = TrackedPost.objects.filter(account=mastodon_account)
    assert tracked.publication == pub


def test_a_post_found_again_is_not_tracked_twice_and_keeps_its_schedule(mastodon_account):
    at = NOW - timedelta(hours=1)
    first = Scripted([[reading(""), outside("9500", at, likes=1)]])
    collect_account(mastodon_account, source=first, now=NOW)
    again = Scripted([[reading(""), outside("9500", at, likes=5)]])
    collect_account(mastodon_account, source=again, now=NOW + DENSE_EVERY)
    [tracked] = TrackedPost.objects.filter(account=mastodon_account)
    assert tracked.likes == 5 and PostSnapshot.objects.filter(post=tracked).count() == 2


def test_posts_older_than_ninety_days_are_not_tracked_and_a_future_date_counts_as_now(
    mastodon_account,
):
    source = Scripted(
        [
            [
                reading(""),
                outside("old", NOW - timedelta(days=91)),
                outside("ahead", NOW + timedelta(minutes=2)),
            ]
        ]
    )
    collect_account(mastodon_account, source=source, now=NOW)
    [tracked] = TrackedPost.objects.filter(account=mastodon_account)
    assert tracked.network_post_id == "ahead" and tracked.published_at == NOW


def test_a_link_that_is_no_web_address_is_left_out_and_a_long_text_is_cut(mastodon_account):
    post = replace(outside("9600", NOW, text="Bohne " * 100), url="javascript:alert(1)")
    collect_account(mastodon_account, source=Scripted([[reading(""), post]]), now=NOW)
    tracked = TrackedPost.objects.get(account=mastodon_account)
    assert tracked.url == "" and len(tracked.text_excerpt) == 300
