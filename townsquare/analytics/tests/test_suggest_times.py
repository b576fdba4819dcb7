"""The suggestions' one reading for a whole page agrees with read_best_time account by
account and network by network, and leaves out what is no time to suggest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townsquare.analytics.readers_best_time import read_best_time
from townsquare.analytics.suggest_times import account_advice, network_advice, next_moments
from townsquare.analytics.tests.suggest_world import history
from townsquare.compliance.tests.factories import account

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def test_one_reading_gives_what_read_best_time_gives_for_each_account(membership, workspace_a):
    rich = account(workspace_a, "mastodon", handle="rich")
    thin = account(workspace_a, "mastodon", handle="thin")
    none = account(workspace_a, "bluesky", handle="none")
    history(rich, now=NOW)
    history(thin, weeks=2, now=NOW)
    assert membership.workspace == workspace_a
    with CaptureQueriesContext(connection) as queries:
        found = account_advice(membership, [rich, thin, none], now=NOW)
    assert len(queries) == 1
    for item in found:
        assert item.account is not None
        assert item.best == read_best_time(membership, item.network, item.account.pk, now=NOW)
    assert found[1].best.posts == 42  # the thin account borrows its network's history
    assert found[2].general


def test_the_network_reading_agrees_with_read_best_time(membership, workspace_a):
    history(account(workspace_a, "mastodon", handle="rich"), now=NOW)
    for item in network_advice(membership, ["mastodon", "bluesky"], now=NOW):
        assert item.best == read_best_time(membership, item.network, now=NOW)
        assert item.who in ("Mastodon", "Bluesky")


def test_another_workspaces_accounts_and_posts_are_left_out(membership, workspace_a, workspace_b):
    theirs = account(workspace_b, "mastodon", handle="theirs")
    history(theirs, now=NOW)
    assert account_advice(membership, [theirs], now=NOW) == []
    (mastodon,) = network_advice(membership, ["mastodon"], now=NOW)
    assert mastodon.general and mastodon.best.posts == 0


def test_a_slot_measured_below_the_average_post_is_not_suggested(membership, workspace_a):
    rich = account(workspace_a, "mastodon", handle="rich")
    history(rich, now=NOW)
    (item,) = account_advice(membership, [rich], now=NOW)
    assert [(s.weekday, s.hour) for s in item.best.suggestions] == [(1, 18), (3, 8), (4, 12)]
    assert [(s.weekday, s.hour) for s in item.suggestions] == [(1, 18), (3, 8)]


def test_moments_good_for_several_accounts_are_one_with_each_reason(membership, workspace_a):
    first = account(workspace_a, "mastodon", handle="first")
    second = account(workspace_a, "mastodon", handle="second")
    history(first, now=NOW)
    history(second, now=NOW)
    advice = account_advice(membership, [first, second], now=NOW)
    moments = next_moments(membership, advice, now=NOW)
    assert len(moments) == 3
    assert all(len(m.reasons) == 2 for m in moments)
    assert all(m.at >= NOW + timedelta(minutes=15) for m in moments)


def test_a_member_who_may_not_see_analytics_gets_no_suggestions(
    membership, workspace_a, monkeypatch
):
    from townsquare.analytics import suggest_times

    monkeypatch.setattr(suggest_times, "has_perm", lambda role, perm: False)
    rich = account(workspace_a, "mastodon", handle="rich")
    assert account_advice(membership, [rich], now=NOW) == []
    assert network_advice(membership, ["mastodon"], now=NOW) == []


def test_posts_enough_but_spread_too_thinly_are_explained_without_contradiction(
    membership, workspace_a
):
    from townsquare.analytics.models import TrackedPost

    spread = account(workspace_a, "matrix_room", handle="#room:example.org")
    # 32 posts, each in an hour of the week of its own: none holds the three a slot needs.
    for n in range(32):
        TrackedPost.objects.create(
            workspace=workspace_a,
            account=spread,
            network=spread.network,
            network_post_id=str(n),
            published_at=NOW - timedelta(days=1 + n * 3, hours=n % 12),
            engagements=5,
            source="demo",
        )
    (item,) = account_advice(membership, [spread], now=NOW)
    assert item.general and item.best.posts == 32
    assert item.note == (
        "Your 32 posts of the last 16 weeks are spread too thinly: no hour of the week has "
        "3 of them yet. General guidance, not measured."
    )
