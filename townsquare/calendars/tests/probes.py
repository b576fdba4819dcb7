from datetime import date

from townsquare.calendars.models import CalendarNote
from townsquare.testing.tenancy import probe_kwarg


@probe_kwarg("note_id")
def foreign_note(world):
    note, _created = CalendarNote.objects.get_or_create(
        workspace=world.foreign, date=date(2026, 12, 24), defaults={"text": "Nur für B"}
    )
    return note.pk
