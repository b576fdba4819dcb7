"""Best time to post, offered where people choose a time: the composer, the queue's slots
and the calendar's week (best_time.py holds the rules, readers_best_time.py the reading).

Each account gets its own best slots when its history passes the minimum-data guard, else
its network's across the workspace, else general guidance for the network: the rules of
readers_best_time.read_best_time, but every account and network of a page from one grouped
query (a calendar week filtered to nothing shows every network; the composer and the queue
show several accounts). Nothing is read for a member who may not see analytics, nor for an
account of another workspace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Sum
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from townsquare.analytics.best_time import (
    HISTORY_WEEKS,
    MIN_POSTS,
    MIN_SLOT_POSTS,
    Basis,
    BestTime,
    Suggestion,
    best_time,
    next_slots,
)
from townsquare.analytics.kpis.series import SlotCount
from townsquare.analytics.models import TrackedPost
from townsquare.analytics.readers_scope import NO_FILTERS, local_parts, posts_between, slot_parts
from townsquare.lib.local_time import wall_time, zone_of
from townsquare.networks.catalog import network_label
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

# A moment closer than this would pass while the person finishes the post.
LEAD = timedelta(minutes=15)
# Every account has at least one suggested slot a week: three weeks always hold three moments.
HORIZON_DAYS = 21
SHOWN = 3


def may_see(membership: Membership) -> bool:
    return has_perm(membership.role, Perm.VIEW_ANALYTICS)


def _language() -> str:
    return translation.get_language() or "en"


@dataclass(frozen=True, slots=True)
class Advice:
    """The best time of one account (or, with account None, of a network) and whose it is."""

    account: SocialAccount | None
    network: str
    best: BestTime

    @property
    def who(self) -> str:
        name = network_label(self.network)
        return f"{name} · {self.account.label}" if self.account is not None else name

    @property
    def note(self) -> str:
        """The confidence in words: "From 43 of your posts ...", or general guidance."""
        if self.general and self.best.posts >= MIN_POSTS:
            # Enough posts, but no time of day holds MIN_SLOT_POSTS of them: best_time's
            # own note ("32 of at least 30 posts") would read as a contradiction.
            return gettext(
                "Your %(posts)s posts of the last %(weeks)s weeks are spread too thinly: no "
                "hour of the week has %(slot)s of them yet. General guidance, not measured."
            ) % {"posts": self.best.posts, "weeks": HISTORY_WEEKS, "slot": MIN_SLOT_POSTS}
        return self.best.note(_language())

    @property
    def general(self) -> bool:
        return self.best.basis is Basis.GENERAL

    @property
    def suggestions(self) -> tuple[Suggestion, ...]:
        """The slots worth offering: the best three of the history may include one that
        does worse than the average post, which is no time to suggest (the best slot stays,
        whatever it is: it is still the best measured)."""
        found = self.best.suggestions
        kept = tuple(s for s in found if s.lift is None or s.lift >= 1.0)
        return kept or found[:1]


def _history(
    membership: Membership, networks: Iterable[str], now: datetime
) -> dict[str, dict[int | None, list[SlotCount]]]:
    """The last HISTORY_WEEKS weeks of posts on the networks per account, local weekday
    and hour, in one grouped query: {network: {account id: slots}}. The same counting as
    readers.read_slots, grouped by account and network too, so that one reading serves
    every account and network of a page."""
    start = now - timedelta(weeks=HISTORY_WEEKS)
    local = local_parts(membership.workspace, TrackedPost, "published_at", start, now)
    rows = (
        posts_between(membership, start, now, NO_FILTERS)
        .filter(network__in=list(networks))
        .annotate(slot=local["slot"])
        .values("network", "account_id", "slot")
        .annotate(n=Count("pk"), engagements=Sum("engagements"))
        .order_by()
    )
    found: dict[str, dict[int | None, list[SlotCount]]] = {}
    for row in rows:
        slot = SlotCount(*slot_parts(row["slot"]), row["n"], row["engagements"] or 0)
        found.setdefault(row["network"], {}).setdefault(row["account_id"], []).append(slot)
    return found


def _of_network(history: dict[int | None, list[SlotCount]]) -> list[SlotCount]:
    return [slot for slots in history.values() for slot in slots]


def network_advice(
    membership: Membership, networks: Iterable[str], *, now: datetime | None = None
) -> list[Advice]:
    """The best time of each network across the workspace's accounts (as
    read_best_time(membership, network)), all networks in one reading."""
    if not may_see(membership):
        return []
    wanted = list(dict.fromkeys(networks))
    if not wanted:
        return []
    history = _history(membership, wanted, now or timezone.now())
    return [
        Advice(None, network, best_time(network, _of_network(history.get(network, {}))))
        for network in wanted
    ]


def account_advice(
    membership: Membership, accounts: Iterable[SocialAccount], *, now: datetime | None = None
) -> list[Advice]:
    """The best time of each account of the workspace, in the order given (as
    read_best_time(membership, network, account): its own history when it passes the
    guard, else its network's), all in one reading."""
    if not may_see(membership):
        return []
    mine = [a for a in accounts if a.workspace_id == membership.workspace_id]
    if not mine:
        return []
    history = _history(membership, {a.network for a in mine}, now or timezone.now())
    by_network: dict[str, BestTime] = {}
    found = []
    for account in mine:
        of_network = history.get(account.network, {})
        best = best_time(account.network, of_network.get(account.pk, []))
        if best.basis is not Basis.HISTORY:
            if account.network not in by_network:
                by_network[account.network] = best_time(account.network, _of_network(of_network))
            best = by_network[account.network]
        found.append(Advice(account, account.network, best))
    return found


@dataclass(frozen=True, slots=True)
class Reason:
    who: str
    why: str


@dataclass(frozen=True, slots=True)
class Moment:
    """A concrete suggested time: aware, in the workspace's zone."""

    at: datetime
    reasons: tuple[Reason, ...]

    @property
    def value(self) -> str:
        """As a datetime-local field and the composer's ?at= take it."""
        return self.at.strftime("%Y-%m-%dT%H:%M")

    @property
    def label(self) -> str:
        """ "Tuesday, 7 Apr 2026, 18:00" in the reader's language (the zone is named beside
        the list): the weekday is what makes it a best time."""
        return f"{dateformat.format(self.at, 'l')}, {wall_time(self.at)}"


def next_moments(
    membership: Membership,
    advice: Iterable[Advice],
    *,
    now: datetime | None = None,
    count: int = SHOWN,
) -> list[Moment]:
    """The next `count` moments that are a best time of any of the accounts, earliest
    first, at least LEAD ahead; a moment good for several accounts is one, with each
    account's reason."""
    start = (now or timezone.now()) + LEAD
    zone = zone_of(membership.workspace)
    language = _language()
    reasons: dict[datetime, list[Reason]] = {}
    for item in advice:
        for suggestion in item.suggestions:
            for moment in next_slots((suggestion,), zone, start, HORIZON_DAYS):
                reasons.setdefault(moment, []).append(Reason(item.who, suggestion.reason(language)))
    return [Moment(at, tuple(reasons[at])) for at in sorted(reasons)[:count]]


def weekday_names() -> tuple[str, ...]:
    """Monday first, in the reader's language."""
    return (
        gettext("Monday"),
        gettext("Tuesday"),
        gettext("Wednesday"),
        gettext("Thursday"),
        gettext("Friday"),
        gettext("Saturday"),
        gettext("Sunday"),
    )
