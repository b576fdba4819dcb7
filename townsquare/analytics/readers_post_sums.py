"""The posts of a period and of the previous one summed per account and network: one
reading that visibility (the posts' own counters) and the engagement rate both use. From
the daily totals (models_rollup.py) where they answer, else from the posts themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Q, Sum, Value, When

from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.readers_scope import (
    NO_FILTERS,
    Filters,
    both,
    bounds,
    day_totals,
    posts_in,
)
from townsquare.workspaces.models import Membership

# Counters the posts carry that also count as visibility (profile visits are per account).
POST_VISIBILITY = ("impressions", "views", "reach", "link_clicks")

# Per account and network, for the period and its previous period: what the posts count.
POST_SUMS = ("engagements", *POST_VISIBILITY)


@dataclass(frozen=True, slots=True)
class PostFigures:
    """Posts of one account in one period, summed; None: no post reported the counter."""

    posts: int = 0
    engagements: int | None = None
    # Engagements of the posts whose impressions are known (the engagement rate's numerator).
    engaged_with_impressions: int | None = None
    impressions: int | None = None
    views: int | None = None
    reach: int | None = None
    link_clicks: int | None = None

    def plus(self, other: PostFigures) -> PostFigures:
        """Both summed; a counter stays None until one of them reports it."""

        def add(a: int | None, b: int | None) -> int | None:
            return a if b is None else (a or 0) + b

        return PostFigures(
            self.posts + other.posts,
            *(
                add(getattr(self, name), getattr(other, name))
                for name in ("engagements", "engaged_with_impressions", *POST_VISIBILITY)
            ),
        )


NO_POSTS = PostFigures()


@dataclass(frozen=True, slots=True)
class AccountPostSums:
    account_id: int
    network: str
    current: PostFigures
    previous: PostFigures


@dataclass(frozen=True, slots=True)
class PostSums:
    """The posts of a period and of the previous one summed per account and network: one
    reading that visibility (the posts' own counters) and the engagement rate both use."""

    rows: tuple[AccountPostSums, ...]


def read_post_sums(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS
) -> PostSums:
    """Grouped by account, network and which of the two periods a post is in (one
    comparison a post, rather than one per sum: over two years of posts the difference
    is most of the query). From the daily totals where they answer, else the posts."""
    totals = day_totals(membership, both(period), filters)
    rows: list[dict[str, Any]]
    if totals is not None:
        current = Case(When(local_day__gte=period.start, then=Value(1)), default=Value(0))
        # Aliases other than the columns' names: Django refuses a sum named as its column.
        sums = {f"sum_{name}": Sum(name) for name in ("posts", *POST_SUMS)}
        sums |= {f"known_{name}": Sum(f"{name}_known") for name in POST_VISIBILITY}
        rows = [
            _known_only(row)
            for row in totals.annotate(current=current)
            .values("account_id", "network", "current")
            .annotate(eng_imp=Sum("engaged_with_impressions"), **sums)
            .order_by()
        ]
    else:
        start, _end = bounds(membership.workspace, period)
        rows = list(
            posts_in(membership, both(period), filters)
            .annotate(current=Case(When(published_at__gte=start, then=Value(1)), default=Value(0)))
            .values("account_id", "network", "current")
            .annotate(
                posts=Count("pk"),
                eng_imp=Sum("engagements", filter=Q(impressions__isnull=False)),
                **{name: Sum(name) for name in POST_SUMS},
            )
            .order_by()
        )
    merged: dict[tuple[int, str], dict[bool, PostFigures]] = {}
    for row in rows:
        found = merged.setdefault((row["account_id"], row["network"]), {})
        found[bool(row["current"])] = PostFigures(
            posts=row["posts"],
            engaged_with_impressions=row["eng_imp"],
            **{name: row[name] for name in POST_SUMS},
        )
    return PostSums(
        tuple(
            AccountPostSums(
                account_id, network, halves.get(True, NO_POSTS), halves.get(False, NO_POSTS)
            )
            for (account_id, network), halves in merged.items()
        )
    )


def _known_only(row: dict[str, Any]) -> dict[str, Any]:
    """A row of daily totals as the posts' own sums read: a counter no post reported is
    unknown (None), as SQL's SUM over only NULLs is."""
    out = {key: row[key] for key in ("account_id", "network", "current", "eng_imp")}
    for name in ("posts", *POST_SUMS):
        out[name] = row[f"sum_{name}"]
    for name in POST_VISIBILITY:
        if not row[f"known_{name}"]:
            out[name] = None
    if out["impressions"] is None:
        out["eng_imp"] = None
    return out
