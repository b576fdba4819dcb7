"""What the calendar shows for a range of days: tiles, notes and holidays.

One tile is one post at one time: its publications to several accounts become one tile
with each network's badge. The queries do not grow with the number of posts: the
publications of the range come in one query with their post, account, campaign, pillar and
author; the notes in another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from townsquare.calendars import grid
from townsquare.calendars.holiday_names import holidays_between
from townsquare.calendars.models import CalendarNote, CalendarSettings
from townsquare.calendars.month_tiles import ranked_rows
from townsquare.lib.bounds import id_from_text
from townsquare.lib.local_time import zone_of
from townsquare.networks.catalog import network_label
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.workspaces.models import Workspace

FILTERS = ("network", "account", "campaign", "pillar", "status", "author")
STATUSES = [s.value for s in Status]
# What a drag may move (see actions.do_move_post); a tile with any other status stays put.
MOVABLE = {Status.SCHEDULED.value, Status.FAILED.value, Status.BY_HAND.value}
# Shown unless asked for by the status filter: a cancelled post is no longer in the plan.
HIDDEN_UNLESS_ASKED = {Status.CANCELLED.value}
# Which status a tile of several shows first: what needs a person comes first.
STATUS_ORDER = [
    "failed",
    "unknown",
    "by_hand",
    "publishing",
    "scheduled",
    "draft",
    "published",
    "cancelled",
]


@dataclass(frozen=True)
class Filters:
    network: str = ""
    account: int | None = None
    campaign: int | None = None
    pillar: int | None = None
    status: str = ""
    author: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        """From an address's query (a QueryDict or dict): unknown values are dropped, not
        refused, so an old bookmark still opens."""

        def text(name: str) -> str:
            value = query.get(name, "")
            return value if isinstance(value, str) else ""

        network = text("network")
        status = text("status")
        return cls(
            network=network
            if network.isascii() and network.replace("_", "").isalnum() and len(network) <= 32
            else "",
            account=id_from_text(text("account")),
            campaign=id_from_text(text("campaign")),
            pillar=id_from_text(text("pillar")),
            status=status if status in STATUSES else "",
            author=id_from_text(text("author")),
        )

    def as_query(self) -> dict[str, str]:
        values = {
            "network": self.network,
            "account": self.account,
            "campaign": self.campaign,
            "pillar": self.pillar,
            "status": self.status,
            "author": self.author,
        }
        return {k: str(v) for k, v in values.items() if v}

    def sql(self) -> tuple[list[str], list[object], set[str]]:
        """What `apply` asks, as SQL conditions on the publication (`pub`), its account
        (`acc`) and its post (`post`) for month_tiles.py: every value a parameter. Also
        the tables they name."""
        conditions: list[str] = []
        params: list[object] = []
        tables: set[str] = set()
        if self.network:
            conditions.append("acc.network = %s")
            params.append(self.network)
            tables.add("acc")
        if self.account:
            conditions.append("pub.account_id = %s")
            params.append(self.account)
        for column, value in (
            ("campaign_id", self.campaign),
            ("pillar_id", self.pillar),
            ("created_by_id", self.author),
        ):
            if value:
                conditions.append(f"post.{column} = %s")
                params.append(value)
                tables.add("post")
        if self.status:
            conditions.append("pub.status = %s")
            params.append(self.status)
        else:
            hidden = sorted(HIDDEN_UNLESS_ASKED)
            conditions.append(f"pub.status NOT IN ({', '.join(['%s'] * len(hidden))})")
            params.extend(hidden)
        return conditions, params, tables

    def apply(self, rows: QuerySet[Publication]) -> QuerySet[Publication]:
        if self.network:
            rows = rows.filter(account__network=self.network)
        if self.account:
            rows = rows.filter(account_id=self.account)
        if self.campaign:
            rows = rows.filter(post__campaign_id=self.campaign)
        if self.pillar:
            rows = rows.filter(post__pillar_id=self.pillar)
        if self.status:
            rows = rows.filter(status=self.status)
        else:
            rows = rows.exclude(status__in=HIDDEN_UNLESS_ASKED)
        if self.author:
            rows = rows.filter(post__created_by_id=self.author)
        return rows


@dataclass
class TileAccount:
    id: int
    network: str
    network_name: str
    label: str
    status: str
    publication_id: int
    external_url: str


@dataclass
class Tile:
    post_id: int
    local: datetime  # wall time in the workspace's zone
    due_at: datetime  # UTC
    zone: str
    text: str
    language: str
    campaign_id: int | None
    campaign: str
    pillar_id: int | None
    pillar: str
    pillar_colour: str
    author_id: int | None
    author: str
    accounts: list[TileAccount] = field(default_factory=list)
    editable: bool = True
    repeats: bool = False  # an occurrence of a recurring series

    @property
    def day(self) -> date:
        return self.local.date()

    @property
    def hour(self) -> int:
        return self.local.hour

    @property
    def statuses(self) -> list[str]:
        found = {a.status for a in self.accounts}
        return [s for s in STATUS_ORDER if s in found]

    @property
    def status(self) -> str:
        return self.statuses[0] if self.statuses else "draft"

    @property
    def networks(self) -> list[str]:
        seen: list[str] = []
        for account in self.accounts:
            if account.network not in seen:
                seen.append(account.network)
        return seen

    @property
    def past(self) -> bool:
        return self.due_at < timezone.now()

    @property
    def published(self) -> bool:
        return all(a.status == Status.PUBLISHED for a in self.accounts)


def _bounds_utc(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


# The columns a tile needs, read as plain values: no model objects for thousands of rows.
COLUMNS = (
    "pk",
    "post_id",
    "due_at",
    "published_at",
    "status",
    "external_url",
    "account_id",
    "account__network",
    "account__handle",
    "account__display_name",
    "account__removed_at",
    "head",
    "post__language",
    "post__campaign_id",
    "post__campaign__name",
    "post__pillar_id",
    "post__pillar__name",
    "post__pillar__colour",
    "post__created_by_id",
    "post__created_by__name",
    "post__created_by__email",
)
# How much of a post's text a tile reads (it shows the first words).
HEAD_CHARS = 160


def publications_between(
    workspace: Workspace, first: date, last: date, filters: Filters
) -> QuerySet[Publication]:
    start, end = _bounds_utc(first, last, zone_of(workspace))
    rows = Publication.objects.filter(workspace=workspace).filter(
        Q(due_at__gte=start, due_at__lt=end)
        | Q(due_at__isnull=True, published_at__gte=start, published_at__lt=end)
    )
    return filters.apply(rows).order_by("due_at", "post_id", "account__network", "account_id")


def tiles_between(
    workspace: Workspace, first: date, last: date, filters: Filters | None = None
) -> list[Tile]:
    """The tiles from `first` to `last` (inclusive days in the workspace's zone), by time."""
    rows = publications_between(workspace, first, last, filters or Filters()).annotate(
        head=Substr("post__master_text", 1, HEAD_CHARS)
    )
    return _mark_repeating(workspace, _tiles(rows.values_list(*COLUMNS), zone_of(workspace)))


def _mark_repeating(workspace: Workspace, tiles: list[Tile]) -> list[Tile]:
    """Marks the tiles of recurring posts (one query for all of them)."""
    from townsquare.queues.access import series_post_ids

    repeating = series_post_ids(workspace, {tile.post_id for tile in tiles})
    for tile in tiles:
        tile.repeats = tile.post_id in repeating
    return tiles


def first_tiles_by_day(
    workspace: Workspace, first: date, last: date, per_day: int, filters: Filters | None = None
) -> tuple[list[Tile], dict[date, int]]:
    """For a month: the first `per_day` tiles of each day, and how many tiles each day has
    in all.

    Two queries whatever the number of posts (and one for the recurring marks), and only the
    tiles shown are read: the database puts each publication on its day (in the
    workspace's zone), ranks the tiles (a post at a time) of each day by time and counts
    them, so a month of thousands of posts reads a few hundred rows. The SQL is in
    month_tiles.py; tests hold it to `tiles_between`, which reads every tile."""
    zone = zone_of(workspace)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    start, end = _bounds_utc(first, last, zone)
    # Each day's end in UTC (daylight saving included); the first end a time is before is
    # its day. Plain comparisons: no zone functions run in the database for each row.
    ends = [_bounds_utc(day, day, zone)[1] for day in days]
    conditions, params, tables = (filters or Filters()).sql()
    rows, totals = ranked_rows(
        workspace.pk, start, end, ends, per_day, HEAD_CHARS, conditions, params, tables
    )
    tiles = _mark_repeating(workspace, _tiles(rows, zone))
    counts = {days[index]: total for index, total in totals.items() if 0 <= index < len(days)}
    # A tile's publications a few seconds apart rank apart but are one tile: never fewer
    # in all than shown.
    for day, seen in _count_by_day(tiles).items():
        counts[day] = max(counts.get(day, 0), seen)
    return tiles, counts


def _count_by_day(tiles: list[Tile]) -> dict[date, int]:
    found: dict[date, int] = {}
    for tile in tiles:
        found[tile.day] = found.get(tile.day, 0) + 1
    return found


def _tiles(rows: Any, zone: str) -> list[Tile]:
    tz = ZoneInfo(zone)
    tiles: dict[tuple[int, datetime], Tile] = {}
    labels: dict[str, str] = {}
    # The publications of a post share their time: each time made local once.
    walls: dict[datetime, datetime] = {}
    removed_label = gettext("%(name)s (removed)")
    for row in rows:
        # In the order of COLUMNS (unpacked: a dict per row cost more than the rest).
        (
            pk,
            post_id,
            due_at,
            published_at,
            status,
            external_url,
            account_id,
            network,
            handle,
            display_name,
            removed_at,
            head,
            language,
            campaign_id,
            campaign,
            pillar_id,
            pillar,
            pillar_colour,
            author_id,
            author_name,
            author_email,
        ) = row
        when = due_at or published_at
        local = walls.get(when)
        if local is None:
            local = walls[when] = when.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)
        key = (post_id, local)
        tile = tiles.get(key)
        if tile is None:
            tile = tiles[key] = Tile(
                post_id=post_id,
                local=local,
                due_at=when,
                zone=zone,
                text=grid.first_words(head or ""),
                language=language,
                campaign_id=campaign_id,
                campaign=campaign or "",
                pillar_id=pillar_id,
                pillar=pillar or "",
                pillar_colour=pillar_colour or "",
                author_id=author_id,
                author=(author_name or (author_email or "").split("@")[0]) if author_id else "",
            )
        if network not in labels:
            labels[network] = network_label(network)
        name = display_name or handle
        tile.accounts.append(
            TileAccount(
                id=account_id,
                network=network,
                network_name=labels[network],
                label=removed_label % {"name": name} if removed_at else name,
                status=status,
                publication_id=pk,
                external_url=external_url,
            )
        )
        if status not in MOVABLE:
            tile.editable = False
    return sorted(tiles.values(), key=lambda t: (t.local, t.post_id))


def settings_of(workspace: Workspace) -> CalendarSettings:
    found = CalendarSettings.objects.filter(workspace=workspace).first()
    return found or CalendarSettings(workspace=workspace, country="", subdivision="")


def notes_between(workspace: Workspace, first: date, last: date) -> list[CalendarNote]:
    return list(
        CalendarNote.objects.filter(workspace=workspace, date__gte=first, date__lte=last)
        .select_related("author")
        .order_by("date", "created_at", "id")
    )


def holidays_of(
    workspace: Workspace,
    first: date,
    last: date,
    language: str,
    found: CalendarSettings | None = None,
) -> dict[date, list[str]]:
    settings = found or settings_of(workspace)
    if not settings.show_holidays or not settings.country:
        return {}
    return holidays_between(settings.country, settings.subdivision, first, last, language)
