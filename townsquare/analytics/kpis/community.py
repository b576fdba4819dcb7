"""Community: who follows, who engages, who comes back, and how long conversations go
(pure).

Definitions (every figure for the period, beside the previous period of the same length):

- **Followers**: the accounts' followers at the end of the period (their newest daily
  reading on or before the last day), summed. None when no account reports followers.
- **Net growth**: followers at the end minus followers at the start (the newest reading
  before the first day; for an account first read during the period, its first reading),
  summed over accounts read at both ends. Unfollows are included: it is net.
- **Engagement rate**, per network, in percent (ENGAGEMENT_RATE_BASIS says which applies):

  | network                               | rate                                            |
  |---------------------------------------|-------------------------------------------------|
  | Bluesky, Mastodon, Matrix room        | per follower: engagements per post / followers  |
  | (and any network without impressions) |                                                 |
  | X, LinkedIn, Facebook, Instagram,     | per impression: engagements / impressions, over |
  | Threads, TikTok, YouTube, Pinterest   | the posts whose impressions are known           |

  Engagements are the engagement metrics (metric_names.ENGAGEMENT_METRICS: likes, reposts,
  replies, quotes, saves, link clicks) of the posts published in the period, as last read.
  A network meant to be per impression whose posts carry no impressions falls back to per
  follower (and says so in `basis`). The overall rate is given only when every network
  uses the same basis (two bases cannot be added up honestly).
- **Engaged users**: distinct people who wrote to the workspace (mention, comment, reply
  or private message, not spam) during the period, one per inbox contact. Likes and
  reposts do not name people on every network, so they are not counted here.
- **Returning engagers**: of those engaged in the last N weeks up to the period's end
  (N = `returning_weeks`, weeks of 7 days counted back from the last day), the people who
  engaged in two or more of those weeks; and their share of the people engaged in them.
- **Conversation depth**: replies per conversation: the messages after the first (from
  either side) in conversations begun in the period, divided by those conversations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from townsquare.analytics.kpis.periods import Comparison, compare, percent, ratio

PER_FOLLOWER = "followers"
PER_IMPRESSION = "impressions"

# How each network's engagement rate is defined (see the module's table). A network not
# listed has no impressions we know of: per follower.
ENGAGEMENT_RATE_BASIS: dict[str, str] = {
    "bluesky": PER_FOLLOWER,
    "mastodon": PER_FOLLOWER,
    "matrix_room": PER_FOLLOWER,
    "x": PER_IMPRESSION,
    "linkedin_profile": PER_IMPRESSION,
    "linkedin_page": PER_IMPRESSION,
    "facebook_page": PER_IMPRESSION,
    "instagram": PER_IMPRESSION,
    "threads": PER_IMPRESSION,
    "tiktok": PER_IMPRESSION,
    "youtube": PER_IMPRESSION,
    "pinterest": PER_IMPRESSION,
}

DEFAULT_RETURNING_WEEKS = 8


@dataclass(frozen=True, slots=True)
class FollowerInput:
    network: str
    account_id: int
    at_start: int | None  # None: not known
    at_end: int | None


@dataclass(frozen=True, slots=True)
class EngagementInput:
    """One network's posts published in a period."""

    network: str
    posts: int
    engagements: int
    followers: int | None  # at the period's end
    # Only the posts whose impressions are known:
    impressions: int | None = None
    engagements_with_impressions: int = 0


@dataclass(frozen=True, slots=True)
class CommunityInput:
    followers: tuple[FollowerInput, ...] = ()
    engagement: tuple[EngagementInput, ...] = ()
    engaged_users: int = 0
    # Number of distinct weeks engaged -> how many people engaged in that many of the last
    # `returning_weeks` weeks.
    weeks_engaged: Mapping[int, int] = field(default_factory=dict)
    returning_weeks: int = DEFAULT_RETURNING_WEEKS
    conversations: int = 0
    conversation_messages: int = 0


@dataclass(frozen=True, slots=True)
class EngagementRate:
    network: str
    basis: str  # PER_FOLLOWER or PER_IMPRESSION
    rate: Comparison  # percent


@dataclass(frozen=True, slots=True)
class Community:
    followers: Comparison
    net_growth: Comparison
    engagement_rate: Comparison  # percent; None when the networks' bases differ
    engagement_basis: str  # the common basis, "" when they differ or nothing is known
    rates: tuple[EngagementRate, ...]
    engaged_users: Comparison
    returning_engagers: Comparison
    returning_share: Comparison  # percent of the people engaged in the last N weeks
    returning_weeks: int
    conversation_depth: Comparison


def followers_total(rows: Sequence[FollowerInput]) -> int | None:
    known = [r.at_end for r in rows if r.at_end is not None]
    return sum(known) if known else None


def net_growth(rows: Sequence[FollowerInput]) -> int | None:
    pairs = [(r.at_start, r.at_end) for r in rows]
    known = [end - start for start, end in pairs if start is not None and end is not None]
    return sum(known) if known else None


def basis_of(row: EngagementInput) -> str:
    wanted = ENGAGEMENT_RATE_BASIS.get(row.network, PER_FOLLOWER)
    if wanted == PER_IMPRESSION and row.impressions:
        return PER_IMPRESSION
    return PER_FOLLOWER


def engagement_rate(row: EngagementInput) -> float | None:
    """The network's rate in percent (see the module's table); None without posts, or
    without followers or impressions to divide by."""
    if row.posts <= 0:
        return None
    if basis_of(row) == PER_IMPRESSION:
        return percent(row.engagements_with_impressions, row.impressions)
    return percent(ratio(row.engagements, row.posts), row.followers)


def overall_engagement_rate(rows: Sequence[EngagementInput]) -> tuple[float | None, str]:
    rows = [r for r in rows if r.posts > 0]
    bases = {basis_of(r) for r in rows}
    if len(bases) != 1:
        return None, ""
    basis = bases.pop()
    if basis == PER_IMPRESSION:
        return (
            percent(
                sum(r.engagements_with_impressions for r in rows),
                sum(r.impressions or 0 for r in rows),
            ),
            basis,
        )
    with_followers = [r for r in rows if r.followers]
    # Per post and follower, each network's posts weighted by its own followers.
    exposure = sum(r.posts * (r.followers or 0) for r in with_followers)
    return percent(sum(r.engagements for r in with_followers), exposure), basis


def _returning(data: CommunityInput) -> tuple[int, float | None]:
    returning = sum(n for weeks, n in data.weeks_engaged.items() if weeks >= 2)
    engaged = sum(n for weeks, n in data.weeks_engaged.items() if weeks >= 1)
    return returning, percent(returning, engaged)


def _depth(data: CommunityInput) -> float | None:
    return ratio(data.conversation_messages - data.conversations, data.conversations)


def community(current: CommunityInput, previous: CommunityInput) -> Community:
    networks: list[str] = []
    for row in (*current.engagement, *previous.engagement):
        if row.network not in networks:
            networks.append(row.network)
    rates: list[EngagementRate] = []
    for network in networks:
        now = next((r for r in current.engagement if r.network == network), None)
        before = next((r for r in previous.engagement if r.network == network), None)
        basis = basis_of(now) if now else basis_of(before) if before else PER_FOLLOWER
        rates.append(
            EngagementRate(
                network=network,
                basis=basis,
                rate=compare(
                    engagement_rate(now) if now else None,
                    engagement_rate(before) if before else None,
                ),
            )
        )
    rate_now, basis_now = overall_engagement_rate(current.engagement)
    rate_before, basis_before = overall_engagement_rate(previous.engagement)
    if basis_now and basis_before and basis_now != basis_before:
        rate_before = None  # not comparable
    returning_now, share_now = _returning(current)
    returning_before, share_before = _returning(previous)
    return Community(
        followers=compare(followers_total(current.followers), followers_total(previous.followers)),
        net_growth=compare(net_growth(current.followers), net_growth(previous.followers)),
        engagement_rate=compare(rate_now, rate_before),
        engagement_basis=basis_now,
        rates=tuple(rates),
        engaged_users=compare(current.engaged_users, previous.engaged_users),
        returning_engagers=compare(returning_now, returning_before),
        returning_share=compare(share_now, share_before),
        returning_weeks=current.returning_weeks,
        conversation_depth=compare(_depth(current), _depth(previous)),
    )
