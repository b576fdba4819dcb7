"""What triage says about one message: labels with confidence and reasons, and urgency.

Frozen dataclasses so results can be cached, compared and handed across threads safely.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("question", "complaint", "suggestion", "praise", "other")
SENTIMENTS = ("negative", "neutral", "positive")
SPAM_LABELS = ("ok", "spam", "abuse")
UNDETERMINED_LANGUAGE = "und"
UNDEFINED_SENTIMENT = "undefined"


def gettext_noop(message: str) -> str:
    """Marks a reason for translation without Django: makemessages finds the call, and the
    page that shows the reason translates it (see explain.reason_message)."""
    return message


URGENCY_PARTS = (
    "safety",
    "legal",
    "outage",
    "fraud",
    "data",
    "repeated_complaint",
    "time_pressure",
    "negative_complaint",
)


@dataclass(frozen=True, slots=True)
class Label:
    value: str
    confidence: float  # 0..1
    # Human-readable: the words, patterns or rules that mattered.
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Urgency:
    score: int  # 0..100, the sum of the parts (capped)
    parts: tuple[tuple[str, int], ...]  # (reason code, points)


@dataclass(frozen=True, slots=True)
class TriageResult:
    language: Label  # ISO 639-1 code or "und"
    category: Label  # question | complaint | suggestion | praise | other
    sentiment: Label  # negative | neutral | positive | undefined
    spam: Label  # ok | spam | abuse
    urgency: Urgency
    model_version: str


@dataclass(frozen=True, slots=True)
class MessageContext:
    """Facts the caller knows about a message beyond its text."""

    prior_complaints: int = 0  # earlier complaints of the same contact (repeat contact)
