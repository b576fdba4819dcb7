"""Visibility: how often the workspace's posts were seen (pure).

Definitions (every figure is for the period's local days, beside the previous period's):

- **Impressions**: times posts were shown. **Views**: times posts were viewed (Meta and
  Threads call their count "views"; video views). A network reports one or the other or
  neither; the headline figure is impressions where any account reports them, otherwise
  views, and says which (`headline_metric`).
- **Reach**: people who saw the posts, summed over days (a person reached on two days counts
  twice: the networks report reach per day, not for arbitrary periods).
- **Profile visits** and **link clicks**: that many visits and clicks.

Each comes from the accounts' daily counts (AccountSnapshot: that day's count) where the
network reports it for the account; otherwise from the posts' own counters (the newest
reading of every post published in the period). None when neither is reported: Bluesky,
Mastodon and Matrix report none of these, and an unknown figure is never shown as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from townsquare.analytics.kpis.periods import Comparison, compare

VISIBILITY_METRICS: tuple[str, ...] = (
    "impressions",
    "views",
    "reach",
    "profile_visits",
    "link_clicks",
)


@dataclass(frozen=True, slots=True)
class VisibilityInput:
    """One network's (or account's) counter sums for one period; a metric absent or None:
    not reported."""

    network: str
    account_days: Mapping[str, int | None] = field(default_factory=dict)
    posts: Mapping[str, int | None] = field(default_factory=dict)

    def value(self, metric: str) -> int | None:
        """The account's daily counts where reported, else the posts' counters."""
        found = self.account_days.get(metric)
        if found is not None:
            return found
        return self.posts.get(metric)


@dataclass(frozen=True, slots=True)
class NetworkVisibility:
    network: str
    figures: Mapping[str, Comparison]


@dataclass(frozen=True, slots=True)
class Visibility:
    headline_metric: str  # "impressions" or "views"
    headline: Comparison
    impressions: Comparison
    views: Comparison
    reach: Comparison
    profile_visits: Comparison
    link_clicks: Comparison
    networks: tuple[NetworkVisibility, ...] = ()

    def figure(self, metric: str) -> Comparison:
        if metric not in VISIBILITY_METRICS:
            raise KeyError(metric)
        value: Comparison = getattr(self, metric)
        return value


def _total(inputs: Sequence[VisibilityInput], metric: str) -> int | None:
    known = [v for v in (i.value(metric) for i in inputs) if v is not None]
    return sum(known) if known else None


def visibility(
    current: Sequence[VisibilityInput], previous: Sequence[VisibilityInput]
) -> Visibility:
    """The period's visibility beside the previous period's, in total and per network (in
    the order the networks first appear)."""
    totals = {m: compare(_total(current, m), _total(previous, m)) for m in VISIBILITY_METRICS}
    headline_metric = "impressions" if totals["impressions"].known else "views"
    if not totals["impressions"].known and not totals["views"].known:
        # Neither this period: keep the headline on what the previous period had.
        headline_metric = "views" if totals["views"].previous is not None else "impressions"
    order: list[str] = []
    for item in (*current, *previous):
        if item.network not in order:
            order.append(item.network)
    networks = tuple(
        NetworkVisibility(
            network=network,
            figures={
                m: compare(
                    _total([i for i in current if i.network == network], m),
                    _total([i for i in previous if i.network == network], m),
                )
                for m in VISIBILITY_METRICS
            },
        )
        for network in order
    )
    return Visibility(
        headline_metric=headline_metric,
        headline=totals[headline_metric],
        networks=networks,
        **totals,
    )
