"""Inbox rule conditions: does a message meet a rule's conditions, and why (pure, no Django).

A rule's `conditions` is a plain mapping (stored as JSON, see models/routing.Rule); every
condition given must hold. Each evaluation returns one `Check` per condition with what was
compared, so the conversation can say in words why a rule applied (or did not).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import emoji

CATEGORIES = ("question", "complaint", "suggestion", "praise", "other")
SENTIMENTS = ("negative", "neutral", "positive", "undefined")
SPAM_LABELS = ("ok", "spam", "abuse")
BUSINESS_HOURS_CHOICES = ("inside", "outside")
# The order in which conditions are checked and explained.
CONDITION_KEYS = (
    "category",
    "sentiment",
    "min_urgency",
    "spam",
    "language",
    "keywords",
    "emoji_only",
    "has_link",
    "network",
    "account",
    "author",
    "min_followers",
    "business_hours",
)
MAX_KEYWORDS = 100
MAX_KEYWORD_LENGTH = 100

# http(s) addresses, "www." addresses and bare domains with a path ("example.com/x").
_LINK = re.compile(
    r"(?:https?://\S+|\bwww\.[^\s/]+\.\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S*)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What rules may look at in one inbound message (triage done, context looked up)."""

    text: str
    category: str = ""
    sentiment: str = ""
    urgency: int = 0
    spam: str = ""  # ok | spam | abuse
    language: str = ""
    network: str = ""
    account_id: int | None = None
    author_handle: str = ""
    follower_count: int | None = None
    # Whether the message arrived within the workspace's business hours.
    inside_business_hours: bool = True


@dataclass(frozen=True, slots=True)
class Check:
    """One condition checked: its key, whether it held, the value wanted and what was seen."""

    key: str
    matched: bool
    wanted: Any
    seen: Any


@dataclass(frozen=True, slots=True)
class Evaluation:
    matched: bool
    checks: tuple[Check, ...]


def _lower_set(values: Any) -> frozenset[str]:
    return frozenset(str(value).strip().casefold() for value in values or ())


@lru_cache(maxsize=512)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    # Word boundaries that also work for keywords starting or ending with a non-word
    # character ("c++", "#fail"): no word character may touch the keyword on either side.
    alternatives = "|".join(re.escape(word) for word in sorted(keywords, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def find_keyword(text: str, keywords: Sequence[str]) -> str | None:
    """The first keyword found in `text` as a whole word (case-insensitive), else None."""
    words = tuple(word.strip() for word in keywords if word and word.strip())
    if not words:
        return None
    found = _keyword_pattern(words).search(text)
    return found.group(0) if found else None


def is_emoji_only(text: str) -> bool:
    stripped = "".join(text.split())
    return bool(stripped) and emoji.purely_emoji(stripped)


def has_link(text: str) -> bool:
    return _LINK.search(text) is not None


def _check(key: str, wanted: Any, facts: MessageFacts) -> Check:
    if key == "category":
        return Check(key, facts.category in set(wanted), tuple(wanted), facts.category)
    if key == "sentiment":
        return Check(key, facts.sentiment in set(wanted), tuple(wanted), facts.sentiment)
    if key == "min_urgency":
        return Check(key, facts.urgency >= int(wanted), int(wanted), facts.urgency)
    if key == "spam":
        return Check(key, facts.spam in set(wanted), tuple(wanted), facts.spam)
    if key == "language":
        seen = facts.language.casefold()
        return Check(key, seen in _lower_set(wanted), tuple(wanted), facts.language)
    if key == "keywords":
        found = find_keyword(facts.text, tuple(wanted))
        return Check(key, found is not None, tuple(wanted), found or "")
    if key == "emoji_only":
        seen_emoji = is_emoji_only(facts.text)
        return Check(key, seen_emoji == bool(wanted), bool(wanted), seen_emoji)
    if key == "has_link":
        seen_link = has_link(facts.text)
        return Check(key, seen_link == bool(wanted), bool(wanted), seen_link)
    if key == "network":
        return Check(key, facts.network in set(wanted), tuple(wanted), facts.network)
    if key == "account":
        ids = {int(value) for value in wanted}
        return Check(key, facts.account_id in ids, tuple(sorted(ids)), facts.account_id)
    if key == "author":
        seen_author = facts.author_handle.casefold().lstrip("@")
        authors = {value.lstrip("@") for value in _lower_set(wanted)}
        return Check(key, seen_author in authors, tuple(wanted), facts.author_handle)
    if key == "min_followers":
        followers = facts.follower_count
        held = followers is not None and followers >= int(wanted)
        return Check(key, held, int(wanted), followers)
    if key == "business_hours":
        inside = facts.inside_business_hours
        held = inside if wanted == "inside" else not inside
        return Check(key, held, wanted, "inside" if inside else "outside")
    raise ValueError(f"unknown condition {key!r}")


def given(conditions: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The conditions that are set (an empty list or a null is no condition), in order."""
    return [
        (key, conditions[key])
        for key in CONDITION_KEYS
        if key in conditions and conditions[key] not in (None, "", [], ())
    ]


def evaluate(conditions: Mapping[str, Any], facts: MessageFacts) -> Evaluation:
    """All conditions must hold; a rule without conditions applies to every message.
    Every condition is checked (not only up to the first miss) so the explanation is whole."""
    checks = tuple(_check(key, wanted, facts) for key, wanted in given(conditions))
    return Evaluation(all(check.matched for check in checks), checks)


def clean_conditions(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Conditions from a form or an API body, normalised; problems as (key, code)."""
    cleaned: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, value in raw.items():
        if key not in CONDITION_KEYS:
            problems.append((key, "unknown_condition"))
            continue
        if value in (None, "", [], ()):
            continue
        try:
            cleaned[key] = _clean_one(key, value)
        except (TypeError, ValueError) as error:
            problems.append((key, str(error) or "invalid"))
    return cleaned, problems


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\n]", value)]
    if not isinstance(value, list | tuple):
        raise ValueError("not_a_list")
    texts = [str(item).strip() for item in value if str(item).strip()]
    if len(texts) > MAX_KEYWORDS:
        raise ValueError("too_many")
    if any(len(text) > MAX_KEYWORD_LENGTH for text in texts):
        raise ValueError("too_long")
    # Order kept, duplicates dropped.
    return list(dict.fromkeys(texts))


def _clean_one(key: str, value: Any) -> Any:
    if key in ("category", "sentiment", "spam"):
        allowed = {"category": CATEGORIES, "sentiment": SENTIMENTS, "spam": SPAM_LABELS}[key]
        choices = _texts(value)
        if any(choice not in allowed for choice in choices):
            raise ValueError("unknown_choice")
        return choices
    if key in ("language", "network", "keywords", "author"):
        return _texts(value)
    if key == "account":
        ids = [int(item) for item in (value if isinstance(value, list | tuple) else [value])]
        if any(item <= 0 or item >= 2**63 for item in ids):
            raise ValueError("invalid")
        return sorted(set(ids))
    if key in ("min_urgency", "min_followers"):
        if isinstance(value, bool):
            raise ValueError("invalid")
        number = int(value)
        upper = 100 if key == "min_urgency" else 10**12
        if not 0 <= number <= upper:
            raise ValueError("out_of_range")
        return number
    if key in ("emoji_only", "has_link"):
        if not isinstance(value, bool):
            raise ValueError("not_a_boolean")
        return value
    if value not in BUSINESS_HOURS_CHOICES:  # business_hours
        raise ValueError("unknown_choice")
    return value
