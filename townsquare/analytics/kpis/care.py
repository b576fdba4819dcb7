"""Care: whether people who write get an answer, how fast, and in what mood they write
(pure).

Definitions (every figure for the period, beside the previous period of the same length):

- **Answered**: the share (percent) of inbound messages (mentions, comments, replies and
  private messages that are not spam) received in the period that were followed by an
  answer of ours in the same conversation (at any time up to now).
- **First-response time**: per conversation begun in the period, the time from its first
  message to our first answer (wall-clock minutes), as the median and the 90th percentile
  (linear interpolation). Conversations still waiting are not in it; `waiting` counts them.
  Given for all conversations, and split by whether the first message arrived inside or
  outside the workspace's business hours (inbox settings; an empty schedule means around
  the clock, so everything is inside).
- **Sentiment score**: positive / (positive + negative) inbound messages, in percent;
  neutral and undetermined ones are left out. None when there are neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from townsquare.analytics.kpis.periods import Comparison, compare, percent, quantile
from townsquare.inbox.business_hours import Schedule, is_open


@dataclass(frozen=True, slots=True)
class ResponseSample:
    """A conversation's first message and our first answer (None: not answered yet)."""

    arrived_at: datetime
    responded_at: datetime | None


@dataclass(frozen=True, slots=True)
class CareInput:
    inbound: int = 0
    answered: int = 0
    responses: tuple[ResponseSample, ...] = ()
    sentiments: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """Minutes from first message to first answer."""

    median: Comparison
    p90: Comparison
    answered: Comparison  # conversations with an answer
    waiting: Comparison  # conversations without one yet


@dataclass(frozen=True, slots=True)
class Care:
    answered_share: Comparison  # percent
    inbound: Comparison
    first_response: ResponseTimes
    inside_hours: ResponseTimes
    outside_hours: ResponseTimes
    sentiment_score: Comparison  # percent
    around_the_clock: bool


def _minutes(sample: ResponseSample) -> float | None:
    if sample.responded_at is None:
        return None
    # An answer stamped before the message (clocks of two servers): no negative time.
    return max(0.0, (sample.responded_at - sample.arrived_at).total_seconds() / 60.0)


def _times(samples: Sequence[ResponseSample]) -> tuple[float | None, float | None, int, int]:
    minutes = [m for m in (_minutes(s) for s in samples) if m is not None]
    return quantile(minutes, 0.5), quantile(minutes, 0.9), len(minutes), len(samples) - len(minutes)


def response_times(
    current: Sequence[ResponseSample], previous: Sequence[ResponseSample]
) -> ResponseTimes:
    median, p90, answered, waiting = _times(current)
    median_b, p90_b, answered_b, waiting_b = _times(previous)
    return ResponseTimes(
        median=compare(median, median_b),
        p90=compare(p90, p90_b),
        answered=compare(answered, answered_b),
        waiting=compare(waiting, waiting_b),
    )


def sentiment_score(sentiments: Mapping[str, int]) -> float | None:
    positive = sentiments.get("positive", 0)
    negative = sentiments.get("negative", 0)
    return percent(positive, positive + negative)


def care(current: CareInput, previous: CareInput, schedule: Schedule, time_zone: str) -> Care:
    def split(samples: Sequence[ResponseSample]) -> tuple[list[ResponseSample], ...]:
        inside: list[ResponseSample] = []
        outside: list[ResponseSample] = []
        for s in samples:
            (inside if is_open(schedule, time_zone, s.arrived_at) else outside).append(s)
        return inside, outside

    inside_now, outside_now = split(current.responses)
    inside_before, outside_before = split(previous.responses)
    return Care(
        answered_share=compare(
            percent(current.answered, current.inbound), percent(previous.answered, previous.inbound)
        ),
        inbound=compare(current.inbound, previous.inbound),
        first_response=response_times(current.responses, previous.responses),
        inside_hours=response_times(inside_now, inside_before),
        outside_hours=response_times(outside_now, outside_before),
        sentiment_score=compare(
            sentiment_score(current.sentiments), sentiment_score(previous.sentiments)
        ),
        around_the_clock=not any(schedule.values()),
    )


@dataclass(frozen=True, slots=True)
class TeamInput:
    """One person's answers in a period: how many they sent, and the conversations whose
    first answer was theirs."""

    user_id: int
    name: str
    replies: int = 0
    first_responses: tuple[ResponseSample, ...] = ()


@dataclass(frozen=True, slots=True)
class TeamRow:
    user_id: int
    name: str
    replies: Comparison
    first_response: ResponseTimes


def team(current: Sequence[TeamInput], previous: Sequence[TeamInput]) -> tuple[TeamRow, ...]:
    """**Team**: per person, the answers sent in the period and the first-response times of
    the conversations they answered first; most answers first, then by name."""
    before = {row.user_id: row for row in previous}
    rows = []
    for row in current:
        old = before.get(row.user_id, TeamInput(user_id=row.user_id, name=row.name))
        rows.append(
            TeamRow(
                user_id=row.user_id,
                name=row.name,
                replies=compare(row.replies, old.replies),
                first_response=response_times(row.first_responses, old.first_responses),
            )
        )
    rows.sort(key=lambda r: (-(r.replies.value or 0), r.name.lower(), r.user_id))
    return tuple(rows)
