"""Best time read from the workspace's posts: local hours, an account's thin history
borrowing its network's, the suggested moments, and another workspace's account."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from townsquare.analytics.best_time import Basis
from townsquare.analytics.models import TrackedPost
from townsquare.analytics.readers_best_time import read_best_time, suggested_slots
from townsquare.compliance.tests.factories import account

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def post(acct, n: int, at: datetime, engagements: int) -> None:
    TrackedPost.objects.create(
        workspace=acct.workspace,
        account=acct,
        network=acct.network,
        network_post_id=f"{acct.pk}-{n}",
        published_at=at,
        engagements=engagements,
        source="demo",
    )


def history(acct, weeks: int = 12) -> None:
    """Each week: Tuesday 18:00 Berlin (50 engagements) and Thursday 08:00 and Friday
    12:00 (5 each): 36 posts over 12 weeks, Tuesday evening best."""
    monday = datetime(2026, 3, 30, tzinfo=BERLIN)
    n = 0
    for week in range(1, weeks + 1):
        start = monday - timedelta(weeks=week)
        for days, hour, engagements in ((1, 18, 50), (3, 8, 5), (4, 12, 5)):
            n += 1
            post(acct, n, (start + timedelta(days=days, hours=hour)).astimezone(UTC), engagements)


@pytest.fixture
def masto(workspace_a):
    return account(workspace_a, "mastodon")


def test_the_best_slot_is_learned_in_local_time(membership, masto):
    history(masto)
    found = read_best_time(membership, "mastodon", masto.pk, now=NOW)
    assert found.basis is Basis.HISTORY
    assert found.posts == 36
    assert (found.suggestions[0].weekday, found.suggestions[0].hour) == (1, 18)


def test_posts_older_than_sixteen_weeks_are_not_counted(membership, masto):
    history(masto)
    later = NOW + timedelta(weeks=10)
    assert read_best_time(membership, "mastodon", masto.pk, now=later).basis is Basis.GENERAL


def test_an_account_with_little_history_borrows_its_networks(membership, masto, workspace_a):
    history(masto)
    new = account(workspace_a, "mastodon", handle="neu")
    found = read_best_time(membership, "mastodon", new.pk, now=NOW)
    assert found.basis is Basis.HISTORY
    assert found.posts == 36


def test_suggested_slots_are_concrete_moments_in_the_workspace_zone(membership, masto):
    history(masto)
    start = datetime(2026, 4, 6, 0, 0, tzinfo=BERLIN)  # Monday
    moments = suggested_slots(membership, masto, start, 7, now=NOW)
    assert datetime(2026, 4, 7, 18, 0, tzinfo=BERLIN) in moments
    assert moments == sorted(moments)
    assert all(start <= m < start + timedelta(days=7) for m in moments)


def test_without_history_the_suggestions_are_the_networks_general_hours(membership, masto):
    start = datetime(2026, 4, 6, 0, 0, tzinfo=BERLIN)
    found = read_best_time(membership, "mastodon", masto.pk, now=NOW)
    assert found.basis is Basis.GENERAL
    assert len(suggested_slots(membership, masto, start, 7, now=NOW)) == 3


def test_another_workspaces_history_and_accounts_give_nothing(membership, workspace_b):
    theirs = account(workspace_b, "mastodon")
    history(theirs)
    assert read_best_time(membership, "mastodon", theirs.pk, now=NOW).posts == 0
    start = datetime(2026, 4, 6, tzinfo=BERLIN)
    assert suggested_slots(membership, theirs, start, 7, now=NOW) == []
