"""Words for the triage's codes: every category, sentiment, spam flag and urgency part is
shown translated, never as its code; confidence is said in words with its percentage."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from townsquare.inbox.triage.explain import reason_message
from townsquare.inbox.triage.result import (
    CATEGORIES,
    SENTIMENTS,
    SPAM_LABELS,
    UNDEFINED_SENTIMENT,
)

CATEGORY_LABELS: dict[str, Promise] = {
    "question": pgettext_lazy("inbox category", "Question"),
    "complaint": pgettext_lazy("inbox category", "Complaint"),
    "suggestion": pgettext_lazy("inbox category", "Suggestion"),
    "praise": pgettext_lazy("inbox category", "Praise"),
    "other": pgettext_lazy("inbox category", "Other"),
}
SENTIMENT_LABELS: dict[str, Promise] = {
    "negative": pgettext_lazy("inbox sentiment", "Negative"),
    "neutral": pgettext_lazy("inbox sentiment", "Neutral"),
    "positive": pgettext_lazy("inbox sentiment", "Positive"),
    UNDEFINED_SENTIMENT: pgettext_lazy("inbox sentiment", "Too short to tell"),
}
SPAM_FLAG_LABELS: dict[str, Promise] = {
    "ok": pgettext_lazy("inbox spam flag", "Not spam"),
    "spam": pgettext_lazy("inbox spam flag", "Spam"),
    "abuse": pgettext_lazy("inbox spam flag", "Abuse"),
}
URGENCY_PART_LABELS: dict[str, Promise] = {
    "safety": pgettext_lazy("inbox urgency", "Safety"),
    "legal": pgettext_lazy("inbox urgency", "Legal"),
    "outage": pgettext_lazy("inbox urgency", "Outage"),
    "fraud": pgettext_lazy("inbox urgency", "Fraud"),
    "data": pgettext_lazy("inbox urgency", "Data protection"),
    "repeated_complaint": pgettext_lazy("inbox urgency", "Repeated complaint"),
    "time_pressure": pgettext_lazy("inbox urgency", "Time pressure"),
    "negative_complaint": pgettext_lazy("inbox urgency", "Angry complaint"),
}
TASK_LABELS: dict[str, Promise] = {
    "category": pgettext_lazy("inbox triage task", "Category"),
    "sentiment": pgettext_lazy("inbox triage task", "Sentiment"),
    "spam": pgettext_lazy("inbox triage task", "Spam or abuse"),
    "language": pgettext_lazy("inbox triage task", "Language"),
}
# The values a person may set for each task (the triage's own vocabulary).
TASK_VALUES: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "sentiment": (*SENTIMENTS, UNDEFINED_SENTIMENT),
    "spam": SPAM_LABELS,
}
TASK_VALUE_LABELS: dict[str, dict[str, Promise]] = {
    "category": CATEGORY_LABELS,
    "sentiment": SENTIMENT_LABELS,
    "spam": SPAM_FLAG_LABELS,
}
# Urgency at or above this is shown as urgent, above the lower one as raised.
URGENT_FROM = 60
RAISED_FROM = 30


def label_of(task: str, value: str) -> str:
    """The translated word for a code; an unknown code is shown as "Unknown", not raw."""
    if not value:
        return ""
    found = TASK_VALUE_LABELS.get(task, {}).get(value)
    return str(found) if found is not None else gettext("Unknown")


def confidence_words(confidence: float | None) -> str:
    """How sure the triage is, in a word and a percentage: "sure (92 %)"."""
    if confidence is None:
        return ""
    share = max(0.0, min(1.0, float(confidence)))
    if share >= 0.85:
        word = pgettext_lazy("triage confidence", "sure")
    elif share >= 0.6:
        word = pgettext_lazy("triage confidence", "likely")
    else:
        word = pgettext_lazy("triage confidence", "unsure")
    return gettext("%(word)s (%(percent)s %%)") % {"word": word, "percent": round(share * 100)}


def urgency_level(score: int) -> str:
    """A CSS-friendly level: urgent, raised or calm."""
    if score >= URGENT_FROM:
        return "urgent"
    return "raised" if score >= RAISED_FROM else "calm"


def urgency_words(score: int) -> str:
    level = urgency_level(score)
    if level == "urgent":
        word = pgettext_lazy("inbox urgency level", "Urgent")
    elif level == "raised":
        word = pgettext_lazy("inbox urgency level", "Raised")
    else:
        word = pgettext_lazy("inbox urgency level", "Calm")
    return gettext("%(word)s (%(score)s of 100)") % {"word": word, "score": score}


def reason_text(reason: str) -> str:
    """A stored reason (kept in English, the same for everyone) in the reader's language."""
    message, parameters = reason_message(reason)
    translated = gettext(message)
    if not parameters:
        return translated
    try:
        return translated % parameters
    except (KeyError, TypeError, ValueError):  # a translation that lost its placeholder
        return message % parameters


def _label_entry(raw: Any) -> dict[str, Any]:
    """One stored label of the triage JSON: {"value", "confidence", "reasons"}; tolerant of
    a bare value, so an older or partial record still shows what it has."""
    if isinstance(raw, dict):
        reasons = raw.get("reasons") or []
        return {
            "value": str(raw.get("value", "")),
            "confidence": raw.get("confidence"),
            "reasons": [str(r) for r in reasons] if isinstance(reasons, list | tuple) else [],
        }
    if isinstance(raw, str):
        return {"value": raw, "confidence": None, "reasons": []}
    return {"value": "", "confidence": None, "reasons": []}


def explanation(message: Any) -> dict[str, Any]:
    """What the triage said about one inbound message and why, in words, with what a
    person corrected shown as theirs."""
    stored = message.triage if isinstance(message.triage, dict) else {}
    corrected = message.corrected if isinstance(message.corrected, dict) else {}
    labels = []
    for task in ("category", "sentiment", "spam"):
        entry = _label_entry(stored.get(task))
        current = str(getattr(message, task, "") or entry["value"])
        labels.append(
            {
                "task": task,
                "task_label": str(TASK_LABELS[task]),
                "value": current,
                "label": label_of(task, current),
                "model_value": entry["value"],
                "model_label": label_of(task, entry["value"]),
                "confidence": entry["confidence"],
                "confidence_words": confidence_words(entry["confidence"]),
                "reasons": [reason_text(r) for r in entry["reasons"]],
                "corrected": task in corrected,
                "choices": [(v, label_of(task, v)) for v in TASK_VALUES[task]],
            }
        )
    urgency = stored.get("urgency") if isinstance(stored.get("urgency"), dict) else {}
    parts = []
    for part in urgency.get("parts") or []:
        if isinstance(part, list | tuple) and len(part) == 2:
            code, points = part
            found = URGENCY_PART_LABELS.get(str(code))
            parts.append({"label": str(found) if found else gettext("Other"), "points": points})
    language = _label_entry(stored.get("language"))
    return {
        "labels": labels,
        "urgency": message.urgency,
        "urgency_words": urgency_words(message.urgency),
        "urgency_level": urgency_level(message.urgency),
        "urgency_parts": parts,
        "language": message.language or language["value"],
        "language_confidence": confidence_words(language["confidence"]),
        "truncated": bool(stored.get("truncated")),
        "model_version": message.triage_model_version,
    }
