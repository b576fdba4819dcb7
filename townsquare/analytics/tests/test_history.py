"""The generated history (demo and benchmark): deterministic, as many rows as it says, NULL
where a network does not report a counter, posts at plausible hours with counters that only
grow, the newest of them on the tracked post."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from townsquare.analytics.history import HistorySpec, LinkedPost, generate_history
from townsquare.analytics.history_curves import FULL_SCHEDULE_HOURS, WEEKLY_SCHEDULE_HOURS
from townsquare.analytics.metric_names import ENGAGEMENT_METRICS, POST_METRICS
from townsquare.analytics.models import AccountSnapshot, PostSnapshot, TrackedPost
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

END = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
TEXTS = (("Röstkunst", "Frisch geröstet."), ("Rezepte", "Cold Brew im Winter."))


def _accounts(workspace):
    return tuple(
        SocialAccount.objects.create(workspace=workspace, network=network, handle=f"@{network}")
        for network in ("bluesky", "matrix_room", "x", "instagram")
    )


def _spec(workspace, accounts, **changes):
    values = {
        "workspace": workspace,
        "accounts": accounts,
        "start": (END - timedelta(days=119)).date(),
        "end": END,
        "posts": 300,
        "texts": TEXTS,
        "seed": 7,
    }
    return HistorySpec(**(values | changes))


def _rows():
    posts = list(
        TrackedPost.objects.order_by("published_at", "account__network").values_list(
            "account__network", "network_post_id", "published_at", "engagements", *POST_METRICS
        )
    )
    snapshots = list(
        PostSnapshot.objects.order_by(
            "post__published_at", "post__account__network", "taken_at"
        ).values_list("post__network_post_id", "taken_at", *POST_METRICS)
    )
    days = list(
        AccountSnapshot.objects.order_by("account__network", "day").values_list(
            "account__network", "day", "followers", "impressions", "views", "posts"
        )
    )
    return posts, snapshots, days


def test_the_same_seed_writes_the_same_rows_and_another_seed_other_rows(workspace_a):
    accounts = _accounts(workspace_a)
    generate_history(_spec(workspace_a, accounts))
    first = _rows()
    TrackedPost.objects.all().delete()
    AccountSnapshot.objects.all().delete()
    generate_history(_spec(workspace_a, accounts))
    assert _rows() == first
    TrackedPost.objects.all().delete()
    AccountSnapshot.objects.all().delete()
    generate_history(_spec(workspace_a, accounts, seed=8))
    assert _rows()[0] != first[0]


def test_it_writes_as_many_rows_as_it_reports_with_a_snapshot_per_account_and_day(workspace_a):
    accounts = _accounts(workspace_a)
    counts = generate_history(_spec(workspace_a, accounts))
    assert counts.tracked_posts == TrackedPost.objects.count() == 300
    assert counts.post_snapshots == PostSnapshot.objects.count() > 300 * 20
    assert counts.account_snapshots == AccountSnapshot.objects.count() == 4 * 120
    assert set(TrackedPost.objects.values_list("source", flat=True)) == {"demo"}
    assert set(PostSnapshot.objects.values_list("source", flat=True)) == {"demo"}
    assert set(AccountSnapshot.objects.values_list("source", flat=True)) == {"demo"}
    assert not TrackedPost.objects.filter(published_at__gt=END).exists()
    assert not PostSnapshot.objects.filter(taken_at__gt=END).exists()


def test_counters_a_network_does_not_report_stay_null_and_the_others_are_filled(workspace_a):
    generate_history(_spec(workspace_a, _accounts(workspace_a)))
    bluesky = TrackedPost.objects.filter(network="bluesky").exclude(metrics_at=None)
    assert bluesky.exists()
    assert not bluesky.exclude(impressions=None, views=None, reach=None, saves=None).exists()
    assert not bluesky.filter(likes=None).exists()
    matrix = PostSnapshot.objects.filter(post__network="matrix_room")
    assert not matrix.exclude(reposts=None, quotes=None, impressions=None).exists()
    assert not matrix.filter(replies=None).exists()
    assert not TrackedPost.objects.filter(network="x", impressions=None).exclude(metrics_at=None)
    assert not TrackedPost.objects.filter(network="instagram").exclude(impressions=None).exists()
    assert not TrackedPost.objects.filter(network="instagram", metrics_at__isnull=False, views=None)
    days = AccountSnapshot.objects
    assert not days.filter(account__network="bluesky").exclude(impressions=None, reach=None)
    assert not days.filter(account__network="bluesky", followers=None).exists()
    assert not days.filter(account__network="matrix_room").exclude(following=None, posts=None)
    assert not days.filter(account__network="x", impressions=None).exists()


def test_a_post_carries_the_newest_counters_and_they_only_grow(workspace_a):
    generate_history(_spec(workspace_a, _accounts(workspace_a)))
    for post in TrackedPost.objects.exclude(metrics_at=None).order_by("pk")[:60]:
        series = list(post.snapshots.order_by("taken_at"))
        newest = series[-1]
        assert post.metrics_at == newest.taken_at
        for name in POST_METRICS:
            assert getattr(post, name) == getattr(newest, name)
            values = [getattr(s, name) for s in series]
            assert set(values) == {None} or values == sorted(values)
        assert post.engagements == sum(getattr(newest, n) or 0 for n in ENGAGEMENT_METRICS)
        assert post.next_snapshot_at is None  # generated posts are never collected


def test_snapshots_are_dense_in_the_first_days_and_old_posts_keep_weekly_ones(workspace_a):
    generate_history(_spec(workspace_a, _accounts(workspace_a), sparse_after_days=60))
    old = TrackedPost.objects.filter(published_at__lt=END - timedelta(days=91)).first()
    recent = TrackedPost.objects.filter(
        published_at__range=(END - timedelta(days=59), END - timedelta(days=57))
    ).first()
    assert old.snapshots.count() == len(WEEKLY_SCHEDULE_HOURS)
    hours = [
        (s.taken_at - recent.published_at) // timedelta(hours=1)
        for s in recent.snapshots.order_by("taken_at")
    ]
    assert hours == list(FULL_SCHEDULE_HOURS[: len(hours)]) and hours[:3] == [3, 6, 9]


def test_posts_go_out_at_plausible_hours_in_the_workspaces_zone(workspace_a):
    generate_history(_spec(workspace_a, _accounts(workspace_a)))
    zone = ZoneInfo(workspace_a.time_zone)
    hours = Counter(
        t.astimezone(zone).hour for t in TrackedPost.objects.values_list("published_at", flat=True)
    )
    assert sum(n for h, n in hours.items() if 7 <= h <= 22) == 300
    assert hours[8] + hours[12] + hours[18] > hours[10] + hours[14] + hours[21]


def test_evening_posts_earn_more_than_afternoon_ones_so_best_time_finds_a_peak(workspace_a):
    accounts = _accounts(workspace_a)[:1]
    generate_history(_spec(workspace_a, accounts, posts=600))
    zone = ZoneInfo(workspace_a.time_zone)
    by_slot: dict[str, list[int]] = {"evening": [], "afternoon": []}
    for at, engagements in TrackedPost.objects.exclude(metrics_at=None).values_list(
        "published_at", "engagements"
    ):
        hour = at.astimezone(zone).hour
        slot = "evening" if 18 <= hour <= 20 else "afternoon" if 14 <= hour <= 16 else ""
        if slot:
            by_slot[slot].append(engagements)

    def mean(values):
        return sum(values) / len(values)

    assert mean(by_slot["evening"]) > 1.3 * mean(by_slot["afternoon"])


def test_followers_grow_over_the_span(workspace_a):
    generate_history(_spec(workspace_a, _accounts(workspace_a), posts=100))
    for account in SocialAccount.objects.filter(workspace=workspace_a):
        series = list(account.snapshots.order_by("day").values_list("followers", flat=True))
        assert series[-1] > series[0]


def test_a_linked_publication_gets_its_tracked_post_with_counters(workspace_a, alice):
    from townsquare.content.models import Post, Variant
    from townsquare.publishing.models import Publication

    accounts = _accounts(workspace_a)
    post = Post.objects.create(workspace=workspace_a, master_text="Hallo Leipzig", language="de")
    variant = Variant.objects.create(post=post, account=accounts[0], text="Hallo Leipzig!")
    published = END - timedelta(days=3)
    publication = Publication.objects.create(
        workspace=workspace_a,
        post=post,
        variant=variant,
        account=accounts[0],
        status="published",
        published_at=published,
    )
    link = LinkedPost(
        account_id=accounts[0].pk,
        publication_id=publication.pk,
        published_at=published,
        text="Hallo Leipzig!",
        network_post_id="at://did:plc:demo/app.bsky.feed.post/1",
        pillar="Röstkunst",
    )
    counts = generate_history(_spec(workspace_a, accounts, posts=20, linked=(link,)))
    assert counts.tracked_posts == 21 and counts.linked_posts == 1
    tracked = TrackedPost.objects.get(publication=publication)
    assert tracked.text_excerpt == "Hallo Leipzig!" and tracked.published_at == published
    assert tracked.likes is not None and tracked.snapshots.count() == 16  # every 3 hours for 2 days
