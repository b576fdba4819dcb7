"""Versioned metric maps: what each network's own counter names mean in Townsquare's
canonical metrics (metric_names.py).

Pure: no Django. A connector reports a `MetricSnapshot` in the network's own words (Matrix
counts "reactions", Mastodon "favourites" arrive as "likes"); `translate()` turns it into
canonical counters, and names the map version it used, which is stored beside every snapshot
(`metric_map_version`) together with the untranslated values (`raw`).

Each network has a list of versions, oldest first, each in force from the day it names. A
snapshot is translated by the version in force on the snapshot's day, so an export imported
today with counters from last year is read with last year's names.

How a later version keeps history comparable:

- A network *renames* a counter (it calls "likes" "hearts" from some day on): the new
  version maps the new name to the same canonical metric. The column continues; charts and
  KPIs see one unbroken series and need nothing.
- A network *replaces* a counter by one that counts differently (Meta replaced
  "impressions" by "views" in 2025: a view is counted on every replay, an impression was
  not): the new version maps the new name to its own canonical metric, so the two are never
  silently added up, and declares in `continues` that the new metric carries on the old one
  (`{"views": "impressions"}`). Readers that draw a trend ask `series_columns()` which
  canonical column holds the series on each stretch of days, and mark the day the meaning
  changed instead of showing a jump as growth.

Two network names mapped to one canonical metric are added up (a network that reports
"likes" and "hearts" separately). A name no version maps is left out of the counters and
listed in `unmapped` (it stays in `raw`), never guessed. A counter the network does not
report is absent, which the tables store as NULL: unknown, not zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from townsquare.analytics.metric_names import ACCOUNT_METRICS, POST_METRICS
from townsquare.networks.base import MetricSnapshot


@dataclass(frozen=True, slots=True)
class MetricMap:
    """One version of a network's names: in force from `effective` on."""

    network: str
    number: int
    effective: date
    post: Mapping[str, str]  # the network's name of a post counter -> canonical metric
    account: Mapping[str, str]  # the network's name of an account counter -> canonical metric
    # Canonical metric -> the canonical metric whose series it carries on from `effective`.
    continues: Mapping[str, str] = field(default_factory=dict)
    why: str = ""

    @property
    def version(self) -> str:
        """What snapshots store in `metric_map_version`: "bluesky/1"."""
        return f"{self.network}/{self.number}"


@dataclass(frozen=True, slots=True)
class Translated:
    """A snapshot's counters under canonical names, and the map version that named them."""

    counters: Mapping[str, int]
    version: str
    unmapped: tuple[str, ...] = ()


class NoMetricMap(LookupError):
    """No map version of this network is in force on that day: nothing can be translated."""


# The first day anything was collected; version 1 of every map covers all history before.
BEGINNING = date(2000, 1, 1)

_SOCIAL_POSTS = {"likes": "likes", "reposts": "reposts", "replies": "replies", "quotes": "quotes"}
_SOCIAL_ACCOUNT = {"followers": "followers", "following": "following", "posts": "posts"}

METRIC_MAPS: Mapping[str, tuple[MetricMap, ...]] = {
    # Bluesky's likeCount, repostCount, replyCount and quoteCount of a post view, and the
    # profile's followersCount, followsCount and postsCount (the connector names them so).
    "bluesky": (MetricMap("bluesky", 1, BEGINNING, post=_SOCIAL_POSTS, account=_SOCIAL_ACCOUNT),),
    # Mastodon's favourites_count, reblogs_count, replies_count, quotes_count (4.5 and
    # later; older instances leave it out: unknown) and the account's followers_count,
    # following_count and statuses_count.
    "mastodon": (MetricMap("mastodon", 1, BEGINNING, post=_SOCIAL_POSTS, account=_SOCIAL_ACCOUNT),),
    # A Matrix room has no likes: reactions (m.annotation) are what people give instead, and
    # a room's joined members are the people who follow what it says.
    "matrix_room": (
        MetricMap(
            "matrix_room",
            1,
            BEGINNING,
            post={"reactions": "likes", "replies": "replies"},
            account={"followers": "followers"},
        ),
    ),
    # A Facebook Page's post counters as the Graph API names them (connector:
    # networks/meta): reactions and comments (summary total_count), shares (count), and
    # lifetime insights; the Page's followers_count. Meta retired the Page and post
    # impressions metrics for media views in 2025 (deprecated-metrics page, updated
    # 2026-03-02; last removals 2025-11-15): version 2 maps post_media_view to "views",
    # which carries on the "impressions" series but counts differently (every replay), so
    # the two are never added up; reach stays reach (unique viewers instead of unique
    # impressions). The old names stay mapped for imported history.
    "facebook_page": (
        MetricMap(
            "facebook_page",
            1,
            BEGINNING,
            post={
                "post_impressions": "impressions",
                "post_impressions_unique": "reach",
                "reactions": "likes",
                "comments": "replies",
                "shares": "reposts",
                "post_clicks": "link_clicks",
            },
            account={"followers_count": "followers"},
        ),
        MetricMap(
            "facebook_page",
            2,
            date(2025, 11, 15),
            post={
                "post_impressions": "impressions",
                "post_impressions_unique": "reach",
                "post_media_view": "views",
                "post_total_media_view_unique": "reach",
                "reactions": "likes",
                "comments": "replies",
                "shares": "reposts",
                "post_clicks": "link_clicks",
            },
            account={"followers_count": "followers"},
            continues={"views": "impressions"},
            why="Meta replaced Page and post impressions by media views (2025).",
        ),
    ),
    # An Instagram professional account's media: like_count and comments_count fields and
    # the lifetime insights saved, shares, reach; the account's followers_count,
    # follows_count, media_count. Instagram retired "impressions" (and plays) for "views"
    # on 2025-04-21 (media insights reference): version 2 maps views, carrying on the
    # impressions series; impressions stays mapped for imported history.
    "instagram": (
        MetricMap(
            "instagram",
            1,
            BEGINNING,
            post={
                "impressions": "impressions",
                "reach": "reach",
                "like_count": "likes",
                "comments_count": "replies",
                "saved": "saves",
                "shares": "reposts",
            },
            account={
                "followers_count": "followers",
                "follows_count": "following",
                "media_count": "posts",
            },
        ),
        MetricMap(
            "instagram",
            2,
            date(2025, 4, 21),
            post={
                "impressions": "impressions",
                "views": "views",
                "reach": "reach",
                "like_count": "likes",
                "comments_count": "replies",
                "saved": "saves",
                "shares": "reposts",
            },
            account={
                "followers_count": "followers",
                "follows_count": "following",
                "media_count": "posts",
            },
            continues={"views": "impressions"},
            why="Instagram replaced impressions by views on 2025-04-21.",
        ),
    ),
    # A LinkedIn page's organizationalEntityShareStatistics per post (lifetime, organic only)
    # and networkSizes' firstDegreeSize (followers). uniqueImpressionsCount counts members
    # reached; clickCount counts clicks on the post's content, name or logo, the nearest
    # LinkedIn has to link clicks. "engagement" is a ratio, not a count: left in `raw`.
    "linkedin_page": (
        MetricMap(
            "linkedin_page",
            1,
            BEGINNING,
            post={
                "impressionCount": "impressions",
                "uniqueImpressionsCount": "reach",
                "clickCount": "link_clicks",
                "likeCount": "likes",
                "commentCount": "replies",
                "shareCount": "reposts",
            },
            account={"firstDegreeSize": "followers"},
        ),
    ),
    # X's public_metrics of a post (docs.x.com fundamentals/metrics; the OpenAPI
    # description spells reposts repost_count, the connector reports either as
    # retweet_count), the author's url_link_clicks of its last 30 days (non_public_metrics),
    # and the user's public_metrics (post_count reported as tweet_count). listed_count and
    # user_profile_clicks have no canonical metric: they stay in `raw`.
    "x": (
        MetricMap(
            "x",
            1,
            BEGINNING,
            post={
                "impression_count": "impressions",
                "like_count": "likes",
                "reply_count": "replies",
                "retweet_count": "reposts",
                "quote_count": "quotes",
                "bookmark_count": "saves",
                "url_link_clicks": "link_clicks",
            },
            account={
                "followers_count": "followers",
                "following_count": "following",
                "tweet_count": "posts",
            },
        ),
    ),
    # Threads insights (developers.facebook.com/documentation/threads/insights): a post's
    # lifetime views, likes, replies, reposts, quotes and shares (shares: sent on by
    # people, which the canonical "reposts" counts too, so both add up there; quotes stay
    # apart). The account's followers_count total, and its "views", which Threads counts
    # on the profile (profile views), not on posts.
    "threads": (
        MetricMap(
            "threads",
            1,
            BEGINNING,
            post={
                "views": "views",
                "likes": "likes",
                "replies": "replies",
                "reposts": "reposts",
                "shares": "reposts",
                "quotes": "quotes",
            },
            account={"followers_count": "followers", "views": "profile_visits"},
        ),
    ),
}


def versions_of(
    network: str, maps: Mapping[str, tuple[MetricMap, ...]] = METRIC_MAPS
) -> tuple[MetricMap, ...]:
    return tuple(sorted(maps.get(network, ()), key=lambda m: m.effective))


def map_in_force(
    network: str, day: date, maps: Mapping[str, tuple[MetricMap, ...]] = METRIC_MAPS
) -> MetricMap:
    """The version that translates counters of `day`; NoMetricMap if there is none."""
    in_force = [m for m in versions_of(network, maps) if m.effective <= day]
    if not in_force:
        raise NoMetricMap(f"no metric map of {network!r} is in force on {day.isoformat()}")
    return in_force[-1]


def translate(
    network: str,
    snapshot: MetricSnapshot,
    maps: Mapping[str, tuple[MetricMap, ...]] = METRIC_MAPS,
) -> Translated:
    """The snapshot's counters in canonical names (an account's when `network_post_id` is
    empty, else a post's), by the version in force on its day."""
    chosen = map_in_force(network, snapshot.day, maps)
    is_account = not snapshot.network_post_id
    names = chosen.account if is_account else chosen.post
    allowed = ACCOUNT_METRICS if is_account else POST_METRICS
    counters: dict[str, int] = {}
    unmapped: list[str] = []
    for name, value in snapshot.metrics.items():
        canonical = names.get(name)
        if canonical not in allowed or not _is_count(value):
            unmapped.append(name)
            continue
        counters[canonical] = counters.get(canonical, 0) + value
    return Translated(counters=counters, version=chosen.version, unmapped=tuple(sorted(unmapped)))


def series_columns(
    network: str, metric: str, maps: Mapping[str, tuple[MetricMap, ...]] = METRIC_MAPS
) -> tuple[tuple[date, str], ...]:
    """Which canonical column holds the series of `metric` from which day on, oldest first:
    `((BEGINNING, "impressions"), (date(2025, 4, 21), "views"))` for a network whose "views"
    continue its "impressions". A metric that continues nothing is one stretch."""
    stretches: list[tuple[date, str]] = []
    current = metric
    # Walk back through the versions: each `continues` names the column before it.
    for version in reversed(versions_of(network, maps)):
        earlier = version.continues.get(current)
        if earlier is not None:
            stretches.append((version.effective, current))
            current = earlier
    stretches.append((BEGINNING, current))
    return tuple(reversed(stretches))


def series_column(
    network: str,
    metric: str,
    day: date,
    maps: Mapping[str, tuple[MetricMap, ...]] = METRIC_MAPS,
) -> str:
    """The canonical column that holds the series of `metric` on `day`."""
    column = metric
    for start, name in series_columns(network, metric, maps):
        if start <= day:
            column = name
    return column


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
