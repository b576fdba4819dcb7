"""Tenant reads of the calendar's own objects."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from townsquare.calendars.models import CalendarNote
from townsquare.lib.bounds import id_from_text
from townsquare.workspaces.models import Membership


def access_notes(membership: Membership) -> QuerySet[CalendarNote]:
    return CalendarNote.objects.filter(workspace=membership.workspace).select_related("author")


def access_note(membership: Membership, note_id: Any) -> CalendarNote:
    number = id_from_text(str(note_id))
    if number is None:
        raise Http404
    try:
        return access_notes(membership).get(pk=number)
    except CalendarNote.DoesNotExist:
        raise Http404 from None
