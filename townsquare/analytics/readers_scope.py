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

from django.db import connection
from django.db.models import DateField, Expression, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate

from townsquare.analytics.access import (
    access_account_snapshots,
    access_post_day_totals,
    access_tracked_posts,
)
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.models import AccountSnapshot, PostDayTotal, TrackedPost
from townsquare.analytics.post_rollup import totals_usable
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


def posts_on_days(
    membership: Membership, period: Period, filters: Filters
) -> QuerySet[TrackedPost] | None:
    """The period's posts by their stored local day (no time zone arithmetic a row), or
    None while a change of the workspace's zone is being worked through."""
    if not totals_usable(membership.workspace):
        return None
    return posts(membership, filters).filter(local_day__gte=period.start, local_day__lte=period.end)


def day_totals(
    membership: Membership, period: Period, filters: Filters
) -> QuerySet[PostDayTotal] | None:
    """The daily totals of the period's posts (models_rollup.py), or None where they
    cannot answer: figures of a campaign or a pillar (the totals do not split by them), and
    while a change of the workspace's zone is being worked through."""
    if filters.by_post or not totals_usable(membership.workspace):
        return None
    found = access_post_day_totals(membership).filter(
        local_day__gte=period.start, local_day__lte=period.end
    )
    if filters.network:
        found = found.filter(network=filters.network)
    if filters.account_id is not None:
        found = found.filter(account_id=filters.account_id)
    return found


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


# --- local days and hours, counted by the database ---------------------------------------


def offset_segments(
    zone_info: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, int]]:
    """The zone's UTC offset over [start, end) as (until, seconds) pieces, the last until
    `end`: constant within each piece. Found day by day, and each change of clocks to the
    minute by halving (zones change on the minute at the finest)."""

    def offset(at: datetime) -> int:
        found = at.astimezone(zone_info).utcoffset()
        return int(found.total_seconds()) if found is not None else 0

    pieces: list[tuple[datetime, int]] = []
    current, cursor = offset(start), start
    while cursor < end:
        step = min(cursor + timedelta(days=1), end)
        if offset(step) == current:
            cursor = step
            continue
        # The change lies in (cursor, step], on a whole minute: halve the minutes.
        base = cursor.replace(second=0, microsecond=0)
        low, high = 0, int((step - base).total_seconds() // 60) + 1
        while high - low > 1:
            middle = (low + high) // 2
            if offset(base + timedelta(minutes=middle)) == current:
                low = middle
            else:
                high = middle
        change = base + timedelta(minutes=high)
        pieces.append((change, current))
        current, cursor = offset(change), change
    pieces.append((end, current))
    return pieces


def _sqlite_modifier(
    column: str, workspace: Workspace, start: datetime, end: datetime
) -> tuple[str, list[Any]]:
    """A CASE giving the modifier ('+3600 seconds') that turns the UTC column into local
    time, piece by piece: SQLite's own date functions then run in C for each row, where
    Django's zone-aware functions would call Python."""
    pieces = offset_segments(zone(workspace), start, end)
    adapt = connection.ops.adapt_datetimefield_value
    if len(pieces) == 1:
        return "%s", [f"{pieces[0][1]:+d} seconds"]
    whens = " ".join(f"WHEN {column} < %s THEN %s" for _ in pieces[:-1])
    params: list[Any] = []
    for until, seconds in pieces[:-1]:
        params += [adapt(until), f"{seconds:+d} seconds"]
    return f"(CASE {whens} ELSE %s END)", [*params, f"{pieces[-1][1]:+d} seconds"]


def local_parts(
    workspace: Workspace, model: type[Any], field: str, start: datetime, end: datetime
) -> dict[str, Expression | RawSQL]:
    """Expressions for a datetime field's local weekday (0 = Monday), hour and day in the
    workspace's zone, for rows in [start, end), and `slot`: the local hour of the week
    (Monday 00:00 = 0, see `slot_parts`), worked out with one conversion a row instead of
    two. PostgreSQL converts each row with AT TIME ZONE (Django's zone-aware functions);
    SQLite gets the offsets worked out here."""
    column = f'"{model._meta.db_table}"."{model._meta.get_field(field).column}"'
    if connection.vendor != "sqlite":
        local = zone(workspace)
        return {
            "weekday": ExtractIsoWeekDay(field, tzinfo=local) - 1,
            "hour": ExtractHour(field, tzinfo=local),
            "day": TruncDate(field, tzinfo=local),
            # Local wall time as seconds since 1970-01-01 (a Thursday: Monday 00:00 was
            # 72 hours before), in whole hours, modulo a week.
            "slot": RawSQL(  # noqa: S611 -- table, column and placeholders only
                f"MOD(FLOOR(EXTRACT(EPOCH FROM ({column} AT TIME ZONE %s)) / 3600)::bigint "
                f"+ {EPOCH_MONDAY_HOURS}, 168)",
                [str(local.key)],
                output_field=IntegerField(),
            ),
        }
    modifier, params = _sqlite_modifier(column, workspace, start, end)
    return {
        # strftime's %w counts from Sunday = 0.
        "weekday": RawSQL(  # noqa: S611 -- table, column and placeholders only
            f"((CAST(strftime('%%w', {column}, {modifier}) AS INTEGER) + 6) %% 7)",
            params,
            output_field=IntegerField(),
        ),
        "hour": RawSQL(  # noqa: S611 -- table, column and placeholders only
            f"CAST(strftime('%%H', {column}, {modifier}) AS INTEGER)",
            params,
            output_field=IntegerField(),
        ),
        "day": RawSQL(  # noqa: S611 -- table, column and placeholders only
            f"date({column}, {modifier})", params, output_field=DateField()
        ),
        "slot": RawSQL(  # noqa: S611 -- table, column and placeholders only
            f"((CAST(strftime('%%s', {column}, {modifier}) AS INTEGER) / 3600 "
            f"+ {EPOCH_MONDAY_HOURS}) %% 168)",
            params,
            output_field=IntegerField(),
        ),
    }


# 1970-01-01 was a Thursday: the Monday before it began 72 hours earlier.
EPOCH_MONDAY_HOURS = 72


def slot_parts(slot: int) -> tuple[int, int]:
    """The local weekday (0 = Monday) and hour of a `slot` value of local_parts."""
    weekday, hour = divmod(int(slot), 24)
    return weekday, hour


def as_date(value: Any) -> date:
    """A local day as the database gave it (a date, or SQLite's 'YYYY-MM-DD')."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
