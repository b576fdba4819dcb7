"""Writes of the calendar: notes on days, the holiday settings, and moving a post.

Moving is scheduling again: publishing's do_schedule_post checks the role, the rules, the
past and whether each publication may still be changed; a refusal changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.calendars import grid
from townsquare.calendars.holiday_names import countries, subdivisions
from townsquare.calendars.models import MAX_NOTE_LENGTH, CalendarNote, CalendarSettings
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

NOTE_FIELDS = ("date", "text")
SETTINGS_FIELDS = ("show_holidays", "country", "subdivision")
# What a drag may move: posts that were scheduled (failed and due by hand ones included).
MOVABLE = (Status.SCHEDULED, Status.FAILED, Status.BY_HAND)


def _clean_text(text: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ActionError(_("Write something in the note."), code="note_empty", status=422)
    if "\x00" in cleaned:
        raise ActionError(
            _("The note holds a character that cannot be stored (NUL)."),
            code="note_invalid",
            status=422,
        )
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ActionError(
            _("A note holds at most %(max)s characters.") % {"max": MAX_NOTE_LENGTH},
            code="note_too_long",
            status=422,
        )
    return cleaned


def _check_day(day: date) -> date:
    if not grid.FIRST_YEAR <= day.year <= grid.LAST_YEAR:
        raise ActionError(
            _("Choose a day between the years %(first)s and %(last)s.")
            % {"first": grid.FIRST_YEAR, "last": grid.LAST_YEAR},
            code="out_of_range",
            status=422,
        )
    return day


def _may_change(membership: Membership, note: CalendarNote) -> None:
    require(membership, Perm.WRITE_DRAFTS)
    if note.author_id != membership.user_id and not has_perm(membership.role, Perm.EDIT_ANY_POST):
        raise ActionError(
            _("Only its author or an editor may change this note."),
            code="not_your_note",
            status=403,
        )


@transaction.atomic
def do_add_note(membership: Membership, day: date, text: str) -> CalendarNote:
    require(membership, Perm.WRITE_DRAFTS)
    note = CalendarNote.objects.create(
        workspace=membership.workspace,
        date=_check_day(day),
        text=_clean_text(text),
        author=membership.user,
    )
    record(
        actor=membership.user,
        action="calendar.note.add",
        target=note,
        workspace=membership.workspace,
        after=snapshot(note, NOTE_FIELDS),
    )
    return note


@transaction.atomic
def do_edit_note(
    membership: Membership, note: CalendarNote, *, day: date | None = None, text: str | None = None
) -> CalendarNote:
    _may_change(membership, note)
    note = CalendarNote.objects.select_for_update().get(pk=note.pk)
    before = snapshot(note, NOTE_FIELDS)
    if day is not None:
        note.date = _check_day(day)
    if text is not None:
        note.text = _clean_text(text)
    note.save()
    record(
        actor=membership.user,
        action="calendar.note.edit",
        target=note,
        workspace=membership.workspace,
        before=before,
        after=snapshot(note, NOTE_FIELDS),
    )
    return note


@transaction.atomic
def do_delete_note(membership: Membership, note: CalendarNote) -> None:
    _may_change(membership, note)
    record(
        actor=membership.user,
        action="calendar.note.delete",
        target=note,
        workspace=membership.workspace,
        before=snapshot(note, NOTE_FIELDS),
    )
    note.delete()


@transaction.atomic
def do_update_calendar_settings(
    membership: Membership, *, show_holidays: bool, country: str, subdivision: str
) -> CalendarSettings:
    require(membership, Perm.EDIT_PLAN)
    country = (country or "").strip().upper()
    subdivision = (subdivision or "").strip()
    if country and country not in countries():
        raise ActionError(
            _("Townsquare knows no public holidays for the country %(country)s.")
            % {"country": repr(country[:10])},
            code="unknown_country",
            status=422,
        )
    if subdivision and subdivision not in subdivisions(country):
        raise ActionError(
            _("%(region)s is not a region of %(country)s.")
            % {"region": repr(subdivision[:40]), "country": country or "-"},
            code="unknown_region",
            status=422,
        )
    found, _created = CalendarSettings.objects.select_for_update().get_or_create(
        workspace=membership.workspace
    )
    before = snapshot(found, SETTINGS_FIELDS)
    found.show_holidays = show_holidays
    found.country = country
    found.subdivision = subdivision
    found.save()
    record(
        actor=membership.user,
        action="calendar.settings",
        target=found,
        workspace=membership.workspace,
        before=before,
        after=snapshot(found, SETTINGS_FIELDS),
    )
    return found


def do_move_post(membership: Membership, post: Post, wall_time: datetime) -> list[Publication]:
    """Schedule every publication of the post again for `wall_time` in the workspace's
    zone. A draft (even one with a proposed time) is not scheduled by a drag: it stays a
    draft until someone schedules it on purpose, since an approval may stand between."""
    require(membership, Perm.SCHEDULE_POSTS)
    if not Publication.objects.filter(post=post, status__in=MOVABLE).exists():
        raise ActionError(
            _(
                "Only scheduled posts move in the calendar. Open the post to schedule it "
                "or to change it."
            ),
            code="not_scheduled",
            status=409,
        )
    return do_schedule_post(membership, post, wall_time, membership.workspace.time_zone)
