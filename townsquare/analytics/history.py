"""Generated analytics history: two years (or any span) of daily account snapshots and of
posts with their snapshots, for the demo's workspaces and the benchmark.

Deterministic: the same spec and seed write the same rows (ids aside). Everything written
has source "demo" and metric map version "demo"; a counter the network would not report
stays NULL (history_curves.py says which). Posts go out at plausible local hours, more on
weekdays; their engagement depends on the hour, the weekday, the pillar and a campaign, so
the best time to post and the pillar comparison find something. Snapshots follow the
collection's rhythm (dense in the first days, then daily, then weekly); posts older than
`sparse_after_days` keep only their weekly readings. Demo posts are never collected, so
`next_snapshot_at` stays empty: collection leaves them alone.

Rows are written with bulk_create in batches, so 100,000 posts over 50 accounts take
minutes, not hours.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from townsquare.analytics import history_curves as curves
from townsquare.analytics.metric_names import ACCOUNT_METRICS, ENGAGEMENT_METRICS, POST_METRICS
from townsquare.analytics.models import AccountSnapshot, PostSnapshot, Source, TrackedPost
from townsquare.analytics.post_rollup import set_local_times
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Workspace

MAP_VERSION = "demo"


@dataclass(frozen=True)
class LinkedPost:
    """A publication that exists already (the demo's published posts): its tracked post is
    linked to it and gets generated counters like the others."""

    account_id: int
    publication_id: int
    published_at: datetime
    text: str
    network_post_id: str
    url: str = ""
    pillar: str = ""
    in_campaign: bool = False


@dataclass(frozen=True)
class HistorySpec:
    workspace: Workspace
    accounts: tuple[SocialAccount, ...]
    start: date  # first day of history (in the workspace's zone)
    end: datetime  # "now": nothing is read after it
    posts: int  # generated posts (one message may go to several accounts: one post each)
    texts: tuple[tuple[str, str], ...]  # (pillar name, text) pairs the posts cycle through
    seed: int = 13
    campaigns: tuple[curves.Window, ...] = ()
    linked: tuple[LinkedPost, ...] = ()
    posts_until: datetime | None = None  # generated posts stop here (default: `end`)
    sparse_after_days: int | None = None  # older posts: weekly readings only
    batch_size: int = 2000


@dataclass(frozen=True)
class HistoryCounts:
    account_snapshots: int
    tracked_posts: int
    linked_posts: int
    post_snapshots: int


@dataclass(frozen=True)
class _Planned:
    """One post before it is written."""

    account_index: int
    published_at: datetime  # UTC
    local: datetime  # the wall time in the workspace's zone
    text: str
    pillar: str
    network_post_id: str
    publication_id: int | None = None
    url: str = ""
    in_campaign: bool = False


@dataclass
class _Counter:
    account_snapshots: int = 0
    tracked_posts: int = 0
    linked_posts: int = 0
    post_snapshots: int = 0
    per_day: dict[tuple[int, date], int] = field(default_factory=lambda: defaultdict(int))


def generate_history(spec: HistorySpec) -> HistoryCounts:
    """Write the history `spec` describes, in one transaction per batch."""
    rng = random.Random(f"history:{spec.seed}")
    zone = ZoneInfo(spec.workspace.time_zone)
    end_local = spec.end.astimezone(zone)
    days = _days(spec.start, end_local.date())
    planned = _plan_posts(rng, spec, zone, days) + _linked(spec, zone)
    counter = _Counter()
    for post in planned:
        counter.per_day[(post.account_index, post.local.date())] += 1
    dip = _dip(rng, days)
    # The given campaigns, and seasons of the past the brand pushed harder (more often).
    windows = tuple(spec.campaigns) + _seasons(rng, days)
    followers = _write_account_snapshots(spec, rng, zone, days, windows, dip, counter)
    pillar_lift = _pillar_lifts(rng, spec.texts)
    _write_posts(spec, rng, planned, followers, days[0], windows, pillar_lift, counter)
    return HistoryCounts(
        account_snapshots=counter.account_snapshots,
        tracked_posts=counter.tracked_posts,
        linked_posts=counter.linked_posts,
        post_snapshots=counter.post_snapshots,
    )


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _plan_posts(
    rng: random.Random, spec: HistorySpec, zone: ZoneInfo, days: list[date]
) -> list[_Planned]:
    """`spec.posts` posts: messages on weighted days (more on weekdays, a little more as
    the brand grows), each to one to three accounts at a plausible hour."""
    if spec.posts <= 0 or not spec.accounts or not spec.texts:
        return []
    until = spec.posts_until or spec.end
    last_day = min(until.astimezone(zone).date(), days[-1])
    usable = [d for d in days if d <= last_day]
    if not usable:
        return []
    weights = [
        curves.POSTING_BY_WEEKDAY[d.weekday()] * (0.8 + 0.4 * n / len(usable))
        for n, d in enumerate(usable)
    ]
    hours = list(curves.POSTING_HOURS)
    hour_weights = list(curves.POSTING_HOURS.values())
    account_weights = [_cadence(rng, a.network) for a in spec.accounts]
    indices = list(range(len(spec.accounts)))
    planned: list[_Planned] = []
    message = 0
    # Bounded: a span whose every slot lies after `posts_until` must not loop for ever.
    while len(planned) < spec.posts and message < 20 * spec.posts:
        day = rng.choices(usable, weights)[0]
        wall = datetime.combine(day, time(rng.choices(hours, hour_weights)[0], rng.randrange(60)))
        published = wall.replace(tzinfo=zone).astimezone(UTC)
        pillar, text = spec.texts[message % len(spec.texts)]
        fan_out = min(rng.choice((1, 1, 1, 2, 2, 3)), len(indices), spec.posts - len(planned))
        targets = _sample_weighted(rng, indices, account_weights, fan_out)
        for offset, index in enumerate(sorted(targets)):
            at = published + timedelta(seconds=4 + 40 * offset)
            if at >= until:
                continue
            planned.append(
                _Planned(
                    account_index=index,
                    published_at=at,
                    local=at.astimezone(zone).replace(tzinfo=None),
                    text=text,
                    pillar=pillar,
                    network_post_id=f"demo-{spec.seed}-{message}-{index}",
                )
            )
        message += 1
    planned.sort(key=lambda p: (p.published_at, p.account_index))
    return planned


def _cadence(rng: random.Random, network: str) -> float:
    """How often an account is chosen: chat rooms and video channels get fewer posts."""
    base = {"matrix_room": 0.4, "youtube": 0.25, "pinterest": 0.5, "discord": 0.4}
    return base.get(network, 1.0) * rng.uniform(0.6, 1.4)


def _sample_weighted(
    rng: random.Random, items: list[int], weights: list[float], count: int
) -> list[int]:
    chosen: list[int] = []
    pool, pool_weights = list(items), list(weights)
    for _ in range(count):
        pick = rng.choices(range(len(pool)), pool_weights)[0]
        chosen.append(pool.pop(pick))
        pool_weights.pop(pick)
    return chosen


def _linked(spec: HistorySpec, zone: ZoneInfo) -> list[_Planned]:
    position = {account.pk: n for n, account in enumerate(spec.accounts)}
    return [
        _Planned(
            account_index=position[link.account_id],
            published_at=link.published_at,
            local=link.published_at.astimezone(zone).replace(tzinfo=None),
            text=link.text,
            pillar=link.pillar,
            network_post_id=link.network_post_id,
            publication_id=link.publication_id,
            url=link.url,
            in_campaign=link.in_campaign,
        )
        for link in spec.linked
        if link.account_id in position and link.published_at <= spec.end
    ]


def _dip(rng: random.Random, days: list[date]) -> curves.Window | None:
    """A week or two in which the audience shrinks (a bad week happens to every brand)."""
    if len(days) < 120:
        return None
    first = days[rng.randrange(len(days) // 3, 2 * len(days) // 3)]
    return curves.Window(first, first + timedelta(days=rng.randint(7, 14)), lift=0.8)


def _seasons(rng: random.Random, days: list[date]) -> tuple[curves.Window, ...]:
    """Three or four stretches of three to six weeks, one every eight months."""
    if len(days) < 60:
        return ()
    windows = []
    for _ in range(max(1, len(days) // 240)):
        first = days[rng.randrange(0, len(days) - 45)]
        windows.append(curves.Window(first, first + timedelta(days=rng.randint(21, 42))))
    return tuple(sorted(windows, key=lambda w: w.starts_on))


def _pillar_lifts(rng: random.Random, texts: Sequence[tuple[str, str]]) -> dict[str, float]:
    names = sorted({pillar for pillar, _ in texts})
    return {name: rng.uniform(0.75, 1.4) for name in names}


def _lift_on(windows: Sequence[curves.Window], day: date) -> float:
    lift = 1.0
    for window in windows:
        if window.covers(day):
            lift = max(lift, window.lift)
    return lift


def _write_account_snapshots(
    spec: HistorySpec,
    rng: random.Random,
    zone: ZoneInfo,
    days: list[date],
    windows: Sequence[curves.Window],
    dip: curves.Window | None,
    counter: _Counter,
) -> list[list[int]]:
    """A snapshot per account and day; returns each account's followers per day."""
    all_followers = []
    writer = _RowWriter(AccountSnapshot, ("workspace_id", "account_id", "day", "taken_at"))
    for index, account in enumerate(spec.accounts):
        network = account.network
        reported = curves.account_metrics(network)
        posted = [counter.per_day.get((index, d), 0) for d in days]
        followers = curves.follower_series(rng, network, days, posted, windows, dip)
        all_followers.append(followers)
        following = rng.randint(40, 400)
        total_posts = rng.randint(20, 300)
        for n, day in enumerate(days):
            total_posts += posted[n]
            if rng.random() < 0.02:
                following += 1
            values = curves.account_day(
                rng, network, followers[n], day.weekday(), posted[n], _lift_on(windows, day)
            )
            totals = {"followers": followers[n], "following": following, "posts": total_posts}
            values.update({k: v for k, v in totals.items() if k in reported})
            taken = min(
                datetime.combine(day, time(23, 50)).replace(tzinfo=zone).astimezone(UTC),
                spec.end,
            )
            writer.add(
                (spec.workspace.pk, account.pk, writer.day(day), writer.moment(taken)), values
            )
    counter.account_snapshots += writer.flush()
    return all_followers


class _RowWriter:
    """Inserts rows of a snapshot table with one executemany per batch: much faster than
    building a model instance per row, which matters at millions of post snapshots. The
    values are adapted the way the fields themselves would (dates, JSON, per database)."""

    def __init__(self, model: type[PostSnapshot] | type[AccountSnapshot], keys: tuple[str, ...]):
        self.metrics = POST_METRICS if model is PostSnapshot else ACCOUNT_METRICS
        meta = model._meta
        columns = (*keys, "source", "raw", "metric_map_version", *self.metrics)
        quote = connection.ops.quote_name
        # Table and column names come from the model's own meta; values are parameters.
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
        self.constant = (
            str(Source.DEMO),
            meta.get_field("raw").get_db_prep_save({}, connection),
            MAP_VERSION,
        )
        self.rows: list[tuple[object, ...]] = []
        self.written = 0

    def add(self, keys: tuple[object, ...], values: dict[str, int | None]) -> None:
        """`keys` as the database takes them (see `moment` and `day`)."""
        self.rows.append((*keys, *self.constant, *[values.get(m) for m in self.metrics]))
        if len(self.rows) >= 5000:
            self.flush()

    @staticmethod
    def moment(value: datetime) -> object:
        return connection.ops.adapt_datetimefield_value(value)

    @staticmethod
    def day(value: date) -> object:
        return connection.ops.adapt_datefield_value(value)

    def flush(self) -> int:
        if self.rows:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows = []
        return self.written


def _write_posts(
    spec: HistorySpec,
    rng: random.Random,
    planned: list[_Planned],
    followers: list[list[int]],
    first_day: date,
    windows: Sequence[curves.Window],
    pillar_lift: dict[str, float],
    counter: _Counter,
) -> None:
    full = [(h, curves.built_up(h)) for h in curves.FULL_SCHEDULE_HOURS]
    weekly = [(h, curves.built_up(h)) for h in curves.WEEKLY_SCHEDULE_HOURS]
    sparse_before = (
        spec.end - timedelta(days=spec.sparse_after_days)
        if spec.sparse_after_days is not None
        else None
    )
    for chunk in _chunks(planned, spec.batch_size):
        posts: list[TrackedPost] = []
        readings: list[list[tuple[datetime, dict[str, int | None]]]] = []
        for item in chunk:
            account = spec.accounts[item.account_index]
            day_index = min(max((item.local.date() - first_day).days, 0), len(followers[0]) - 1)
            audience = followers[item.account_index][day_index]
            campaign = (1.3 if item.in_campaign else 1.0) * _lift_on(
                windows, item.local.date()
            ) ** 0.8
            lift = (
                curves.engagement_factor(account.network, item.local.weekday(), item.local.hour)
                * pillar_lift.get(item.pillar, 1.0)
                * campaign
            )
            totals = curves.post_totals(rng, account.network, audience, lift)
            schedule = weekly if sparse_before and item.published_at < sparse_before else full
            series = []
            # Readings of one post come a few minutes after their hour, by the same lag.
            first = item.published_at + timedelta(minutes=rng.randrange(1, 9))
            for hours, share in schedule:
                taken = first + timedelta(hours=hours)
                if taken > spec.end:
                    break
                series.append((taken, _counters(totals, share)))
            readings.append(series)
            posts.append(_tracked_post(spec, account, item, series))
        set_local_times(posts, spec.workspace)
        with transaction.atomic():
            TrackedPost.objects.bulk_create(posts, batch_size=spec.batch_size)
        writer = _RowWriter(PostSnapshot, ("post_id", "taken_at"))
        for post, series in zip(posts, readings, strict=True):
            for taken, values in series:
                writer.add((post.pk, writer.moment(taken)), values)
        counter.tracked_posts += len(posts)
        counter.linked_posts += sum(1 for item in chunk if item.publication_id)
        counter.post_snapshots += writer.flush()


def _chunks(items: list[_Planned], size: int) -> Iterator[list[_Planned]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _counters(totals: dict[str, int | None], share: float) -> dict[str, int | None]:
    """Counters at a reading: the share of each final total built up by then (a metric
    the network does not report is absent, and written as NULL)."""
    return {name: int(total * share) for name, total in totals.items() if total is not None}


def _tracked_post(
    spec: HistorySpec,
    account: SocialAccount,
    item: _Planned,
    series: list[tuple[datetime, dict[str, int | None]]],
) -> TrackedPost:
    newest: dict[str, int | None] = series[-1][1] if series else {}
    return TrackedPost(
        workspace_id=spec.workspace.pk,
        account_id=account.pk,
        network=account.network,
        network_post_id=item.network_post_id,
        publication_id=item.publication_id,
        published_at=item.published_at,
        text_excerpt=item.text[:300],
        url=item.url,
        source=Source.DEMO,
        engagements=sum(newest.get(name) or 0 for name in ENGAGEMENT_METRICS),
        metrics_at=series[-1][0] if series else None,
        metric_map_version=MAP_VERSION if series else "",
        next_snapshot_at=None,
        **{name: newest.get(name) for name in POST_METRICS},
    )
