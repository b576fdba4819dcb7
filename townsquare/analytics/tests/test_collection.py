"""Collecting an account's counters through its connector (the Mastodon connector on its
captured answers): the day's account snapshot, snapshots of the posts published through
Townsquare, their newest counters and schedule, and where collection stands."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from townsquare.analytics.collection import collect_account
from townsquare.analytics.collection_schedule import ACCOUNT_EVERY, DENSE_EVERY
from townsquare.analytics.models import AccountSnapshot, CollectionState, PostSnapshot, TrackedPost
from townsquare.analytics.tests import collection_world
from townsquare.analytics.tests.collection_world import (
    NOW,
    STATUSES,
    Scripted,
    instance,
    published,
    reading,
    status,
)
from townsquare.networks.mastodon.tests.captured import captured

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_limits")]
# Fixtures shared by the collection tests (used by name).
mastodon_account = collection_world.mastodon_account
generous_limits = collection_world.generous_limits

ME = captured("accounts_verify_credentials__ok_200.json")["body"]


def local_today(account):
    return NOW.astimezone(ZoneInfo(account.workspace.time_zone)).date()


def test_the_first_collection_stores_the_account_day_and_the_posts_published_through_townsquare(
    mastodon_account,
):
    day_ago = NOW - timedelta(days=1)
    pub = published(mastodon_account, "9001", day_ago, text="Frisch geröstet: Äthiopien")
    fake = instance(
        # An answer to someone in a conversation: the inbox's, not a post to track.
        status("9002", NOW, likes=50, in_reply_to_id="77", in_reply_to_account_id="5"),
        status("9001", day_ago, likes=4, boosts=2, replies=1, quotes_count=3),
    )
    outcome = collect_account(mastodon_account, source=fake.connector(), now=NOW)

    assert outcome.error == "" and outcome.account_snapshot and outcome.post_snapshots == 1
    [day] = AccountSnapshot.objects.filter(account=mastodon_account)
    assert day.day == local_today(mastodon_account) and day.workspace == mastodon_account.workspace
    assert (day.followers, day.following, day.posts) == (
        ME["followers_count"],
        ME["following_count"],
        ME["statuses_count"],
    )
    assert day.impressions is None, "a counter the network does not report is unknown, not 0"
    assert day.metric_map_version == "mastodon/1" and day.raw["followers"] == ME["followers_count"]

    [tracked] = TrackedPost.objects.filter(account=mastodon_account)
    assert tracked.publication == pub and tracked.network_post_id == "9001"
    assert tracked.text_excerpt == "Frisch geröstet: Äthiopien" and tracked.url.endswith("/9001")
    assert (tracked.likes, tracked.reposts, tracked.replies, tracked.quotes) == (4, 2, 1, 3)
    assert tracked.saves is None and tracked.engagements == 10
    assert tracked.metrics_at == NOW and tracked.metric_map_version == "mastodon/1"
    assert tracked.next_snapshot_at == NOW + DENSE_EVERY, "dense in its first two days"
    [snapshot] = PostSnapshot.objects.filter(post=tracked)
    assert snapshot.likes == 4 and snapshot.taken_at == NOW and snapshot.raw["likes"] == 4

    state = CollectionState.objects.get(account=mastodon_account)
    assert state.backfilled_at == NOW and state.last_success_at == NOW
    assert state.consecutive_failures == 0 and state.last_error == ""
    assert state.next_due_at == NOW + DENSE_EVERY, "the post's next snapshot brings it forward"


def test_the_first_collection_reaches_back_ninety_days_and_later_ones_only_to_the_posts_due(
    mastodon_account,
):
    old = published(mastodon_account, "7001", NOW - timedelta(days=60))
    too_old = published(mastodon_account, "6001", NOW - timedelta(days=100))
    source = Scripted(
        [[reading(""), reading("7001", likes=9)], [reading("")], [reading(""), reading("7001")]]
    )
    collect_account(mastodon_account, source=source, now=NOW)
    assert source.asked_since == [(NOW - timedelta(days=90)).date()]
    tracked = TrackedPost.objects.get(publication=old)
    assert tracked.likes == 9 and tracked.next_snapshot_at == NOW + timedelta(weeks=1)
    assert not TrackedPost.objects.filter(publication=too_old).exists(), "past day 90: final"

    later = NOW + timedelta(hours=3)
    collect_account(mastodon_account, source=source, now=later)
    assert source.asked_since[1] == (later - timedelta(days=1)).date(), "nothing older is due"
    week_later = NOW + timedelta(weeks=1)
    collect_account(mastodon_account, source=source, now=week_later)
    assert source.asked_since[2] == (tracked.published_at - timedelta(days=1)).date()


def test_collecting_twice_the_same_day_keeps_one_account_snapshot_with_the_newest_reading(
    mastodon_account,
):
    source = Scripted([[reading("", followers=10)], [reading("", followers=12)]])
    collect_account(mastodon_account, source=source, now=NOW)
    collect_account(mastodon_account, source=source, now=NOW + timedelta(minutes=1))
    [day] = AccountSnapshot.objects.filter(account=mastodon_account)
    assert day.followers == 12 and day.taken_at == NOW + timedelta(minutes=1)


def test_an_older_reading_arriving_late_does_not_replace_a_newer_one(mastodon_account):
    source = Scripted([[reading("", followers=12)], [reading("", followers=10)]])
    collect_account(mastodon_account, source=source, now=NOW)
    collect_account(mastodon_account, source=source, now=NOW - timedelta(minutes=5))
    assert AccountSnapshot.objects.get(account=mastodon_account).followers == 12


def test_a_post_is_snapshotted_only_when_due_and_the_newest_counters_follow_each_snapshot(
    mastodon_account,
):
    published(mastodon_account, "9001", NOW - timedelta(hours=1))
    source = Scripted(
        [
            [reading(""), reading("9001", likes=1)],
            [reading(""), reading("9001", likes=2)],
            [reading(""), reading("9001", likes=3)],
        ]
    )
    collect_account(mastodon_account, source=source, now=NOW)  # found: read at once
    tracked = TrackedPost.objects.get(network_post_id="9001")
    assert PostSnapshot.objects.count() == 1 and tracked.likes == 1
    assert tracked.next_snapshot_at == NOW + timedelta(hours=3)
    collect_account(mastodon_account, source=source, now=NOW + timedelta(hours=1))
    tracked.refresh_from_db()
    assert PostSnapshot.objects.count() == 1 and tracked.likes == 1, "not due yet"
    collect_account(mastodon_account, source=source, now=NOW + timedelta(hours=3))
    tracked.refresh_from_db()
    assert PostSnapshot.objects.count() == 2 and tracked.likes == 3
    assert tracked.next_snapshot_at == NOW + timedelta(hours=6)


def test_a_post_the_network_no_longer_lists_is_looked_for_again_at_its_next_time(
    mastodon_account,
):
    published(mastodon_account, "9001", NOW - timedelta(days=5))
    collect_account(mastodon_account, source=Scripted([[reading("")]]), now=NOW)
    tracked = TrackedPost.objects.get(network_post_id="9001")
    assert tracked.metrics_at is None and tracked.likes is None, "unknown, not 0"
    assert tracked.next_snapshot_at == NOW + timedelta(days=1)
    assert PostSnapshot.objects.count() == 0


def test_a_thread_counts_all_its_parts_less_its_own_chain_of_replies(mastodon_account):
    published(mastodon_account, "t1", NOW - timedelta(days=3), parts=("t1", "t2", "t3"))
    # t2 answers t1 and t3 answers t2: one reply each is the thread itself.
    source = Scripted(
        [
            [
                reading(""),
                reading("t1", likes=5, replies=3),
                reading("t2", likes=1, replies=1),
                reading("t3", likes=0, replies=2),
            ]
        ]
    )
    collect_account(mastodon_account, source=source, now=NOW)
    tracked = TrackedPost.objects.get(network_post_id="t1")
    assert (tracked.likes, tracked.replies) == (6, 4)
    assert tracked.engagements == 10
    assert set(PostSnapshot.objects.get(post=tracked).raw["parts"]) == {"t1", "t2", "t3"}


def test_a_post_imported_earlier_is_linked_to_its_publication_instead_of_tracked_twice(
    mastodon_account,
):
    imported = TrackedPost.objects.create(
        workspace=mastodon_account.workspace,
        account=mastodon_account,
        network="mastodon",
        network_post_id="9001",
        published_at=NOW - timedelta(days=3),
        source="imported",
    )
    pub = published(mastodon_account, "9001", NOW - timedelta(days=3))
    collect_account(mastodon_account, source=Scripted([[reading("")]]), now=NOW)
    imported.refresh_from_db()
    assert imported.publication == pub and TrackedPost.objects.count() == 1


def test_an_account_without_posts_due_is_read_again_after_the_regular_interval(mastodon_account):
    collect_account(mastodon_account, source=Scripted([[reading("")]]), now=NOW)
    state = CollectionState.objects.get(account=mastodon_account)
    assert state.next_due_at == NOW + ACCOUNT_EVERY


def test_the_fake_instance_was_asked_for_our_statuses(mastodon_account):
    fake = instance(status("1", NOW))
    collect_account(mastodon_account, source=fake.connector(), now=NOW)
    assert len(fake.sent(STATUSES)) == 1
