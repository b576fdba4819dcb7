"""The KPIs' inputs read from the database for a membership, a period and filters, and the
KPIs computed from them (kpis/ holds the definitions).

Every read starts from the membership's workspace (analytics.access and the other apps'
access functions). The counting is done by the database: sums and counts grouped by
network, day or slot, each query reading the period and its previous period at once
(conditional aggregates), so a dashboard costs a fixed handful of queries whatever the
number of posts and snapshots. Only the first-response times come back per conversation
(median and p90 are not portable SQL), and only for the two periods' conversations.

Days are the workspace's local days; posts are bucketed by their local publication day and
hour by the database (Django's zone-aware Trunc/Extract: PostgreSQL's AT TIME ZONE, a
zone-aware function on SQLite), so a week with a change of clocks keeps its hours right.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext, pgettext

from townsquare.analytics import readers_inbox
from townsquare.analytics.kpis.care import Care, TeamRow, care, team
from townsquare.analytics.kpis.community import (
    DEFAULT_RETURNING_WEEKS,
    Community,
    CommunityInput,
    EngagementInput,
    FollowerInput,
    community,
)
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.kpis.series import (
    DailySeries,
    Shares,
    SlotCount,
    WeekdayHourMatrix,
    daily_series,
    shares,
    weekday_hour_matrix,
)
from townsquare.analytics.kpis.visibility import (
    VISIBILITY_METRICS,
    Visibility,
    VisibilityInput,
    visibility,
)
from townsquare.analytics.models import AccountSnapshot, TrackedPost

# The posts' sums per account and period live in their own module (one reading shared by
# visibility and the engagement rate).
from townsquare.analytics.readers_post_sums import (
    NO_POSTS,
    POST_VISIBILITY,
    PostFigures,
    PostSums,
    read_post_sums,
)
from townsquare.analytics.readers_scope import (
    NO_FILTERS,
    Filters,
    account_days,
    as_date,
    both,
    bounds,
    day_totals,
    local_parts,
    posts_between,
    posts_in,
    posts_on_days,
    slot_parts,
    zone,
)
from townsquare.networks.access import access_accounts
from townsquare.networks.catalog import network_label
from townsquare.planning.access import access_campaigns, access_pillars
from townsquare.workspaces.models import Membership


def _sums(names: tuple[str, ...], current: Q, previous: Q) -> dict[str, Any]:
    """Sum of each counter for each period (a sum over only NULLs is NULL: unknown)."""
    out: dict[str, Any] = {}
    for name in names:
        out[f"cur_{name}"] = Sum(name, filter=current)
        out[f"prev_{name}"] = Sum(name, filter=previous)
    return out


# --- visibility ----------------------------------------------------------------------------


def read_visibility(
    membership: Membership,
    period: Period,
    filters: Filters = NO_FILTERS,
    post_sums: PostSums | None = None,
) -> Visibility:
    """Impressions or views, reach, profile visits and link clicks (kpis.visibility): two
    queries. Per account, so that an account whose network reports no day counts still
    counts its posts' own. With a campaign or pillar filter only the posts' counters count."""
    Found = dict[tuple[int, str], dict[str, dict[str, int | None]]]
    current_inputs: Found = defaultdict(lambda: {"account_days": {}, "posts": {}})
    previous_inputs: Found = defaultdict(lambda: {"account_days": {}, "posts": {}})
    if not filters.by_post:
        rows = (
            account_days(membership, both(period), filters)
            .values("account_id", "account__network")
            .annotate(
                **_sums(VISIBILITY_METRICS, Q(day__gte=period.start), Q(day__lt=period.start))
            )
        )
        for row in rows:
            key = (row["account_id"], row["account__network"])
            for name in VISIBILITY_METRICS:
                current_inputs[key]["account_days"][name] = row[f"cur_{name}"]
                previous_inputs[key]["account_days"][name] = row[f"prev_{name}"]
    post_rows = (post_sums or read_post_sums(membership, period, filters)).rows
    for row in post_rows:
        key = (row.account_id, row.network)
        for name in POST_VISIBILITY:
            current_inputs[key]["posts"][name] = getattr(row.current, name)
            previous_inputs[key]["posts"][name] = getattr(row.previous, name)

    def inputs(found: Found) -> list[VisibilityInput]:
        return [
            VisibilityInput(network=network, account_days=v["account_days"], posts=v["posts"])
            for (_account, network), v in sorted(found.items(), key=lambda kv: kv[0][1])
        ]

    return visibility(inputs(current_inputs), inputs(previous_inputs))


# --- community -----------------------------------------------------------------------------


def _followers_on(day_filter: Q) -> Subquery:
    """The account's followers in its newest reading matching `day_filter`."""
    return Subquery(
        AccountSnapshot.objects.filter(day_filter, account=OuterRef("pk"), followers__isnull=False)
        .order_by("-day")
        .values("followers")[:1]
    )


def _first_followers(period: Period) -> Subquery:
    return Subquery(
        AccountSnapshot.objects.filter(
            account=OuterRef("pk"),
            followers__isnull=False,
            day__gte=period.start,
            day__lte=period.end,
        )
        .order_by("day")
        .values("followers")[:1]
    )


def read_followers(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS
) -> tuple[tuple[FollowerInput, ...], tuple[FollowerInput, ...]]:
    """Each account's followers at the start and end of the period and of the previous
    period (one query, an indexed look-up per account and moment)."""
    previous = period.previous()
    accounts = access_accounts(membership)
    if filters.network:
        accounts = accounts.filter(network=filters.network)
    if filters.account_id is not None:
        accounts = accounts.filter(pk=filters.account_id)
    rows = accounts.annotate(
        before_previous=_followers_on(Q(day__lt=previous.start)),
        first_previous=_first_followers(previous),
        end_previous=_followers_on(Q(day__lte=previous.end)),
        first_current=_first_followers(period),
        end_current=_followers_on(Q(day__lte=period.end)),
    ).values_list(
        "pk",
        "network",
        "before_previous",
        "first_previous",
        "end_previous",
        "first_current",
        "end_current",
    )
    current: list[FollowerInput] = []
    earlier: list[FollowerInput] = []
    for pk, network, before_prev, first_prev, end_prev, first_cur, end_cur in rows:
        # An account first read during a period grows from its first reading.
        prev_start = before_prev if before_prev is not None else first_prev
        earlier.append(FollowerInput(network, pk, prev_start, end_prev))
        cur_start = end_prev if end_prev is not None else first_cur
        current.append(FollowerInput(network, pk, cur_start, end_cur))
    return tuple(current), tuple(earlier)


def engagement_inputs(
    membership: Membership,
    period: Period,
    filters: Filters,
    followers: tuple[tuple[FollowerInput, ...], tuple[FollowerInput, ...]],
    post_sums: PostSums | None = None,
) -> tuple[tuple[EngagementInput, ...], tuple[EngagementInput, ...]]:
    by_network: dict[str, tuple[PostFigures, PostFigures]] = {}
    for found in (post_sums or read_post_sums(membership, period, filters)).rows:
        now, before = by_network.get(found.network, (NO_POSTS, NO_POSTS))
        by_network[found.network] = (now.plus(found.current), before.plus(found.previous))

    def per_network(rows_: tuple[FollowerInput, ...]) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for row in rows_:
            if row.at_end is not None:
                out[row.network] = (out.get(row.network) or 0) + row.at_end
        return out

    followers_now, followers_before = per_network(followers[0]), per_network(followers[1])

    def engagement(network: str, sums: PostFigures, followers: int | None) -> EngagementInput:
        return EngagementInput(
            network=network,
            posts=sums.posts,
            engagements=sums.engagements or 0,
            followers=followers,
            impressions=sums.impressions,
            engagements_with_impressions=sums.engaged_with_impressions or 0,
        )

    current = [
        engagement(network, now, followers_now.get(network))
        for network, (now, _before) in sorted(by_network.items())
    ]
    earlier = [
        engagement(network, before, followers_before.get(network))
        for network, (_now, before) in sorted(by_network.items())
    ]
    return tuple(current), tuple(earlier)


def read_community(
    membership: Membership,
    period: Period,
    filters: Filters = NO_FILTERS,
    *,
    returning_weeks: int = DEFAULT_RETURNING_WEEKS,
    post_sums: PostSums | None = None,
) -> Community:
    """Followers, net growth, engagement rate, engaged and returning users, conversation
    depth (kpis.community). People and conversations are counted per network and account;
    a campaign or pillar filter narrows only the engagement rate's posts."""
    followers = read_followers(membership, period, filters)
    engagement = engagement_inputs(membership, period, filters, followers, post_sums)
    people = readers_inbox.read_people(membership, period, filters, returning_weeks)
    return community(
        CommunityInput(
            followers=followers[0],
            engagement=engagement[0],
            engaged_users=people.engaged_now,
            weeks_engaged=people.weeks_now,
            returning_weeks=returning_weeks,
            conversations=people.conversations_now,
            conversation_messages=people.messages_now,
        ),
        CommunityInput(
            followers=followers[1],
            engagement=engagement[1],
            engaged_users=people.engaged_before,
            weeks_engaged=people.weeks_before,
            returning_weeks=returning_weeks,
            conversations=people.conversations_before,
            conversation_messages=people.messages_before,
        ),
    )


# --- care ----------------------------------------------------------------------------------


def read_care(membership: Membership, period: Period, filters: Filters = NO_FILTERS) -> Care:
    """Answered share, first-response times in and out of business hours, sentiment
    (kpis.care); per network and account (campaigns and pillars do not apply)."""
    now, before = readers_inbox.read_care_inputs(membership, period, filters)
    schedule = readers_inbox.schedule(membership.workspace)
    return care(now, before, schedule, str(zone(membership.workspace)))


def read_team(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS
) -> tuple[TeamRow, ...]:
    """Per person: answers sent and first-response times (kpis.care.team)."""
    now, before = readers_inbox.read_team_inputs(membership, period, filters)
    return team(now, before)


# --- trends, shares, slots -----------------------------------------------------------------

SERIES_FROM_ACCOUNTS = ("followers", *VISIBILITY_METRICS)


@dataclass(frozen=True, slots=True)
class NetworkDays:
    """The period's posts and their engagements per network and local day: one grouped
    reading that the daily series, the mix of networks over time and the shares per network
    all come from (instead of a pass over the posts for each)."""

    cells: dict[tuple[str, date], tuple[int, int]]  # (network, day) -> (posts, engagements)

    def per_day(self) -> dict[date, tuple[int, int]]:
        out: dict[date, tuple[int, int]] = {}
        for (_network, day), (posts, engagements) in self.cells.items():
            before = out.get(day, (0, 0))
            out[day] = (before[0] + posts, before[1] + engagements)
        return out

    def per_network(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for (network, _day), (posts, engagements) in self.cells.items():
            before = out.get(network, (0, 0))
            out[network] = (before[0] + posts, before[1] + engagements)
        return out


def read_network_days(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS
) -> NetworkDays:
    totals = day_totals(membership, period, filters)
    if totals is not None:
        # Aliases other than the columns' names: Django refuses a sum named as its column.
        rows = totals.values("network", day=F("local_day")).annotate(
            n=Sum("posts"), engaged=Sum("engagements")
        )
    else:
        found = posts_on_days(membership, period, filters)
        if found is None:
            start, end = bounds(membership.workspace, period)
            local = local_parts(membership.workspace, TrackedPost, "published_at", start, end)
            rows = posts_in(membership, period, filters).values("network", day=local["day"])
        else:
            rows = found.values("network", day=F("local_day"))
        rows = rows.annotate(n=Count("pk"), engaged=Sum("engagements"))
    return NetworkDays(
        {
            (row["network"], as_date(row["day"])): (row["n"], row["engaged"] or 0)
            for row in rows.order_by()
        }
    )


def read_daily_series(
    membership: Membership,
    period: Period,
    filters: Filters = NO_FILTERS,
    network_days: NetworkDays | None = None,
) -> DailySeries:
    """Per local day: followers (summed over the accounts read that day), the accounts'
    day counts of impressions, views, reach, profile visits and link clicks, the posts
    published and their engagements, the messages received and the answers sent."""
    points: dict[str, dict[date, float | None]] = {}
    if not filters.by_post:
        for row in (
            account_days(membership, period, filters)
            .values("day")
            .annotate(**{name: Sum(name) for name in SERIES_FROM_ACCOUNTS})
        ):
            for name in SERIES_FROM_ACCOUNTS:
                points.setdefault(name, {})[row["day"]] = row[name]
    days = network_days or read_network_days(membership, period, filters)
    per_day = days.per_day()
    points["posts"] = {day: posts for day, (posts, _engagements) in per_day.items()}
    points["engagements"] = {day: engagements for day, (_posts, engagements) in per_day.items()}
    if not filters.by_post:
        points.update(readers_inbox.read_message_days(membership, period, filters))
    # Days without posts had none (0); days without an account reading stay unknown.
    for name in ("posts", "engagements", "messages_in", "messages_out"):
        if name in points:
            for day in period.day_list():
                points[name].setdefault(day, 0)
    return daily_series(period, points)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Posts and their engagements split by network, pillar or campaign."""

    by: str
    posts: Shares
    engagements: Shares


NONE_KEY = "none"
BREAKDOWNS = {
    "network": "network",
    "pillar": "publication__post__pillar_id",
    "campaign": "publication__post__campaign_id",
}


def network_breakdown(network_days: NetworkDays) -> Breakdown:
    """The shares per network from the period's network days (no further reading)."""
    totals = network_days.per_network()
    labels = {network: str(network_label(network)) for network in totals}
    return Breakdown(
        by="network",
        posts=shares({network: posts for network, (posts, _e) in totals.items()}, labels),
        engagements=shares({network: e for network, (_posts, e) in totals.items()}, labels),
    )


def read_breakdown(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS, by: str = "network"
) -> Breakdown:
    """One grouped query, plus the pillars' or campaigns' names."""
    field = BREAKDOWNS.get(by)
    if field is None:
        raise ValueError("unknown_breakdown")
    rows = list(
        posts_in(membership, period, filters)
        .values(field)
        .annotate(n=Count("pk"), engagements=Sum("engagements"))
    )
    labels: dict[str, str]
    if by == "network":
        labels = {row[field]: str(network_label(row[field])) for row in rows}
    else:
        names = access_pillars(membership) if by == "pillar" else access_campaigns(membership)
        labels = {str(pk): name for pk, name in names.values_list("pk", "name")}
        labels[NONE_KEY] = (
            pgettext("content pillar", "No pillar") if by == "pillar" else gettext("No campaign")
        )

    def key(value: Any) -> str:
        # Pillars and campaigns by id as text; posts without one under NONE_KEY.
        return NONE_KEY if value is None else str(value)

    return Breakdown(
        by=by,
        posts=shares({key(r[field]): r["n"] for r in rows}, labels),
        engagements=shares({key(r[field]): r["engagements"] or 0 for r in rows}, labels),
    )


def read_slots(
    membership: Membership, start: datetime, end: datetime, filters: Filters = NO_FILTERS
) -> list[SlotCount]:
    """Posts published in [start, end) per local weekday (0 = Monday) and hour, with their
    engagements: one grouped query."""
    local = local_parts(membership.workspace, TrackedPost, "published_at", start, end)
    rows = (
        posts_between(membership, start, end, filters)
        .annotate(slot=local["slot"])
        .values("slot")
        .annotate(n=Count("pk"), engagements=Sum("engagements"))
        .order_by()
    )
    return [SlotCount(*slot_parts(row["slot"]), row["n"], row["engagements"] or 0) for row in rows]


def read_weekday_hour(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS
) -> WeekdayHourMatrix:
    """The period's posts per local weekday and hour: from the hour of the week each post
    keeps (one grouped reading of an index), else worked out per post by the database."""
    found = posts_on_days(membership, period, filters)
    if found is None:
        start, end = bounds(membership.workspace, period)
        return weekday_hour_matrix(read_slots(membership, start, end, filters))
    rows = (
        found.values("local_slot")
        .annotate(n=Count("pk"), engagements=Sum("engagements"))
        .order_by()
    )
    return weekday_hour_matrix(
        [
            SlotCount(*slot_parts(row["local_slot"]), row["n"], row["engagements"] or 0)
            for row in rows
        ]
    )


@dataclass(frozen=True, slots=True)
class TopPost:
    id: int
    network: str
    account_id: int
    published_at: datetime
    text_excerpt: str
    url: str
    engagements: int
    impressions: int | None
    views: int | None
    likes: int | None
    reposts: int | None
    replies: int | None
    metrics_at: datetime | None


def read_top_posts(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS, limit: int = 10
) -> tuple[TopPost, ...]:
    """The period's posts with the most engagements (newest first among equals)."""
    fields = [f for f in TopPost.__dataclass_fields__]
    rows = (
        posts_in(membership, period, filters)
        .order_by("-engagements", "-published_at", "-pk")
        .values_list(*fields)[: max(0, limit)]
    )
    return tuple(TopPost(*row) for row in rows)
