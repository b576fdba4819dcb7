"""What a figure covers: the period as UTC bounds in the workspace's zone, the filters
(network, account, campaign, pillar), and the tenant querysets they narrow.

Campaigns and pillars belong to posts: they narrow the post figures and the posts' own
counters, but not the accounts' daily counts (followers, the day's impressions), which no
network splits by post. `Filters.by_post` says when that is so, so a page can say it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from townsquare.analytics.access import access_account_snapshots, access_tracked_posts
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.models import AccountSnapshot, TrackedPost
from townsquare.inbox.access import access_conversations, access_messages
from townsquare.inbox.models import Conversation, Message, MessageKind
from townsquare.lib.bounds import id_from_text
from townsquare.lib.local_time import zone_of
from townsquare.networks.catalog import NETWORK_NAMES
from townsquare.workspaces.models import Membership, Workspace

# Inbound messages the triage did not call spam or abuse count as people engaging.
NOT_COUNTED_SPAM = ("spam", "abuse")


@dataclass(frozen=True, slots=True)
class Filters:
    network: str = ""
    account_id: int | None = None
    campaign_id: int | None = None
    pillar_id: int | None = None

    @property
    def by_post(self) -> bool:
        """Whether the filters name a campaign or a pillar (post figures only)."""
        return self.campaign_id is not None or self.pillar_id is not None


NO_FILTERS = Filters()


def filters_from(params: Mapping[str, Any]) -> Filters:
    """Filters from query parameters (network, account, campaign, pillar); a value that is
    no known network or no id is left out rather than failing the page. Ids of another
    workspace need no check here: every read starts from the membership's workspace, so
    they match nothing."""
    network = str(params.get("network") or "")
    return Filters(
        network=network if network in NETWORK_NAMES else "",
        account_id=id_from_text(str(params.get("account") or "")),
        campaign_id=id_from_text(str(params.get("campaign") or "")),
        pillar_id=id_from_text(str(params.get("pillar") or "")),
    )


def zone(workspace: Workspace) -> ZoneInfo:
    return ZoneInfo(zone_of(workspace))


def day_start(workspace: Workspace, day: date) -> datetime:
    """The UTC moment the local day begins (a day of a change of clocks is 23 or 25 hours)."""
    return datetime.combine(day, time.min, tzinfo=zone(workspace)).astimezone(UTC)


def bounds(workspace: Workspace, period: Period) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the period's local days."""
    return day_start(workspace, period.start), day_start(workspace, period.end + timedelta(days=1))


def both(period: Period) -> Period:
    """The period with its previous period: one query reads both."""
    return Period(start=period.previous().start, end=period.end)


def posts(membership: Membership, filters: Filters) -> QuerySet[TrackedPost]:
    found = access_tracked_posts(membership)
    if filters.network:
        found = found.filter(network=filters.network)
    if filters.account_id is not None:
        found = found.filter(account_id=filters.account_id)
    if filters.campaign_id is not None:
        found = found.filter(publication__post__campaign_id=filters.campaign_id)
    if filters.pillar_id is not None:
        found = found.filter(publication__post__pillar_id=filters.pillar_id)
    return found


def posts_in(membership: Membership, period: Period, filters: Filters) -> QuerySet[TrackedPost]:
    start, end = bounds(membership.workspace, period)
    return posts(membership, filters).filter(published_at__gte=start, published_at__lt=end)


def posts_between(
    membership: Membership, start: datetime, end: datetime, filters: Filters
) -> QuerySet[TrackedPost]:
    return posts(membership, filters).filter(published_at__gte=start, published_at__lt=end)


def in_period(field: str, workspace: Workspace, period: Period) -> Q:
    start, end = bounds(workspace, period)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def account_days(
    membership: Membership, period: Period, filters: Filters
) -> QuerySet[AccountSnapshot]:
    found = access_account_snapshots(membership).filter(day__gte=period.start, day__lte=period.end)
    if filters.network:
        found = found.filter(account__network=filters.network)
    if filters.account_id is not None:
        found = found.filter(account_id=filters.account_id)
    return found


def inbound(membership: Membership, filters: Filters) -> QuerySet[Message]:
    """Messages people sent the workspace (not ours, not spam or abuse)."""
    found = (
        access_messages(membership)
        .exclude(kind=MessageKind.OUTBOUND)
        .exclude(spam__in=NOT_COUNTED_SPAM)
    )
    return _inbox_scope(found, filters)


def messages(membership: Membership, filters: Filters) -> QuerySet[Message]:
    return _inbox_scope(access_messages(membership), filters)


def conversations(membership: Membership, filters: Filters) -> QuerySet[Conversation]:
    found = access_conversations(membership).filter(is_spam=False)
    if filters.network:
        found = found.filter(account__network=filters.network)
    if filters.account_id is not None:
        found = found.filter(account_id=filters.account_id)
    return found


def _inbox_scope(found: QuerySet[Message], filters: Filters) -> QuerySet[Message]:
    if filters.network:
        found = found.filter(account__network=filters.network)
    if filters.account_id is not None:
        found = found.filter(account_id=filters.account_id)
    return found
