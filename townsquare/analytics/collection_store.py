"""Storing what one collection read: the account's snapshot of the day, a snapshot of each
post that was due, and the newest counters on the tracked post.

Also which posts are tracked: every publication Townsquare published to the account in the
last 90 days gets its TrackedPost at the account's next collection (the first one reaches
back 90 days, the backfill), matched to the network's counters by its first part's id
(`Publication.external_id`) and the ids of its further parts (`part_ids`). A post the
account published elsewhere (the network's own app, another tool) is tracked too when a
collection finds it, so the dashboards count all of the account's posts: source "collected",
no publication, the text and link the network gave. Townsquare's publications are matched
first; a post whose id is a publication's (or one of its parts') is never tracked on its own,
and one tracked before its publication was known is linked to it by track_publications.
Replies are not posts of their own (connectors leave their `published_at` empty): answers in
conversations belong to the inbox, and a thread is one post.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Min, Q

from townsquare.analytics.collection_schedule import (
    ACCOUNT_EVERY,
    WEEKLY_UNTIL,
    first_snapshot_at,
    next_snapshot_at,
)
from townsquare.analytics.metric_maps import METRIC_MAPS, MetricMap, Translated, translate
from townsquare.analytics.metric_names import ACCOUNT_METRICS, ENGAGEMENT_METRICS, POST_METRICS
from townsquare.analytics.models import AccountSnapshot, PostSnapshot, Source, TrackedPost
from townsquare.analytics.post_rollup import set_local_times
from townsquare.networks.base import MetricSnapshot
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status

EXCERPT_CHARS = 300
# A network's clock may run a little ahead of ours: a post it dates that far in the future
# is one just made (and is tracked as made now), not a wrong date.
CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class Stored:
    account_snapshot: bool
    post_snapshots: int
    # Posts the account published outside Townsquare, tracked by this collection.
    found_outside: int = 0


def track_publications(account: SocialAccount, now: datetime) -> int:
    """A TrackedPost for each publication of the account published in the last 90 days that
    has none; one imported earlier under the same network id is linked instead. Returns how
    many were made or linked."""
    untracked = (
        Publication.objects.filter(
            account=account,
            status=Status.PUBLISHED,
            published_at__gte=now - WEEKLY_UNTIL,
            tracked_post__isnull=True,
        )
        .exclude(external_id="")
        .select_related("variant", "post")
    )
    made = 0
    for pub in untracked:
        assert pub.published_at is not None
        existing = TrackedPost.objects.filter(account=account, network_post_id=pub.external_id)
        if existing.exists():
            made += existing.filter(publication__isnull=True).update(publication=pub)
            continue
        TrackedPost.objects.create(
            workspace_id=account.workspace_id,
            account=account,
            network=account.network,
            network_post_id=pub.external_id,
            publication=pub,
            published_at=pub.published_at,
            text_excerpt=_excerpt(pub),
            url=pub.external_url,
            source=Source.COLLECTED,
            next_snapshot_at=first_snapshot_at(pub.published_at, now),
        )
        made += 1
    return made


def earliest_due_publication(account: SocialAccount, now: datetime) -> datetime | None:
    """When the oldest post due now was published: how far back the network must list."""
    found = TrackedPost.objects.filter(account=account, next_snapshot_at__lte=now).aggregate(
        at=Min("published_at")
    )
    return found["at"]


def store_readings(
    account: SocialAccount,
    readings: Sequence[MetricSnapshot],
    now: datetime,
    maps: Mapping[str, tuple[MetricMap, ...]] = METRIC_MAPS,
) -> Stored:
    """Store one collection's readings (call inside a transaction)."""
    account_reading = next((r for r in reversed(readings) if not r.network_post_id), None)
    stored_account = False
    if account_reading is not None:
        stored_account = _store_account(account, account_reading, now, maps)
    by_id = {r.network_post_id: r for r in readings if r.network_post_id}
    found = track_outside_posts(account, by_id.values(), now)
    return Stored(stored_account, _store_due_posts(account, by_id, now, maps), found)


def track_outside_posts(
    account: SocialAccount, readings: Iterable[MetricSnapshot], now: datetime
) -> int:
    """A TrackedPost for each post of the readings that the account published outside
    Townsquare in the last 90 days and that is not tracked yet; its first snapshot is due at
    once, so the same collection stores it. Returns how many were made."""
    recent = {
        r.network_post_id: r
        for r in readings
        if r.published_at is not None and now - WEEKLY_UNTIL < r.published_at <= now + CLOCK_SKEW
    }
    if not recent:
        return 0
    already = set(
        TrackedPost.objects.filter(account=account, network_post_id__in=recent).values_list(
            "network_post_id", flat=True
        )
    )
    candidates = {i: r for i, r in recent.items() if i not in already}
    if not candidates:
        return 0
    ours = _publication_ids(account, since=min(r.published_at or now for r in candidates.values()))
    made = []
    for network_post_id, reading in candidates.items():
        if network_post_id in ours:
            continue  # Townsquare's: tracked with its publication, never on its own
        assert reading.published_at is not None
        published_at = min(reading.published_at, now)
        made.append(
            TrackedPost(
                workspace_id=account.workspace_id,
                account=account,
                network=account.network,
                network_post_id=network_post_id,
                publication=None,
                published_at=published_at,
                text_excerpt=" ".join(reading.text.split())[:EXCERPT_CHARS],
                url=reading.url if _is_web_address(reading.url) else "",
                source=Source.COLLECTED,
                next_snapshot_at=first_snapshot_at(published_at, now),
            )
        )
    # One statement for a backfill's hundreds of posts; the transaction holds the account's
    # collection alone (its claim), so nobody adds the same ids meanwhile.
    set_local_times(made, account.workspace)
    TrackedPost.objects.bulk_create(made, batch_size=500)
    return len(made)


def _publication_ids(account: SocialAccount, since: datetime) -> set[str]:
    """The network ids of the account's publications and of all their parts: those of any
    status (one being published right now has its id before it is marked published) and,
    as a network dates a post a little apart from Townsquare, from a day before `since`."""
    ids: set[str] = set()
    rows = (
        Publication.objects.filter(account=account)
        .exclude(external_id="")
        .filter(Q(published_at__isnull=True) | Q(published_at__gte=since - timedelta(days=1)))
        .values_list("external_id", "part_ids")
    )
    for external_id, part_ids in rows:
        ids.add(external_id)
        ids.update(str(part) for part in (part_ids or []) if part)
    return ids


def _is_web_address(url: str) -> bool:
    return url.startswith(("https://", "http://")) and len(url) <= 2000


def next_due(account: SocialAccount, now: datetime) -> datetime:
    """The account's next collection: its regular reading, or a post's earlier snapshot."""
    soonest = TrackedPost.objects.filter(account=account, next_snapshot_at__gt=now).aggregate(
        at=Min("next_snapshot_at")
    )["at"]
    regular = now + ACCOUNT_EVERY
    return min(soonest, regular) if soonest else regular


def snapshot_day(reading: MetricSnapshot, now: datetime, time_zone: str) -> date:
    """The day a reading belongs to. A reading of today (in UTC, as connectors date what
    they read now) counts for today in the workspace's zone, the days its dashboards show;
    a reading of another day (an import of older counters) keeps its day."""
    if reading.day != now.astimezone(UTC).date():
        return reading.day
    try:
        zone = ZoneInfo(time_zone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def _store_account(
    account: SocialAccount,
    reading: MetricSnapshot,
    now: datetime,
    maps: Mapping[str, tuple[MetricMap, ...]],
) -> bool:
    translated = translate(account.network, reading, maps)
    day = snapshot_day(reading, now, account.workspace.time_zone)
    current = AccountSnapshot.objects.select_for_update().filter(account=account, day=day).first()
    if current is not None and current.taken_at > now:
        return False  # a newer reading of the same day is already stored
    values = {name: translated.counters.get(name) for name in ACCOUNT_METRICS}
    AccountSnapshot.objects.update_or_create(
        account=account,
        day=day,
        defaults={
            "workspace_id": account.workspace_id,
            "taken_at": now,
            "source": Source.COLLECTED,
            "raw": dict(reading.metrics),
            "metric_map_version": translated.version,
            **values,
        },
    )
    return True


def _store_due_posts(
    account: SocialAccount,
    by_id: Mapping[str, MetricSnapshot],
    now: datetime,
    maps: Mapping[str, tuple[MetricMap, ...]],
) -> int:
    stored = 0
    due = TrackedPost.objects.filter(account=account, next_snapshot_at__lte=now).select_related(
        "publication"
    )
    for post in due:
        parts = _part_ids(post)
        found = [(i, by_id[part]) for i, part in enumerate(parts) if part in by_id]
        post.next_snapshot_at = next_snapshot_at(post.published_at, now)
        if not found:
            # The network did not list it (deleted there, or beyond what it lists): no
            # snapshot, and the next look at the usual time.
            post.save(update_fields=["next_snapshot_at"])
            continue
        translated = [(i, translate(account.network, reading, maps)) for i, reading in found]
        counters = combine_parts(translated, len(parts))
        raw: dict[str, object] = (
            dict(found[0][1].metrics)
            if len(parts) == 1
            else {"parts": {parts[i]: dict(reading.metrics) for i, reading in found}}
        )
        version = translated[0][1].version
        columns = {name: counters.get(name) for name in POST_METRICS}
        PostSnapshot.objects.create(
            post=post,
            taken_at=now,
            source=Source.COLLECTED,
            raw=raw,
            metric_map_version=version,
            **columns,
        )
        for name, value in columns.items():
            setattr(post, name, value)
        post.engagements = sum(counters.get(name) or 0 for name in ENGAGEMENT_METRICS)
        post.metrics_at = now
        post.metric_map_version = version
        post.save(
            update_fields=[
                *POST_METRICS,
                "engagements",
                "metrics_at",
                "metric_map_version",
                "next_snapshot_at",
            ]
        )
        stored += 1
    return stored


def combine_parts(parts: Iterable[tuple[int, Translated]], part_count: int) -> dict[str, int]:
    """The counters of a post of `part_count` parts from those of the parts read (index,
    counters): added up, less the replies that are the thread itself. Townsquare publishes
    a thread as a chain, each part answering the one before it, so every part read that has
    a successor counts one reply of ours. A metric no part reports stays unknown."""
    total: dict[str, int] = {}
    read = dict(parts)
    for translated in read.values():
        for name, value in translated.counters.items():
            total[name] = total.get(name, 0) + value
    own_replies = sum(1 for index in read if index + 1 < part_count)
    if "replies" in total:
        total["replies"] = max(total["replies"] - own_replies, 0)
    return total


def _part_ids(post: TrackedPost) -> list[str]:
    pub = post.publication
    ids = [str(i) for i in (pub.part_ids if pub is not None else []) if i]
    if not ids or ids[0] != post.network_post_id:
        ids = [post.network_post_id, *[i for i in ids if i != post.network_post_id]]
    return ids


def _excerpt(pub: Publication) -> str:
    variant = pub.variant
    text = ""
    if variant is not None:
        text = (variant.parts[0] if variant.parts else "") or variant.text
    text = text or pub.post.master_text
    return " ".join(text.split())[:EXCERPT_CHARS]
