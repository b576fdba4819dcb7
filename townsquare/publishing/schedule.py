"""The pure rules of publishing: states, what may follow what, retry delays, lateness, and
turning a local wall-clock time into UTC across daylight-saving changes. No Django."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    # Due on a network without a connector: a person was reminded and posts it by hand.
    BY_HAND = "by_hand"


# Which state may follow which. `publishing` is only entered by the scheduler's claim and
# only left by the publish task (fenced by its lease) or by lease recovery.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SCHEDULED, Status.CANCELLED}),
    Status.SCHEDULED: frozenset(
        {Status.PUBLISHING, Status.BY_HAND, Status.CANCELLED, Status.DRAFT}
    ),
    Status.PUBLISHING: frozenset(
        {Status.PUBLISHED, Status.FAILED, Status.UNKNOWN, Status.SCHEDULED, Status.CANCELLED}
    ),
    # Cancelled only when its account is removed (nothing can be looked up any more).
    Status.UNKNOWN: frozenset(
        {Status.PUBLISHED, Status.SCHEDULED, Status.FAILED, Status.CANCELLED}
    ),
    Status.FAILED: frozenset({Status.SCHEDULED, Status.CANCELLED}),
    Status.PUBLISHED: frozenset(),
    Status.CANCELLED: frozenset({Status.SCHEDULED}),
    # Marked as posted (with its address), not posted, or scheduled again for later.
    Status.BY_HAND: frozenset({Status.PUBLISHED, Status.CANCELLED, Status.SCHEDULED}),
}

# States a person may change the content or time of.
EDITABLE = frozenset(
    {Status.DRAFT, Status.SCHEDULED, Status.FAILED, Status.CANCELLED, Status.BY_HAND}
)


def can_move(current: Status | str, target: Status | str) -> bool:
    return Status(target) in TRANSITIONS[Status(current)]


# --- retries -------------------------------------------------------------------------------
BASE_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 15 * 60.0
MAX_ATTEMPTS = 8


def retry_delay(
    attempt: int, after: float | None = None, rng: random.Random | None = None
) -> float:
    """Seconds to wait before attempt `attempt + 1`.

    A time the network named (429 reset) is honoured, plus up to 2 s of jitter so that
    every waiting worker does not come back in the same instant. Otherwise exponential
    backoff from 5 s, capped at 15 minutes, with +-25 % jitter.
    """
    rng = rng or random.Random()
    if after is not None and after >= 0:
        return after + rng.uniform(0.0, 2.0)
    base: float = min(MAX_RETRY_SECONDS, BASE_RETRY_SECONDS * 2.0 ** max(0, attempt - 1))
    return base * rng.uniform(0.75, 1.25)


# --- lateness --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LatePolicy:
    """What to do with a post that could not go out on time: publish anyway, or hold it
    for a person once it is more than `after_minutes` late."""

    hold: bool = False
    after_minutes: int = 60


def is_held_for_lateness(due_at: datetime, now: datetime, policy: LatePolicy) -> bool:
    return policy.hold and now - due_at > timedelta(minutes=policy.after_minutes)


# --- time zones ------------------------------------------------------------------------------
@dataclass(frozen=True)
class LocalTime:
    """A wall-clock time in a named zone, as the person meant it, and its UTC instant.

    `shifted` says the wall time did not exist (the spring change skips it) and was moved
    forward by the gap; `ambiguous` says it happened twice (the autumn change) and the
    first occurrence was taken.
    """

    wall: datetime
    zone: str
    utc: datetime
    shifted: bool = False
    ambiguous: bool = False


def local_to_utc(wall: datetime, zone: str) -> LocalTime:
    if wall.tzinfo is not None:
        raise ValueError("pass the wall-clock time without a time zone")
    tz = ZoneInfo(zone)
    first = wall.replace(tzinfo=tz, fold=0)
    second = wall.replace(tzinfo=tz, fold=1)
    ambiguous = first.utcoffset() != second.utcoffset()
    utc = first.astimezone(UTC)
    # A wall time in the spring gap does not survive the round trip.
    back = utc.astimezone(tz).replace(tzinfo=None)
    if back != wall:
        # fold=0 of a gap time uses the offset from before the change: that instant, read
        # in the zone, is the same wall time moved forward by the gap (02:30 -> 03:30).
        return LocalTime(wall, zone, utc, shifted=True)
    return LocalTime(wall, zone, utc, ambiguous=ambiguous)


def utc_to_local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def part_key(idempotency_key: str, index: int) -> str:
    """The key of part `index` of a publication: each part of a thread is its own request."""
    return f"{idempotency_key}:{index}"


def recurring(first: datetime, zone: str, every: timedelta, count: int) -> list[LocalTime]:
    """Occurrences of a recurring post, expanded in local wall time: a weekly 09:00 stays
    09:00 on both sides of a daylight-saving change (the UTC instant moves instead)."""
    if every <= timedelta(0) or count < 0:
        raise ValueError("a recurrence needs a positive interval and a count")
    return [local_to_utc(first + every * n, zone) for n in range(count)]
