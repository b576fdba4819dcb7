"""Recurrence rules (RFC 5545 RRULE, read by python-dateutil), expanded in local wall time.

Pure: no Django. The occurrences are wall times in the workspace's zone ("09:00 every
Monday"), turned into UTC one by one, so a post at 09:00 stays at 09:00 on both sides of a
daylight-saving change. A rule must end (COUNT or UNTIL), and is refused when it has more
than MAX_OCCURRENCES occurrences or spans more than MAX_SPAN_DAYS. UNTIL is read as a wall
time in the same zone (a trailing "Z" is accepted and read the same way). Refusals are
`RecurrenceError`s with a code and the facts for a message in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil import rrule as du

from townsquare.publishing.schedule import LocalTime, local_to_utc

MAX_OCCURRENCES = 366
MAX_SPAN_DAYS = 731  # two years
MAX_RULE_CHARS = 500
FREQUENCIES = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass
class RecurrenceError(Exception):
    """code: not_a_rule | frequency | no_end | too_many | too_long | none | too_long_text."""

    code: str
    facts: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.facts}"


@dataclass(frozen=True)
class Repeat:
    """What the composer's "Repeat" fields say."""

    frequency: str  # DAILY | WEEKLY | MONTHLY
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    count: int | None = None
    until: date | None = None

    def rule(self) -> str:
        if self.frequency not in FREQUENCIES:
            raise RecurrenceError("frequency", {"frequency": self.frequency})
        if self.interval < 1 or self.interval > 365:
            raise RecurrenceError("not_a_rule", {"detail": f"INTERVAL={self.interval}"})
        parts = [f"FREQ={self.frequency}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            if any(d < 0 or d > 6 for d in self.weekdays):
                raise RecurrenceError("not_a_rule", {"detail": "BYDAY"})
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in sorted(set(self.weekdays))))
        if self.count is not None and self.until is not None:
            raise RecurrenceError("not_a_rule", {"detail": "COUNT + UNTIL"})
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        elif self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        return ";".join(parts)


_PART = re.compile(r"^[A-Z]+=[A-Za-z0-9,+\-]+$")


def normalise(text: str) -> str:
    """The rule as stored: upper case, without an "RRULE:" prefix, UNTIL without "Z"."""
    rule = text.strip()
    if len(rule) > MAX_RULE_CHARS:
        raise RecurrenceError("too_long_text", {"max": MAX_RULE_CHARS})
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    rule = rule.upper().strip().strip(";")
    if not rule or any(c in rule for c in "\r\n\x00"):
        raise RecurrenceError("not_a_rule", {"detail": rule[:60]})
    parts = rule.split(";")
    for part in parts:
        if not _PART.match(part):
            raise RecurrenceError("not_a_rule", {"detail": part[:60]})
    keys = [p.split("=", 1)[0] for p in parts]
    if len(set(keys)) != len(keys):
        raise RecurrenceError("not_a_rule", {"detail": "duplicate"})
    values = dict(p.split("=", 1) for p in parts)
    if "DTSTART" in values:
        raise RecurrenceError("not_a_rule", {"detail": "DTSTART"})
    freq = values.get("FREQ")
    if freq is None:
        raise RecurrenceError("not_a_rule", {"detail": "FREQ"})
    if freq not in FREQUENCIES:
        raise RecurrenceError("frequency", {"frequency": freq[:20]})
    if "COUNT" not in values and "UNTIL" not in values:
        raise RecurrenceError("no_end")
    if "UNTIL" in values and values["UNTIL"].endswith("Z"):
        values["UNTIL"] = values["UNTIL"][:-1]
    return ";".join(f"{k}={values[k]}" for k in keys)


def expand(rule_text: str, first: datetime, zone: str) -> list[LocalTime]:
    """Every occurrence of the rule from `first` (a wall time in `zone`, no tzinfo)."""
    if first.tzinfo is not None:
        raise ValueError("pass the wall-clock time without a time zone")
    rule_text = normalise(rule_text)
    first = first.replace(second=0, microsecond=0)
    try:
        rule = du.rrulestr(rule_text, dtstart=first)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise RecurrenceError("not_a_rule", {"detail": str(exc)[:120]}) from None
    if not isinstance(rule, du.rrule):
        raise RecurrenceError("not_a_rule", {"detail": rule_text[:60]})
    # dateutil keeps the parsed end in these attributes (no public accessor).
    count: int | None = getattr(rule, "_count", None)
    until: datetime | None = getattr(rule, "_until", None)
    if count is not None and count > MAX_OCCURRENCES:
        raise RecurrenceError("too_many", {"count": count, "max": MAX_OCCURRENCES})
    horizon = first + timedelta(days=MAX_SPAN_DAYS)
    if until is not None:
        if until.tzinfo is not None:
            until = until.replace(tzinfo=None)
        if until > horizon + timedelta(days=1):
            raise RecurrenceError("too_long", {"days": MAX_SPAN_DAYS})
    # Never more than the horizon is walked, whatever the rule: a rule that matches
    # nothing (the 30th of February) stops there instead of running to the year 9999.
    try:
        walls = rule.between(first, horizon, inc=True)
    except (ValueError, OverflowError) as exc:
        raise RecurrenceError("not_a_rule", {"detail": str(exc)[:120]}) from None
    if count is not None and len(walls) < count:
        raise RecurrenceError("too_long", {"days": MAX_SPAN_DAYS})
    if len(walls) > MAX_OCCURRENCES:
        raise RecurrenceError("too_many", {"count": len(walls), "max": MAX_OCCURRENCES})
    if not walls:
        raise RecurrenceError("none")
    return [local_to_utc(wall, zone) for wall in walls]


def wall_key(wall: datetime) -> str:
    return wall.strftime("%Y-%m-%dT%H:%M")


def parse_wall(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M")


def weekly_slot_times(
    start: date, days: int, slots: list[tuple[int, time]]
) -> list[tuple[datetime, int]]:
    """Wall times of weekly slots (weekday, time) from `start` for `days` days, in order,
    each with the index of the slot it came from."""
    out = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        for index, (weekday, at) in enumerate(slots):
            if day.weekday() == weekday:
                out.append((datetime.combine(day, at), index))
    out.sort()
    return out
