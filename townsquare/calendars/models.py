"""The calendar's own data: notes on days, and where the workspace's public holidays come from.

Everything else the calendar shows (posts, publications, campaigns, pillars) belongs to other
apps; the calendar reads it through calendars/tiles.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_NOTE_LENGTH = 500


class CalendarSettings(models.Model):
    """Whose public holidays the calendar shows: a country and, optionally, a region."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="calendar_settings"
    )
    show_holidays = models.BooleanField(_("show public holidays"), default=True)
    # ISO 3166-1 alpha-2, as the holidays package knows it; empty: no holidays.
    country = models.CharField(_("country"), max_length=2, blank=True)
    subdivision = models.CharField(_("region"), max_length=40, blank=True)

    def __str__(self) -> str:
        return f"Calendar settings of {self.workspace}"


class CalendarNote(models.Model):
    """A note on a day of the calendar ("Messe in Köln", "Newsletter goes out")."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="calendar_notes"
    )
    date = models.DateField(_("day"))
    text = models.CharField(_("note"), max_length=MAX_NOTE_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "created_at", "id"]
        indexes = [models.Index(fields=["workspace", "date"], name="calendar_note_day")]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:40]}"
