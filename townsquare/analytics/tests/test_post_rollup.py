"""The posts' daily totals (models_rollup.py) and stored local times (post_rollup.py): the
database's triggers keep the totals equal to the posts' own sums through every kind of
write, the dashboards' readers give the same figures from the totals as from the posts,
and a change of the workspace's zone is counted the slow way until the posts are
worked out again in the new zone."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from townsquare.analytics import post_rollup, readers, readers_scope
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.models import PostDayTotal, PostLocalZone, TrackedPost
from townsquare.analytics.post_rollup import (
    rezone_changed_workspaces,
    set_local_times,
    stored_totals,
    totals_from_posts,
    totals_usable,
)
from townsquare.analytics.readers_scope import Filters
from townsquare.compliance.tests.factories import account
from townsquare.workspaces.models import Membership, Workspace

# Two years across Berlin's changes of clocks, and the period before it.
TWO_YEARS = Period(date(2025, 1, 1), date(2026, 12, 31))
COUNTERS = ("impressions", "views", "reach", "link_clicks")


def _post(acct, key: str, at: datetime, rng: random.Random) -> TrackedPost:
    counters = {name: rng.choice([None, rng.randrange(0, 5000)]) for name in COUNTERS}
    return TrackedPost(
        workspace=acct.workspace,
        account=acct,
        network=acct.network,
        network_post_id=key,
        published_at=at,
        engagements=rng.randrange(0, 300),
        source="demo",
        **counters,
    )


def _moment(rng: random.Random) -> datetime:
    # Whole minutes anywhere in four years, many of them near midnight (local days).
    start = datetime(2023, 1, 1, tzinfo=UTC)
    return start + timedelta(minutes=rng.randrange(0, 4 * 365 * 24 * 60))


@pytest.fixture
def accounts(workspace_a):
    return [
        account(workspace_a, "mastodon", handle="m1"),
        account(workspace_a, "mastodon", handle="m2"),
        account(workspace_a, "x", handle="x1"),
    ]


def _fill(accounts, count: int, seed: int = 7) -> list[TrackedPost]:
    rng = random.Random(seed)
    made = [_post(rng.choice(accounts), f"p{n}", _moment(rng), rng) for n in range(count)]
    set_local_times(made, accounts[0].workspace)
    return TrackedPost.objects.bulk_create(made)


def _agree(workspace: Workspace) -> None:
    assert stored_totals(workspace.pk) == totals_from_posts(workspace.pk)


def test_triggers_keep_the_totals_through_every_kind_of_write(workspace_a, accounts):
    rng = random.Random(3)
    posts = _fill(accounts, 300)
    _agree(workspace_a)
    assert PostDayTotal.objects.filter(workspace=workspace_a).exists()

    # Counters read again (save), some becoming unknown, some known for the first time.
    for post in rng.sample(posts, 60):
        post.engagements = rng.randrange(0, 900)
        post.impressions = rng.choice([None, rng.randrange(0, 9000)])
        post.views = rng.choice([None, 0, 12])
        post.save()
    _agree(workspace_a)

    # A post moved to another moment (save works its local day out again) and another day
    # of the same account through a bulk update.
    for post in rng.sample(posts, 20):
        post.published_at = _moment(rng)
        post.save()
    _agree(workspace_a)
    TrackedPost.objects.filter(pk__in=[p.pk for p in posts[:40]]).update(engagements=5)
    _agree(workspace_a)

    # Deleted one by one, in bulk, and with their account.
    posts[-1].delete()
    TrackedPost.objects.filter(pk__in=[p.pk for p in posts[100:150]]).delete()
    _agree(workspace_a)
    accounts[1].delete()
    _agree(workspace_a)
    assert not PostDayTotal.objects.filter(account_id=accounts[1].pk).exists()
    TrackedPost.objects.filter(workspace=workspace_a).delete()
    assert not PostDayTotal.objects.filter(workspace=workspace_a).exists()


def test_a_day_whose_posts_report_no_impressions_keeps_them_unknown(membership, accounts):
    rng = random.Random(1)
    post = _post(accounts[0], "only", datetime(2026, 3, 10, 9, tzinfo=UTC), rng)
    post.impressions = post.views = post.reach = post.link_clicks = None
    post.save()
    sums = readers.read_post_sums(membership, Period(date(2026, 3, 1), date(2026, 3, 31)))
    (row,) = sums.rows
    assert row.current.posts == 1 and row.current.engagements == post.engagements
    assert row.current.impressions is None and row.current.engaged_with_impressions is None
    assert row.current.link_clicks is None and row.previous.posts == 0


def test_a_writer_that_forgets_the_local_times_fails_loudly(workspace_a, accounts):
    rng = random.Random(2)
    post = _post(accounts[0], "forgot", datetime(2026, 3, 10, 9, tzinfo=UTC), rng)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackedPost.objects.bulk_create([post])


def _figures(membership: Membership, period: Period, filters: Filters):
    sums = readers.read_post_sums(membership, period, filters)
    days = readers.read_network_days(membership, period, filters)
    matrix = readers.read_weekday_hour(membership, period, filters)
    return (
        sorted(sums.rows, key=lambda r: (r.account_id, r.network)),
        days.cells,
        matrix,
    )


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(network="mastodon"), Filters(account_id=-1)],
    ids=["all", "one network", "one account"],
)
def test_the_readers_give_the_same_figures_from_the_totals_as_from_the_posts(
    membership, accounts, monkeypatch, filters
):
    _fill(accounts, 400, seed=11)
    if filters.account_id == -1:
        filters = Filters(account_id=accounts[2].pk)
    from_totals = _figures(membership, TWO_YEARS, filters)
    assert from_totals[1], "the period has posts"
    monkeypatch.setattr(readers_scope, "totals_usable", lambda workspace: False)
    from_posts = _figures(membership, TWO_YEARS, filters)
    assert from_totals == from_posts


def test_a_change_of_zone_is_counted_the_slow_way_until_the_posts_are_worked_out_again(
    workspace_a, alice, accounts, monkeypatch
):
    _fill(accounts, 200, seed=5)
    assert PostLocalZone.objects.get(workspace=workspace_a).time_zone == "Europe/Berlin"

    workspace_a.time_zone = "Australia/Adelaide"  # +9:30 / +10:30: other days, other hours
    workspace_a.save(update_fields=["time_zone"])
    membership = Membership.objects.get(user=alice, workspace=workspace_a)
    assert not totals_usable(membership.workspace)
    meanwhile = _figures(membership, TWO_YEARS, Filters())

    # A post written meanwhile is worked out in the zone the others still have.
    rng = random.Random(9)
    late = _post(accounts[0], "late", datetime(2026, 6, 30, 23, 30, tzinfo=UTC), rng)
    late.save()
    assert late.local_day == date(2026, 7, 1)  # Berlin: 01:30 on the 1st
    _agree(workspace_a)

    rezone_changed_workspaces()
    late.refresh_from_db()
    assert late.local_day == date(2026, 7, 1) and late.local_slot == 2 * 24 + 9  # Wed 09:00
    fresh = Membership.objects.get(user=alice, workspace=workspace_a)
    assert totals_usable(fresh.workspace)
    _agree(workspace_a)
    after = _figures(fresh, TWO_YEARS, Filters())
    # Meanwhile the posts were counted in the new zone already: only the late post is new.
    assert sum(n for n, _e in after[1].values()) == sum(n for n, _e in meanwhile[1].values()) + 1
    monkeypatch.setattr(readers_scope, "totals_usable", lambda workspace: False)
    assert _figures(fresh, TWO_YEARS, Filters()) == after
    for post in TrackedPost.objects.filter(workspace=workspace_a):
        local = post.published_at.astimezone(post_rollup.ZoneInfo("Australia/Adelaide"))
        assert (post.local_day, post.local_slot) == (
            local.date(),
            local.weekday() * 24 + local.hour,
        )
    assert rezone_changed_workspaces() and post_rollup.rezone(workspace_a.pk) == 0


def test_another_workspace_s_totals_are_never_read(membership, accounts, workspace_b):
    _fill(accounts, 50, seed=4)
    other = account(workspace_b, "mastodon", handle="b1")
    rng = random.Random(8)
    theirs = _post(other, "b", datetime(2026, 3, 3, 9, tzinfo=UTC), rng)
    theirs.save()
    found = readers.read_post_sums(membership, TWO_YEARS, Filters(account_id=other.pk))
    assert found.rows == ()
    days = readers.read_network_days(membership, TWO_YEARS)
    assert (
        sum(n for n, _e in days.cells.values())
        == TrackedPost.objects.filter(
            workspace=membership.workspace, local_day__gte=TWO_YEARS.start
        ).count()
    )
