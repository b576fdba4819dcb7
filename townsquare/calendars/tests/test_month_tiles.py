"""The month's tiles ranked and counted by one SQL statement (month_tiles.py) agree with the
tiles read one by one (tiles_between), across a change of clocks, late evenings, every
status, posts to several accounts, a post at two times of one day, and each filter."""

from datetime import UTC, date, datetime, timedelta

import pytest

from townsquare.calendars.tiles import Filters, Tile, first_tiles_by_day, tiles_between
from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db

STATUSES = ["scheduled", "published", "failed", "by_hand", "cancelled", "unknown", "draft"]
# The Monday before Berlin's clocks go forward (28 March 2027), and the month's grid.
FIRST = date(2027, 3, 22)
LAST = FIRST + timedelta(days=13)


def _month(workspace_a, user):
    masto = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@m")
    bsky = SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="b.sky")
    pillar = Pillar.objects.create(workspace=workspace_a, name="Röstung")
    campaign = Campaign.objects.create(
        workspace=workspace_a, name="Frühling", starts_on=FIRST, ends_on=LAST
    )
    for n in range(60):
        day = FIRST + timedelta(days=n % 14)
        # Late evening UTC is the next day in Berlin; some fall on the night the clocks move.
        when = datetime(day.year, day.month, day.day, (n * 5) % 24, (n * 7) % 60, tzinfo=UTC)
        status = STATUSES[n % len(STATUSES)]
        post = Post.objects.create(
            workspace=workspace_a,
            master_text=f"Beitrag {n}: frisch geröstet",
            language="de",
            pillar=pillar if n % 2 else None,
            campaign=campaign if n % 3 == 0 else None,
            created_by=user if n % 4 else None,
        )
        for account in (masto, bsky) if n % 5 == 0 else (masto if n % 2 else bsky,):
            Publication.objects.create(
                workspace=workspace_a,
                post=post,
                account=account,
                status=status,
                due_at=None if status == "published" and n % 3 else when,
                published_at=when if status == "published" else None,
            )
        if n % 11 == 0:  # the same post again later that day: a second tile
            Publication.objects.create(
                workspace=workspace_a,
                post=post,
                account=bsky,
                status="scheduled",
                due_at=when + timedelta(minutes=30),
            )
    return masto, pillar, campaign


def _shape(tiles: list[Tile]) -> list[tuple]:
    return [
        (
            (t.post_id, t.local, t.text, t.pillar, t.campaign, t.author, t.repeats, t.editable),
            [(a.publication_id, a.network, a.label, a.status) for a in t.accounts],
        )
        for t in tiles
    ]


def _expected(workspace, per_day: int, filters: Filters) -> tuple[list[Tile], dict[date, int]]:
    """The first tiles of each day and each day's number of tiles, from every tile."""
    every = tiles_between(workspace, FIRST, LAST, filters)
    shown: list[Tile] = []
    counts: dict[date, int] = {}
    for tile in every:
        counts[tile.day] = counts.get(tile.day, 0) + 1
        if counts[tile.day] <= per_day:
            shown.append(tile)
    return shown, counts


@pytest.mark.parametrize("per_day", [1, 2, 4])
def test_the_ranked_month_agrees_with_every_tile(workspace_a, alice, per_day):
    masto, pillar, campaign = _month(workspace_a, alice)
    for filters in [
        Filters(),
        Filters(network="mastodon"),
        Filters(account=masto.pk),
        Filters(campaign=campaign.pk),
        Filters(pillar=pillar.pk),
        Filters(status="cancelled"),
        Filters(status="published"),
        Filters(author=alice.pk),
        Filters(network="bluesky", status="scheduled", pillar=pillar.pk),
    ]:
        tiles, counts = first_tiles_by_day(workspace_a, FIRST, LAST, per_day, filters)
        expected_tiles, expected_counts = _expected(workspace_a, per_day, filters)
        assert _shape(tiles) == _shape(expected_tiles), filters
        assert counts == expected_counts, filters
    assert sum(_expected(workspace_a, 99, Filters())[1].values()) > 40


def test_a_filter_value_is_a_parameter_not_sql(workspace_a, alice):
    _month(workspace_a, alice)
    hostile = Filters(network="x' OR '1'='1", status="")
    assert first_tiles_by_day(workspace_a, FIRST, LAST, 4, hostile) == ([], {})


def test_other_workspaces_tiles_are_not_read(workspace_a, workspace_b, alice):
    _month(workspace_a, alice)
    assert first_tiles_by_day(workspace_b, FIRST, LAST, 4) == ([], {})
