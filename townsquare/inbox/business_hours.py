"""Business hours: whether a moment is inside them, and SLA targets counted in them (pure).

A schedule maps weekdays to opening intervals in the workspace's wall time,
`{"mon": [["09:00", "17:00"]], "sat": []}`; "24:00" closes at midnight. An empty schedule
means around the clock. Intervals are turned into UTC day by day, so a target that spans a
change of clocks counts the minutes that really pass while the business is open (a night
with one hour less is one hour shorter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
# A schedule whose opening hours never come would otherwise be searched forever.
SEARCH_DAYS = 800


@dataclass(frozen=True, slots=True)
class Interval:
    start: time
    end: time | None  # None: midnight at the end of the day


Schedule = Mapping[str, Sequence[Interval]]


def _clock(text: str) -> time | None:
    if not isinstance(text, str) or not _CLOCK.match(text):
        raise ValueError("invalid_time")
    if text == "24:00":
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def parse(raw: Mapping[str, Any] | None) -> dict[str, tuple[Interval, ...]]:
    """The stored JSON as intervals; ValueError with a code when it is malformed."""
    schedule: dict[str, tuple[Interval, ...]] = {}
    for day, spans in (raw or {}).items():
        if day not in WEEKDAYS:
            raise ValueError("unknown_day")
        if not isinstance(spans, list | tuple):
            raise ValueError("invalid_interval")
        intervals = []
        for span in spans:
            if not isinstance(span, list | tuple) or len(span) != 2:
                raise ValueError("invalid_interval")
            start, end = _clock(span[0]), _clock(span[1])
            if start is None:
                raise ValueError("invalid_interval")
            if end is not None and end <= start:
                raise ValueError("end_before_start")
            intervals.append(Interval(start, end))
        intervals.sort(key=lambda interval: interval.start)
        for before, after in pairwise(intervals):
            if before.end is None or before.end > after.start:
                raise ValueError("overlapping")
        schedule[day] = tuple(intervals)
    return schedule


def around_the_clock(schedule: Schedule) -> bool:
    """A schedule without any opening interval is open all the time (the default)."""
    return not any(schedule.values())


def _open_spans(schedule: Schedule, zone: ZoneInfo, day: date) -> list[tuple[datetime, datetime]]:
    """The day's opening intervals in UTC."""
    spans = []
    for interval in schedule.get(WEEKDAYS[day.weekday()], ()):
        opens = datetime.combine(day, interval.start, tzinfo=zone).astimezone(UTC)
        if interval.end is None:
            closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        else:
            closes = datetime.combine(day, interval.end, tzinfo=zone)
        spans.append((opens, closes.astimezone(UTC)))
    return spans


def is_open(schedule: Schedule, time_zone: str, at: datetime) -> bool:
    if around_the_clock(schedule):
        return True
    zone = ZoneInfo(time_zone)
    local_day = at.astimezone(zone).date()
    # The day before too: its interval to midnight may end after a DST change.
    for day in (local_day - timedelta(days=1), local_day):
        for opens, closes in _open_spans(schedule, zone, day):
            if opens <= at < closes:
                return True
    return False


def add_business_minutes(
    schedule: Schedule, time_zone: str, start: datetime, minutes: int
) -> datetime:
    """The moment `minutes` of opening time after `start` have passed (UTC).

    Around the clock it is simply start + minutes. A target of 0 minutes outside the hours
    is due when the business next opens. ValueError when the schedule never opens."""
    if around_the_clock(schedule):
        return start + timedelta(minutes=minutes)
    zone = ZoneInfo(time_zone)
    remaining = timedelta(minutes=minutes)
    day = start.astimezone(zone).date() - timedelta(days=1)
    for _ in range(SEARCH_DAYS):
        for opens, closes in _open_spans(schedule, zone, day):
            if closes <= start:
                continue
            begin = max(opens, start)
            available = closes - begin
            if remaining <= available:
                return (begin + remaining).astimezone(UTC)
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("never_open")


def business_minutes_between(
    schedule: Schedule, time_zone: str, start: datetime, end: datetime
) -> int:
    """Whole minutes of opening time from `start` to `end` (0 when end is not after start)."""
    if end <= start:
        return 0
    if around_the_clock(schedule):
        return int((end - start).total_seconds() // 60)
    zone = ZoneInfo(time_zone)
    total = timedelta()
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        for opens, closes in _open_spans(schedule, zone, day):
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)
