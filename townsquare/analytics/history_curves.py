"""The shapes of generated history: how followers grow, when posts go out, how much
engagement a post earns and how its counters build up after publication.

Pure: no Django. Used by history.py (the generator shared by the demo and the benchmark);
every number here is an invented but plausible rule of thumb, never a network's real figure.
Randomness comes from the caller's seeded `random.Random`, so the same seed gives the same
history.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from townsquare.analytics import collection_schedule as schedule

# What each network reports, as the demo imitates it (the canonical names of
# metric_names.py). A metric missing here stays NULL: Bluesky, Mastodon and Matrix report
# no impressions, views or reach, and Matrix only reactions (kept as likes) and replies.
POST_REPORTS: dict[str, tuple[str, ...]] = {
    "bluesky": ("likes", "reposts", "replies", "quotes"),
    "mastodon": ("likes", "reposts", "replies", "quotes"),
    "matrix_room": ("likes", "replies"),
    "x": ("impressions", "likes", "reposts", "replies", "quotes", "saves", "link_clicks"),
    "threads": ("views", "likes", "reposts", "replies", "quotes"),
    "instagram": ("views", "reach", "likes", "reposts", "replies", "saves"),
    "facebook_page": ("views", "reach", "likes", "reposts", "replies", "link_clicks"),
    "linkedin_page": ("impressions", "reach", "likes", "reposts", "replies", "link_clicks"),
    "linkedin_profile": ("impressions", "likes", "reposts", "replies"),
    "youtube": ("views", "likes", "replies"),
    "pinterest": ("impressions", "saves", "link_clicks"),
    "tiktok": ("views", "likes", "reposts", "replies", "saves"),
    "telegram_channel": ("views", "likes", "reposts"),
    "discord": ("likes", "replies"),
    "reddit": ("views", "likes", "replies"),
}
ACCOUNT_REPORTS: dict[str, tuple[str, ...]] = {
    "bluesky": ("followers", "following", "posts"),
    "mastodon": ("followers", "following", "posts"),
    "matrix_room": ("followers",),  # the room's members
    "x": ("followers", "following", "posts", "impressions", "profile_visits", "link_clicks"),
    "threads": ("followers", "views"),
    "instagram": (
        "followers",
        "following",
        "posts",
        "views",
        "reach",
        "profile_visits",
        "link_clicks",
    ),
    "facebook_page": ("followers", "views", "reach", "profile_visits", "link_clicks"),
    "linkedin_page": ("followers", "impressions", "reach", "profile_visits", "link_clicks"),
    "linkedin_profile": ("followers", "impressions", "profile_visits"),
    "youtube": ("followers", "views"),
    "pinterest": ("followers", "impressions", "link_clicks"),
    "tiktok": ("followers", "following", "views", "profile_visits"),
    "telegram_channel": ("followers", "views"),
    "discord": ("followers",),
    "reddit": ("followers",),
}
# A network the tables above do not know (the test network) is treated like Bluesky.
DEFAULT_NETWORK = "bluesky"

# Typical audience size at the start, share of followers a post is shown to, and share of
# those who engage, per network.
AUDIENCE: dict[str, tuple[int, float, float]] = {
    "bluesky": (900, 0.45, 0.05),
    "mastodon": (700, 0.5, 0.06),
    "matrix_room": (160, 0.7, 0.09),
    "x": (4200, 0.3, 0.015),
    "threads": (1300, 0.35, 0.03),
    "instagram": (6000, 0.3, 0.04),
    "facebook_page": (5200, 0.12, 0.025),
    "linkedin_page": (2600, 0.25, 0.03),
    "linkedin_profile": (1800, 0.3, 0.03),
    "youtube": (1500, 0.4, 0.045),
    "pinterest": (900, 0.8, 0.012),
    "tiktok": (2500, 0.9, 0.05),
    "telegram_channel": (1100, 0.6, 0.02),
    "discord": (400, 0.5, 0.05),
    "reddit": (1200, 0.4, 0.03),
}
# How an engagement splits over the interaction kinds (renormalised over what is reported).
ENGAGEMENT_SHARES: dict[str, float] = {
    "likes": 0.62,
    "reposts": 0.13,
    "replies": 0.09,
    "quotes": 0.03,
    "saves": 0.07,
    "link_clicks": 0.06,
}
VISIBILITY = ("impressions", "views", "reach")

# Monday first. Growth follows the working week; engagement peaks midweek.
GROWTH_BY_WEEKDAY = (1.15, 1.2, 1.15, 1.1, 1.0, 0.7, 0.65)
ENGAGEMENT_BY_WEEKDAY = (1.0, 1.15, 1.1, 1.2, 0.95, 0.75, 0.85)
# LinkedIn is read at work: its weekend is quiet.
ENGAGEMENT_BY_WEEKDAY_AT_WORK = (1.1, 1.2, 1.2, 1.15, 0.95, 0.45, 0.4)
AT_WORK = frozenset({"linkedin_page", "linkedin_profile", "x"})
# Messages go out less at the weekend.
POSTING_BY_WEEKDAY = (1.0, 1.1, 1.1, 1.05, 1.0, 0.55, 0.45)
# When the team posts (local hour -> weight): mornings, lunch, early evening.
POSTING_HOURS: dict[int, float] = {
    7: 4, 8: 9, 9: 7, 10: 4, 11: 5, 12: 9, 13: 6, 14: 3, 15: 3, 16: 4,
    17: 7, 18: 9, 19: 8, 20: 5, 21: 2, 22: 1,
}  # fmt: skip


def _collection_rhythm() -> tuple[int, ...]:
    """Hours after publication at which collection reads a post (collection_schedule.py):
    every 3 hours in its first 2 days, daily until day 30, weekly until day 90."""
    hours, age = [], schedule.DENSE_EVERY
    while True:
        hours.append(int(age / timedelta(hours=1)))
        step = schedule.interval_at(age)
        if step is None:
            return tuple(hours)
        age = min(age + step, schedule.WEEKLY_UNTIL)


FULL_SCHEDULE_HOURS: tuple[int, ...] = _collection_rhythm()
# Old posts in the demo keep only weekly readings (and the last one, on day 90).
WEEKLY_SCHEDULE_HOURS: tuple[int, ...] = (
    *range(7 * 24, FULL_SCHEDULE_HOURS[-1], 7 * 24),
    FULL_SCHEDULE_HOURS[-1],
)


@dataclass(frozen=True)
class Window:
    """Days (inclusive) in which followers grow faster and posts do better: a campaign."""

    starts_on: date
    ends_on: date
    lift: float = 1.35

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def post_metrics(network: str) -> tuple[str, ...]:
    return POST_REPORTS.get(network, POST_REPORTS[DEFAULT_NETWORK])


def account_metrics(network: str) -> tuple[str, ...]:
    return ACCOUNT_REPORTS.get(network, ACCOUNT_REPORTS[DEFAULT_NETWORK])


def audience(network: str) -> tuple[int, float, float]:
    return AUDIENCE.get(network, AUDIENCE[DEFAULT_NETWORK])


def follower_series(
    rng: random.Random,
    network: str,
    days: Sequence[date],
    posts_per_day: Sequence[int],
    windows: Sequence[Window],
    dip: Window | None,
) -> list[int]:
    """Followers at the end of each day: steady growth with a weekly rhythm, faster on days
    with posts and in campaigns (and a little after), a loss during `dip`."""
    start, _, _ = audience(network)
    followers = start * rng.uniform(0.5, 1.8)
    growth = rng.uniform(0.0003, 0.0008)  # per day: about +15 % to +40 % a year in all
    series = []
    for day, posted in zip(days, posts_per_day, strict=True):
        rate = growth * GROWTH_BY_WEEKDAY[day.weekday()] * (1 + 0.35 * min(posted, 3))
        for window in windows:
            if window.starts_on <= day <= window.ends_on + timedelta(days=7):
                rate *= 1 + 3 * (window.lift - 1)  # twice as fast in a usual campaign
        if dip is not None and dip.covers(day):
            rate = -rng.uniform(0.002, 0.005)  # a loss: people leave after a bad week
        followers = max(1.0, followers * (1 + rate + rng.gauss(0, 0.0006)))
        series.append(round(followers))
    return series


def engagement_factor(network: str, weekday: int, hour: int) -> float:
    """How well a post does by the local weekday and hour it went out: an evening peak,
    smaller ones in the morning and at lunch; weekends quiet on the networks read at work."""
    by_day = ENGAGEMENT_BY_WEEKDAY_AT_WORK if network in AT_WORK else ENGAGEMENT_BY_WEEKDAY
    evening = 19.5 if network not in AT_WORK else 8.5
    peak = (
        0.45
        + 1.0 * math.exp(-(((hour - evening) / 1.6) ** 2))
        + 0.45 * math.exp(-(((hour - 12.5) / 1.2) ** 2))
        + 0.35 * math.exp(-(((hour - 8) / 1.2) ** 2))
    )
    return by_day[weekday] * peak


def post_totals(
    rng: random.Random, network: str, followers: int, lift: float
) -> dict[str, int | None]:
    """The counters a post ends with (on day 90): visibility from the audience it
    reached, engagement as a share of that; `lift` carries hour, weekday, pillar, campaign."""
    _, shown, engaged = audience(network)
    reported = post_metrics(network)
    seen = followers * shown * lift * rng.lognormvariate(0, 0.45)
    engagement = seen * engaged * min(lift, 2.5) ** 0.5 * rng.lognormvariate(0, 0.3)
    kinds = [m for m in ENGAGEMENT_SHARES if m in reported]
    share_sum = sum(ENGAGEMENT_SHARES[m] for m in kinds) or 1.0
    totals: dict[str, int | None] = {}
    for name in ("impressions", "views", "reach"):
        if name in reported:
            totals[name] = round(seen * (0.62 if name == "reach" else 1.0))
    for name in kinds:
        totals[name] = round(
            engagement * ENGAGEMENT_SHARES[name] / share_sum * rng.uniform(0.7, 1.3)
        )
    return totals


def built_up(hours: float) -> float:
    """Share of a post's final counters reached `hours` after publication: most in the first
    day, a long tail over weeks (1.0 at the last reading, on day 90)."""

    def raw(h: float) -> float:
        return 0.82 * (1 - math.exp(-h / 7)) + 0.18 * (1 - math.exp(-h / 200))

    return min(1.0, raw(hours) / raw(FULL_SCHEDULE_HOURS[-1]))


def account_day(
    rng: random.Random, network: str, followers: int, weekday: int, posted: int, lift: float
) -> dict[str, int | None]:
    """One day of an account's own counts (what the network reports of them): seen more on
    days with posts and in campaigns."""
    reported = account_metrics(network)
    _, shown, _ = audience(network)
    seen = (
        followers
        * shown
        * 0.6
        * ENGAGEMENT_BY_WEEKDAY[weekday]
        * (1 + 0.7 * min(posted, 4))
        * lift
        * rng.lognormvariate(0, 0.25)
    )
    values: dict[str, int | None] = {}
    for name, share in (
        ("impressions", 1.0),
        ("views", 1.1),
        ("reach", 0.55),
        ("profile_visits", 0.012),
        ("link_clicks", 0.005),
    ):
        if name in reported:
            values[name] = round(seen * share)
    return values
