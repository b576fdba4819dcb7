"""API of the calendar: the tiles, notes and holidays of a range of days, notes, settings.

Days are in the workspace's time zone (named in every answer); a tile is one post at one
time with every account it goes to. A range holds at most 366 days. Moving a post is
scheduling it again: POST .../posts/{post_id}/schedule with the new `at`.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, StrictStr

from townsquare.calendars import actions, grid
from townsquare.calendars.access import access_note
from townsquare.calendars.models import MAX_NOTE_LENGTH, CalendarNote
from townsquare.calendars.tiles import (
    STATUSES,
    Filters,
    Tile,
    holidays_of,
    notes_between,
    settings_of,
    tiles_between,
)
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError
from townsquare.lib.local_time import zone_of
from townsquare.workspaces.access import require
from townsquare.workspaces.roles import Perm

router = Router(tags=["calendar"])
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class CalendarQuery(Schema):
    start: str = Field(
        pattern=DAY_PATTERN, description="First day, YYYY-MM-DD, in the workspace's zone"
    )
    end: str = Field(
        pattern=DAY_PATTERN,
        description="Last day (inclusive), YYYY-MM-DD; at most 366 days in all",
    )
    network: str | None = Field(None, max_length=32, description="A network key, e.g. bluesky")
    account: Id | None = None
    campaign: Id | None = None
    pillar: Id | None = None
    status: str | None = Field(
        None, max_length=16, description="One status; cancelled ones only when asked for"
    )
    author: Id | None = Field(None, description="The id of the user who wrote the post")


class TileAccountOut(Schema):
    id: int
    network: str
    label: str
    publication_id: int
    status: str
    external_url: str


class NamedOut(Schema):
    id: int
    name: str


class TileOut(Schema):
    post_id: int
    at: str = Field(description="Wall-clock time in time_zone, YYYY-MM-DDTHH:MM")
    due_at: datetime = Field(description="UTC")
    time_zone: str
    text: str = Field(description="The first words of the post")
    status: str = Field(description="The status that needs attention first among its accounts")
    statuses: list[str]
    accounts: list[TileAccountOut]
    campaign: NamedOut | None
    pillar: NamedOut | None
    author_id: int | None
    movable: bool = Field(description="Whether scheduling it again may move it")


class NoteOut(Schema):
    id: int
    date: Day
    text: str
    author_id: int | None


class HolidayOut(Schema):
    date: Day
    name: str


class CalendarOut(Schema):
    time_zone: str
    start: Day
    end: Day
    tiles: list[TileOut]
    notes: list[NoteOut]
    holidays: list[HolidayOut]


class NoteIn(Schema):
    date: StrictStr = Field(
        pattern=DAY_PATTERN, description="YYYY-MM-DD, a day between the years 1900 and 2999"
    )
    text: StrictStr = Field(min_length=1, max_length=MAX_NOTE_LENGTH)


class NotePatch(Schema):
    date: StrictStr | None = Field(None, pattern=DAY_PATTERN, description="YYYY-MM-DD")
    text: StrictStr | None = Field(None, min_length=1, max_length=MAX_NOTE_LENGTH)


def _day(text: str) -> Day:
    """A day of a note's body; 422 naming the field for a date that does not exist."""
    day = grid.parse_day(text)
    if day is None and grid.parse_day(f"2000{text[4:]}") is not None and text[:4].isdigit():
        raise ActionError(
            _("Ask for days between the years %(first)s and %(last)s.")
            % {"first": grid.FIRST_YEAR, "last": grid.LAST_YEAR},
            code="out_of_range",
            status=422,
        )
    if day is None:
        raise ActionError(
            _("%(value)s is no day between the years %(first)s and %(last)s (YYYY-MM-DD).")
            % {"value": repr(text[:12]), "first": grid.FIRST_YEAR, "last": grid.LAST_YEAR},
            code="invalid_date",
            status=422,
        )
    return day


class SettingsIO(Schema):
    show_holidays: StrictBool = True
    country: StrictStr = Field("", max_length=2, description="ISO 3166-1 code (DE); empty: none")
    subdivision: StrictStr = Field("", max_length=40, description="A region of it, e.g. BY")


def tile_out(tile: Tile) -> TileOut:
    return TileOut(
        post_id=tile.post_id,
        at=tile.local.strftime("%Y-%m-%dT%H:%M"),
        due_at=tile.due_at,
        time_zone=tile.zone,
        text=tile.text,
        status=tile.status,
        statuses=tile.statuses,
        accounts=[
            TileAccountOut(
                id=a.id,
                network=a.network,
                label=a.label,
                publication_id=a.publication_id,
                status=a.status,
                external_url=a.external_url,
            )
            for a in tile.accounts
        ],
        campaign=NamedOut(id=tile.campaign_id, name=tile.campaign) if tile.campaign_id else None,
        pillar=NamedOut(id=tile.pillar_id, name=tile.pillar) if tile.pillar_id else None,
        author_id=tile.author_id,
        movable=tile.editable,
    )


def _note_out(note: CalendarNote) -> NoteOut:
    return NoteOut(id=note.pk, date=note.date, text=note.text, author_id=note.author_id)


def check_range(start: Day, end: Day) -> None:
    problem = grid.check_range(start, end)
    if problem == "out_of_range":
        raise ActionError(
            _("Ask for days between the years %(first)s and %(last)s.")
            % {"first": grid.FIRST_YEAR, "last": grid.LAST_YEAR},
            code="out_of_range",
            status=422,
        )
    if problem == "end_before_start":
        raise ActionError(
            _("The end (%(end)s) is before the start (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()},
            code="end_before_start",
            status=422,
        )
    if problem == "range_too_long":
        raise ActionError(
            _("Ask for at most %(days)s days at once.") % {"days": grid.MAX_RANGE_DAYS},
            code="range_too_long",
            status=422,
        )


@router.get("/workspaces/{workspace}/calendar", response=CalendarOut)
def calendar(request: HttpRequest, workspace: str, query: Query[CalendarQuery]) -> CalendarOut:
    """The tiles (one per post and time), notes and public holidays from `start` to `end`."""
    membership = request.membership
    start, end = _day(query.start), _day(query.end)
    check_range(start, end)
    if query.status and query.status not in STATUSES:
        raise ActionError(
            _("Unknown status %(status)s; use one of %(choices)s.")
            % {"status": repr(query.status), "choices": ", ".join(STATUSES)},
            code="invalid_status",
            status=422,
        )
    filters = Filters(
        network=query.network or "",
        account=query.account,
        campaign=query.campaign,
        pillar=query.pillar,
        status=query.status or "",
        author=query.author,
    )
    ws = membership.workspace
    tiles = tiles_between(ws, start, end, filters)
    language = translation.get_language() or "en"
    days = holidays_of(ws, start, end, language)
    return CalendarOut(
        time_zone=zone_of(ws),
        start=start,
        end=end,
        tiles=[tile_out(t) for t in tiles],
        notes=[_note_out(n) for n in notes_between(ws, start, end)],
        holidays=[HolidayOut(date=d, name=n) for d, names in sorted(days.items()) for n in names],
    )


@router.post("/workspaces/{workspace}/calendar/notes", response={201: NoteOut})
def add_note(request: HttpRequest, workspace: str, body: NoteIn) -> Status:
    """A note on a day (contributors and above)."""
    day = _day(body.date)
    return Status(201, _note_out(actions.do_add_note(request.membership, day, body.text)))


@router.patch("/workspaces/{workspace}/calendar/notes/{note_id}", response=NoteOut)
def edit_note(request: HttpRequest, workspace: str, note_id: Id, body: NotePatch) -> NoteOut:
    """Change a note's day or text (its author, or an editor and above)."""
    membership = request.membership
    note = access_note(membership, note_id)
    day = _day(body.date) if body.date is not None else None
    return _note_out(actions.do_edit_note(membership, note, day=day, text=body.text))


@router.delete("/workspaces/{workspace}/calendar/notes/{note_id}", response={204: None})
def delete_note(request: HttpRequest, workspace: str, note_id: Id) -> Status:
    membership = request.membership
    actions.do_delete_note(membership, access_note(membership, note_id))
    return Status(204, None)


@router.get("/workspaces/{workspace}/calendar/settings", response=SettingsIO)
def get_settings(request: HttpRequest, workspace: str) -> SettingsIO:
    found = settings_of(request.membership.workspace)
    return SettingsIO(
        show_holidays=found.show_holidays, country=found.country, subdivision=found.subdivision
    )


@router.put("/workspaces/{workspace}/calendar/settings", response=SettingsIO)
def put_settings(request: HttpRequest, workspace: str, body: SettingsIO) -> SettingsIO:
    """Whose public holidays the calendar shows (owners and managers)."""
    membership = request.membership
    require(membership, Perm.EDIT_PLAN)
    found = actions.do_update_calendar_settings(
        membership,
        show_holidays=body.show_holidays,
        country=body.country,
        subdivision=body.subdivision,
    )
    return SettingsIO(
        show_holidays=found.show_holidays, country=found.country, subdivision=found.subdivision
    )
