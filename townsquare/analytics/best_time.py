"""Best time to post, learned from the workspace's own history (pure).

For one network (and optionally one account) the posts of the last HISTORY_WEEKS weeks are
counted per local weekday and hour in the workspace's zone, with their engagements. A slot
scores by its engagements per post; its lift is that against the average post of the same
history (1.5 = half again as much engagement).

Minimum-data guard: with fewer than MIN_POSTS posts in the history nothing is learned, and
a slot with fewer than MIN_SLOT_POSTS posts is never suggested (one lucky post is not a
pattern). Then the suggestions fall back to GENERAL_HOURS, which are general guidance for
the network, not measured: Townsquare has no study of posting times behind them, and they
say so (see `note`). They are common rules of thumb (working-day mornings, the lunch hour,
the early evening in the audience's own zone), kept deliberately plain.

Confidence: `high` with at least HIGH_POSTS posts and every suggested slot holding at
least HIGH_SLOT_POSTS; `medium` when the guard is passed otherwise; `low` for the general
guidance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from townsquare.analytics.kpis.series import SlotCount

HISTORY_WEEKS = 16
MIN_POSTS = 30
MIN_SLOT_POSTS = 3
HIGH_POSTS = 100
HIGH_SLOT_POSTS = 5
TOP_SLOTS = 3

# General guidance per network (weekday 0 = Monday, local hour), used when the workspace's
# own history is too thin. Not measured: rules of thumb, said to be so wherever shown.
_WORKDAY_MORNING_LUNCH_EVENING = ((1, 9), (3, 12), (2, 18))
GENERAL_HOURS: dict[str, tuple[tuple[int, int], ...]] = {
    "linkedin_profile": ((1, 8), (2, 12), (3, 9)),
    "linkedin_page": ((1, 8), (2, 12), (3, 9)),
    "x": ((1, 9), (2, 12), (3, 17)),
    "bluesky": _WORKDAY_MORNING_LUNCH_EVENING,
    "mastodon": _WORKDAY_MORNING_LUNCH_EVENING,
    "matrix_room": ((1, 10), (3, 14), (0, 10)),
    "facebook_page": ((2, 12), (4, 13), (6, 19)),
    "instagram": ((0, 19), (2, 12), (4, 18)),
    "threads": ((0, 19), (2, 12), (4, 18)),
    "tiktok": ((1, 19), (3, 20), (5, 11)),
    "youtube": ((3, 17), (4, 17), (5, 11)),
    "pinterest": ((5, 20), (6, 20), (4, 15)),
}
DEFAULT_GENERAL_HOURS = _WORKDAY_MORNING_LUNCH_EVENING


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Basis(StrEnum):
    HISTORY = "history"  # the workspace's own posts
    GENERAL = "general"  # general guidance for the network


@dataclass(frozen=True, slots=True)
class Suggestion:
    weekday: int  # 0 = Monday
    hour: int  # local hour
    posts: int  # posts in this slot in the history (0 for general guidance)
    per_post: float | None  # engagements per post in the slot
    lift: float | None  # against the history's average post

    def reason(self, lang: str) -> str:
        """Why this slot, in English or German (formal)."""
        de = lang.startswith("de")
        if self.posts == 0 or self.lift is None:
            if de:
                return "Allgemeine Empfehlung für dieses Netzwerk (nicht aus Ihren Daten)"
            return "General guidance for this network (not from your data)"
        percent = round((self.lift - 1.0) * 100)
        if de:
            word = "mehr" if percent >= 0 else "weniger"
            return (
                f"{abs(percent)} % {word} Interaktionen je Beitrag als Ihr Durchschnitt "
                f"({self.posts} Beiträge in den letzten {HISTORY_WEEKS} Wochen)"
            )
        word = "more" if percent >= 0 else "fewer"
        return (
            f"{abs(percent)} % {word} engagements per post than your average "
            f"({self.posts} posts in the last {HISTORY_WEEKS} weeks)"
        )


@dataclass(frozen=True, slots=True)
class BestTime:
    network: str
    basis: Basis
    confidence: Confidence
    posts: int  # posts in the history
    trusted_slots: int  # slots with at least MIN_SLOT_POSTS posts
    average_per_post: float | None
    suggestions: tuple[Suggestion, ...]

    def note(self, lang: str) -> str:
        """The confidence note shown beside the suggestions."""
        de = lang.startswith("de")
        if self.basis is Basis.GENERAL:
            if de:
                return (
                    f"Noch zu wenige Daten ({self.posts} von mindestens {MIN_POSTS} Beiträgen "
                    f"in {HISTORY_WEEKS} Wochen): allgemeine Empfehlungen, nicht gemessen."
                )
            return (
                f"Not enough data yet ({self.posts} of at least {MIN_POSTS} posts in "
                f"{HISTORY_WEEKS} weeks): general guidance, not measured."
            )
        if self.confidence is Confidence.HIGH:
            if de:
                return f"Aus {self.posts} Ihrer Beiträge der letzten {HISTORY_WEEKS} Wochen."
            return f"From {self.posts} of your posts in the last {HISTORY_WEEKS} weeks."
        if de:
            return (
                f"Aus {self.posts} Ihrer Beiträge der letzten {HISTORY_WEEKS} Wochen; "
                f"wenige Beiträge je Zeitfenster, daher nur ein Anhaltspunkt."
            )
        return (
            f"From {self.posts} of your posts in the last {HISTORY_WEEKS} weeks; few posts "
            f"per time slot, so take it as a hint."
        )


def _general(network: str, posts: int, trusted: int, average: float | None) -> BestTime:
    hours = GENERAL_HOURS.get(network, DEFAULT_GENERAL_HOURS)
    return BestTime(
        network=network,
        basis=Basis.GENERAL,
        confidence=Confidence.LOW,
        posts=posts,
        trusted_slots=trusted,
        average_per_post=average,
        suggestions=tuple(Suggestion(d, h, 0, None, None) for d, h in hours),
    )


def best_time(network: str, slots: Iterable[SlotCount], *, top: int = TOP_SLOTS) -> BestTime:
    """The best slots of the history (see the module's notes), or general guidance."""
    merged: dict[tuple[int, int], list[int]] = {}
    for slot in slots:
        if not (0 <= slot.weekday <= 6 and 0 <= slot.hour <= 23):
            raise ValueError("slot_out_of_range")
        found = merged.setdefault((slot.weekday, slot.hour), [0, 0])
        found[0] += max(0, slot.posts)
        found[1] += max(0, slot.engagements)
    posts = sum(p for p, _e in merged.values())
    engagements = sum(e for _p, e in merged.values())
    average = engagements / posts if posts else None
    trusted = {key: pe for key, pe in merged.items() if pe[0] >= MIN_SLOT_POSTS}
    if posts < MIN_POSTS or not trusted or not average:
        return _general(network, posts, len(trusted), average)
    ranked = sorted(
        trusted.items(), key=lambda kv: (-(kv[1][1] / kv[1][0]), -kv[1][0], kv[0][0], kv[0][1])
    )
    chosen: list[Suggestion] = []
    for (weekday, hour), (count, total) in ranked:
        # Neighbouring hours of one day are one suggestion: the next is another time.
        if any(s.weekday == weekday and abs(s.hour - hour) <= 1 for s in chosen):
            continue
        per_post = total / count
        chosen.append(Suggestion(weekday, hour, count, per_post, per_post / average))
        if len(chosen) >= top:
            break
    high = posts >= HIGH_POSTS and all(s.posts >= HIGH_SLOT_POSTS for s in chosen)
    return BestTime(
        network=network,
        basis=Basis.HISTORY,
        confidence=Confidence.HIGH if high else Confidence.MEDIUM,
        posts=posts,
        trusted_slots=len(trusted),
        average_per_post=average,
        suggestions=tuple(chosen),
    )


def _local(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """The wall time day + hour:00 as a real moment: an hour skipped by a change of clocks
    moves to the same wall time after it (02:00 on the spring change is 03:00)."""
    naive = datetime.combine(day, time(hour), tzinfo=zone)
    return naive.astimezone(UTC).astimezone(zone)


def next_slots(
    suggestions: Sequence[Suggestion], time_zone: str, start: datetime, days: int
) -> list[datetime]:
    """The concrete moments of the suggested slots from `start` (aware) for `days` local
    days, in the zone, earliest first; moments before `start` are left out."""
    if start.tzinfo is None:
        raise ValueError("naive_start")
    zone = ZoneInfo(time_zone)
    first = start.astimezone(zone).date()
    found: set[datetime] = set()
    for offset in range(max(0, days)):
        day = first + timedelta(days=offset)
        for suggestion in suggestions:
            if suggestion.weekday != day.weekday():
                continue
            moment = _local(day, suggestion.hour, zone)
            if moment >= start:
                found.add(moment)
    return sorted(found)
