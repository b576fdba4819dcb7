"""Checks of every value a plan takes, shared by the pages, the API and `plan import`.

Each function takes what a form, a JSON body or a file gave and returns the value to store,
or raises ActionError with a message that names the field.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import NETWORK_NAMES, network_label
from townsquare.planning.models import (
    ADDRESS_CHOICES,
    EMOJI_CHOICES,
    FORMALITY_CHOICES,
    GOAL_METRICS,
    HASHTAG_POLICY_CHOICES,
)

MAX_EMOJI = 50
MAX_HASHTAGS = 100
MAX_POSTS_PER_WEEK = 100
MAX_TIMES = 24
MAX_WORDS = 200
MAX_WORD_LENGTH = 100
MAX_TEXT = 10_000
MAX_TARGET = Decimal("999999999999.99")
_COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")
_TIME_RE = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")

CHOICES: dict[str, list[tuple[str, Any]]] = {
    "address": ADDRESS_CHOICES,
    "formality": FORMALITY_CHOICES,
    "emoji_policy": EMOJI_CHOICES,
    "hashtag_policy": HASHTAG_POLICY_CHOICES,
}


def text(value: Any, label: str, max_length: int = MAX_TEXT, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ActionError(_("%(field)s: write text.") % {"field": label}, code="invalid_text")
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ActionError(
            _("%(field)s contains characters that cannot be stored.") % {"field": label},
            code="invalid_text",
        )
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        raise ActionError(_("%(field)s is required.") % {"field": label}, code="required")
    if len(value) > max_length:
        raise ActionError(
            _("%(field)s may have at most %(max)s characters.")
            % {"field": label, "max": max_length},
            code="too_long",
        )
    return value


def whole_number(value: Any, label: str, maximum: int, allow_none: bool = False) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ActionError(_("%(field)s is required.") % {"field": label}, code="required")
    if isinstance(value, bool):
        value = None
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value <= maximum:
        raise ActionError(
            _("%(field)s: a whole number from 0 to %(max)s.") % {"field": label, "max": maximum},
            code="invalid_number",
        )
    return value


def choice(value: Any, name: str, label: str, inherit: bool) -> str:
    allowed = {key for key, _label in CHOICES[name]}
    if inherit:
        allowed.add("")
    if not isinstance(value, str) or value not in allowed:
        raise ActionError(
            _("%(field)s: choose one of %(choices)s.")
            % {"field": label, "choices": ", ".join(sorted(k for k in allowed if k))},
            code="invalid_choice",
        )
    return value


def network(value: Any, label: str | None = None) -> str:
    if not isinstance(value, str) or value not in NETWORK_NAMES:
        raise ActionError(
            _("Unknown network: %(network)s. Known networks: %(known)s.")
            % {"network": str(value)[:40], "known": ", ".join(sorted(NETWORK_NAMES))},
            code="unknown_network",
        )
    return value


def networks(values: Any) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ActionError(_("Networks: give a list of network keys."), code="unknown_network")
    return sorted({network(value) for value in values})


def words(values: Any, label: str) -> list[str]:
    if isinstance(values, str):
        values = re.split(r"[\n,]", values)
    if not isinstance(values, list | tuple):
        raise ActionError(_("%(field)s: give a list of words.") % {"field": label}, "invalid_words")
    found: list[str] = []
    for value in values:
        word = text(value, label, MAX_WORD_LENGTH)
        if word and word.casefold() not in {w.casefold() for w in found}:
            found.append(word)
    if len(found) > MAX_WORDS:
        raise ActionError(
            _("%(field)s: at most %(max)s words.") % {"field": label, "max": MAX_WORDS},
            code="too_many_words",
        )
    return found


def hashtag_caps(values: Any) -> dict[str, int]:
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ActionError(_("Hashtags per network: give a number per network."), "invalid_number")
    caps: dict[str, int] = {}
    for key, value in values.items():
        network(key)
        number = whole_number(
            value,
            _("Hashtags on %(network)s") % {"network": network_label(key)},
            MAX_HASHTAGS,
            True,
        )
        if number is not None:
            caps[key] = number
    return {key: caps[key] for key in sorted(caps)}


def colour(value: Any) -> str:
    value = text(value, _("Colour"), 7)
    if value and not _COLOUR_RE.fullmatch(value):
        raise ActionError(
            _("Colour: write it as #rrggbb, for example #1f6feb."), code="invalid_colour"
        )
    return value.lower()


def days(values: Any) -> list[int]:
    if not isinstance(values, list | tuple):
        raise ActionError(_("Preferred days: give a list of days 0 to 6."), code="invalid_days")
    found = set()
    for value in values:
        day = value
        if isinstance(value, str) and value.isascii() and value.isdigit():
            day = int(value)
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ActionError(
                _("Preferred days: %(value)s is no day (0 is Monday, 6 is Sunday).")
                % {"value": str(value)[:20]},
                code="invalid_days",
            )
        found.add(day)
    return sorted(found)


def times(values: Any) -> list[str]:
    if isinstance(values, str):
        values = [v.strip() for v in re.split(r"[,;\n]+", values) if v.strip()]
    if not isinstance(values, list | tuple):
        raise ActionError(_("Preferred times: give a list like 09:00, 17:30."), "invalid_times")
    found = set()
    for value in values:
        if not isinstance(value, str) or not _TIME_RE.fullmatch(value.strip()):
            raise ActionError(
                _("Preferred times: “%(value)s” is no time; write HH:MM, like 09:00.")
                % {"value": str(value)[:20]},
                code="invalid_times",
            )
        found.add(value.strip())
    if len(found) > MAX_TIMES:
        raise ActionError(
            _("Preferred times: at most %(max)s.") % {"max": MAX_TIMES}, code="invalid_times"
        )
    return sorted(found)


def date(value: Any, label: str, required: bool = True) -> datetime.date | None:
    if value is None or value == "":
        if required:
            raise ActionError(_("%(field)s is required.") % {"field": label}, code="required")
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ActionError(
            _("%(field)s: write a date as YYYY-MM-DD.") % {"field": label}, code="invalid_date"
        ) from None


def number(value: Any, label: str, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ActionError(_("%(field)s is required.") % {"field": label}, code="required")
        return None
    try:
        found = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        found = None
    if found is None or not found.is_finite() or not 0 <= found <= MAX_TARGET:
        raise ActionError(
            _("%(field)s: a number from 0 to %(max)s.") % {"field": label, "max": "999999999999"},
            code="invalid_number",
        )
    return found.quantize(Decimal("0.01"))


def metric(value: Any) -> str:
    allowed = [key for key, _label in GOAL_METRICS]
    if value not in allowed:
        raise ActionError(
            _("Measure: choose one of %(choices)s.") % {"choices": ", ".join(allowed)},
            code="invalid_choice",
        )
    return str(value)


def time_zone(value: Any) -> str:
    value = text(value, _("Time zone"), 64)
    if value:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ActionError(
                _("Time zone: “%(zone)s” is no time zone; write one like Europe/Berlin.")
                % {"zone": value},
                code="invalid_time_zone",
            ) from None
    return value


def unique_name(name: str, others: Iterable[str]) -> None:
    if name.casefold() in {other.casefold() for other in others}:
        raise ActionError(
            _("“%(name)s” exists already; choose another name.") % {"name": name},
            code="duplicate_name",
        )
