"""The calendar's days and periods, and the dates and times its addresses carry (pure).

A month view shows whole weeks (Monday to Sunday) around the month; a week view one week;
the list view the days of one month. Every view is anchored on one day (`?day=`), so
switching views keeps the place, and prev/next move by the view's own step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

VIEWS = ("month", "week", "list")
# The longest range one request may ask for (API, CLI): a year, leap day included.
MAX_RANGE_DAYS = 366
# The years a calendar reaches: wide enough for any plan, narrow enough that a day's
# bounds in any zone and the neighbouring months stay valid dates.
FIRST_YEAR = 1900
LAST_YEAR = 2999

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}")


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD as a date; None for anything else (a date that does not exist included)."""
    if not isinstance(text, str) or not text.isascii() or not _DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def parse_time(text: str) -> tuple[int, int] | None:
    """HH:MM as (hour, minute); None for anything else."""
    if not isinstance(text, str) or not text.isascii() or not _TIME.fullmatch(text):
        return None
    hour, minute = int(text[:2]), int(text[3:])
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def parse_at(text: str) -> datetime | None:
    """YYYY-MM-DDTHH:MM as a wall-clock time (no zone); None for anything else."""
    if not isinstance(text, str) or not text.isascii() or not _AT.fullmatch(text):
        return None
    day, clock = parse_day(text[:10]), parse_time(text[11:])
    if day is None or clock is None:
        return None
    return datetime(day.year, day.month, day.day, clock[0], clock[1])


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    first = month_start(day)
    return (first + timedelta(days=32)).replace(day=1)


def previous_month(day: date) -> date:
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    view: str
    anchor: date
    first: date  # first day shown
    last: date  # last day shown (inclusive)
    previous: date  # anchor of the previous period
    next: date  # anchor of the next period

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def weeks(self) -> list[list[date]]:
        days = self.days
        return [days[i : i + 7] for i in range(0, len(days), 7)]


def period(view: str, anchor: date) -> Period:
    """The days a view shows around `anchor`, and where prev/next lead."""
    if view == "week":
        first = week_start(anchor)
        return Period(
            view,
            anchor,
            first,
            first + timedelta(days=6),
            anchor - timedelta(days=7),
            anchor + timedelta(days=7),
        )
    if view == "list":
        return Period(
            view,
            anchor,
            month_start(anchor),
            month_end(anchor),
            previous_month(anchor),
            next_month(anchor),
        )
    first = week_start(month_start(anchor))
    last_of_month = month_end(anchor)
    last = week_start(last_of_month) + timedelta(days=6)
    return Period("month", anchor, first, last, previous_month(anchor), next_month(anchor))


def day_period(anchor: date) -> Period:
    """One day in the list (where a day's "and N more" leads); prev/next go day by day."""
    return Period(
        "list", anchor, anchor, anchor, anchor - timedelta(days=1), anchor + timedelta(days=1)
    )


def check_range(first: date, last: date) -> str | None:
    """Why a range cannot be asked for (None: it can): the years, the order, the length."""
    if not all(FIRST_YEAR <= d.year <= LAST_YEAR for d in (first, last)):
        return "out_of_range"
    if last < first:
        return "end_before_start"
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        return "range_too_long"
    return None


def first_words(text: str, limit: int = 60) -> str:
    """The beginning of a text on one line, cut at a word where it is longer than `limit`."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(",;:.-") + "…"


def compose_time(text: object, now_local: datetime) -> datetime | None:
    """The time the composer is opened for (`?at=YYYY-MM-DDTHH:MM` from the calendar): None
    for a malformed value or one already past, so the composer's own suggestion stays."""
    if not isinstance(text, str):
        return None
    at = parse_at(text)
    if at is None or at <= now_local.replace(tzinfo=None):
        return None
    return at
