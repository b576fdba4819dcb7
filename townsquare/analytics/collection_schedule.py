"""When the counters of a post and of an account are read next. Pure: no Django.

A post gathers most of its reactions in its first hours, so it is read often then and
rarely later: every 3 hours in its first 2 days, daily until day 30, weekly until day 90,
and once more on day 90 itself; after that its counters are final enough and reading stops.
An account is read every 3 hours: its day's snapshot is the newest reading of that day, so
the last reading of a day is at most 3 hours before its end, and a post published meanwhile
is found (and its first snapshot taken at once) within that time.

Failures back off: twice the pause after each failure in a row, from 15 minutes up to 12
hours, and at least as long as the network asked for.
"""

from __future__ import annotations

from datetime import datetime, timedelta

DENSE_EVERY = timedelta(hours=3)
DENSE_UNTIL = timedelta(days=2)
DAILY_UNTIL = timedelta(days=30)
WEEKLY_UNTIL = timedelta(days=90)
ACCOUNT_EVERY = timedelta(hours=3)

FIRST_BACKOFF = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=12)


def interval_at(age: timedelta) -> timedelta | None:
    """How long after a reading at `age` (time since publication) the next one is due."""
    if age < DENSE_UNTIL:
        return DENSE_EVERY
    if age < DAILY_UNTIL:
        return timedelta(days=1)
    if age < WEEKLY_UNTIL:
        return timedelta(weeks=1)
    return None


def next_snapshot_at(published_at: datetime, now: datetime) -> datetime | None:
    """When the post published at `published_at`, read at `now`, is read next (None: no more)."""
    last = published_at + WEEKLY_UNTIL
    if now >= last:
        return None
    step = interval_at(now - published_at)
    assert step is not None
    return min(now + step, last)


def first_snapshot_at(published_at: datetime, now: datetime) -> datetime | None:
    """When a post first seen at `now` is read first: at once (the collection that finds
    it reads the account's recent posts anyway), so its curve starts at the first reading;
    never for a post past day 90."""
    if now >= published_at + WEEKLY_UNTIL:
        return None
    return now


def backoff(failures: int, asked_seconds: float | None = None) -> timedelta:
    """The pause after the `failures`-th failure in a row."""
    # The exponent is capped: a long streak must not overflow the duration before min().
    doublings: int = min(max(failures - 1, 0), 16)
    pause: timedelta = min(FIRST_BACKOFF * (1 << doublings), MAX_BACKOFF)
    if asked_seconds:
        pause = max(pause, timedelta(seconds=asked_seconds))
    return pause
