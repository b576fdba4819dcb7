"""Times as people read them: in the workspace's time zone with the zone named, and spans
("3 days ago", "in 2 hours") with the noun agreeing with its number in every language.

A time without its zone is a guess for the reader (the server runs in UTC, the team perhaps
in Berlin), so every time shown carries the name of the zone it is shown in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext, pgettext

UTC_NAME = "UTC"


def zone_of(where: object) -> str:
    """The IANA name of a workspace's zone (or of a zone name given as is); UTC otherwise."""
    name = getattr(where, "time_zone", where)
    if isinstance(name, str) and name:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return UTC_NAME
        return name
    return UTC_NAME


def in_zone(value: datetime, where: object = None, *, date_only: bool = False) -> str:
    """`value` in the zone of `where` (a workspace or a zone name), with the zone named:
    "7 Dec 2026, 00:27 (Europe/Berlin)", "07.12.2026, 00:27 (Europe/Berlin)"."""
    zone = zone_of(where)
    local = timezone.localtime(value, ZoneInfo(zone)) if timezone.is_aware(value) else value
    shown = wall_time(local, date_only=date_only)
    return gettext("%(time)s (%(zone)s)") % {"time": shown, "zone": zone}


def wall_time(local: datetime, *, date_only: bool = False) -> str:
    """A wall-clock time as the reader's language writes it, without a zone: for times
    already in the zone that is named beside them."""
    if date_only:
        # Translators: a date format (PHP-style letters as in Django's date filter).
        pattern = pgettext("a date in a list", "j M Y")
    else:
        # Translators: a date and time format (PHP-style letters as in Django's date filter).
        pattern = pgettext("a date and time in a list", "j M Y, H:i")
    return dateformat.format(local, pattern)


def _span(delta: timedelta) -> tuple[str, int]:
    seconds = max(0, int(delta.total_seconds()))
    if seconds >= 86400:
        return "days", seconds // 86400
    if seconds >= 3600:
        return "hours", seconds // 3600
    return "minutes", max(1, seconds // 60)


def ago(value: datetime, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit: "3 days ago", "vor 3 Tagen"."""
    now = now or timezone.now()
    if now - value < timedelta(minutes=1):
        return gettext("just now")
    unit, n = _span(now - value)
    if unit == "days":
        return ngettext("%(n)s day ago", "%(n)s days ago", n) % {"n": n}
    if unit == "hours":
        return ngettext("%(n)s hour ago", "%(n)s hours ago", n) % {"n": n}
    return ngettext("%(n)s minute ago", "%(n)s minutes ago", n) % {"n": n}


def time_left(value: datetime, now: datetime | None = None) -> str:
    """How long until, in the largest whole unit: "in 3 days", "in 3 Tagen"."""
    now = now or timezone.now()
    if value <= now:
        return gettext("now")
    unit, n = _span(value - now)
    if unit == "days":
        return ngettext("in %(n)s day", "in %(n)s days", n) % {"n": n}
    if unit == "hours":
        return ngettext("in %(n)s hour", "in %(n)s hours", n) % {"n": n}
    return ngettext("in %(n)s minute", "in %(n)s minutes", n) % {"n": n}
