"""When scheduled reports go out and which period each covers, in the workspace's zone.

Pure: no Django. Weekly reports leave on Monday at 08:00 local time and cover the week that
ended the day before; monthly ones leave on the 1st at 08:00 and cover the month before.
A change of clocks moves nothing: the hour is the local one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SEND_AT = time(8, 0)


def next_send(frequency: str, after: datetime, zone: ZoneInfo) -> datetime:
    """The first sending moment strictly after `after` (aware), in UTC."""
    local = after.astimezone(zone)
    day = local.date()
    for _ in range(400):
        if _is_send_day(frequency, day):
            moment = datetime.combine(day, SEND_AT, tzinfo=zone)
            if moment > local:
                return moment.astimezone(UTC)
        day += timedelta(days=1)
    raise ValueError(f"no sending day for {frequency!r}")


def period_before(frequency: str, sent_on: date) -> tuple[date, date]:
    """The first and last day a report sent on `sent_on` (a local day) covers."""
    if frequency == "weekly":
        end = sent_on - timedelta(days=sent_on.weekday() + 1)  # the Sunday before
        return end - timedelta(days=6), end
    if frequency == "monthly":
        end = sent_on.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    raise ValueError(f"unknown frequency {frequency!r}")


def _is_send_day(frequency: str, day: date) -> bool:
    if frequency == "weekly":
        return day.weekday() == 0
    if frequency == "monthly":
        return day.day == 1
    raise ValueError(f"unknown frequency {frequency!r}")
