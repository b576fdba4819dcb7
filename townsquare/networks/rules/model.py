"""Frozen dataclasses for the posting rules of a network, and the parsing of rule values.

Every rule keeps the fact it came from: its value, how well it was verified and where it was
read. Rules verified only by third parties (or not at all) are defaults a workspace admin may
change; official ones are not. Values reported by the network for a connected account (for
example a Mastodon instance's limits) always win.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal, cast

Verification = Literal[
    "official", "official-excerpt", "library-source", "third-party", "unverified"
]
VERIFICATION_LEVELS: tuple[Verification, ...] = (
    "official",
    "official-excerpt",
    "library-source",
    "third-party",
    "unverified",
)
# Only facts nobody official stated may be changed by a workspace admin.
OVERRIDABLE_LEVELS: frozenset[str] = frozenset({"third-party", "unverified"})

Origin = Literal["default", "workspace", "account"]

# How a network measures the length of a text; each name has one function in counting.py.
TEXT_COUNTINGS: tuple[str, ...] = (
    "x_weighted_v3",  # twitter-text v3 weights, URL = 23, emoji = 2
    "bluesky",  # grapheme clusters (plus a separate UTF-8 byte cap)
    "mastodon",  # graphemes of content warning + text, URL = 23, @user@domain = @user
    "threads",  # graphemes, but each emoji weighs its UTF-8 byte length
    "telegram",  # UTF-16 code units of the text left after HTML entity parsing
    "linkedin_little",  # UTF-16 code units of the visible text ("little" format escapes aside)
    "utf16",  # UTF-16 code units: the safe upper bound when a network does not say
    "utf8_bytes",  # UTF-8 bytes
)
LINK_PREVIEWS: tuple[str, ...] = ("server", "client_card", "destination", "none")
MEDIA_KINDS: tuple[str, ...] = ("image", "gif", "video", "document")


class RuleError(ValueError):
    """A rule value or an override is malformed or unknown."""


class OfficialRuleOverrideRefused(RuleError):
    """A workspace tried to change a rule that an official source states."""


@dataclass(frozen=True, slots=True)
class Rule[T]:
    """One fact about a network: its value, verification level and sources.

    `overridable` is derived from the verification level so the UI can tell people which
    limits are defaults they may adjust. `origin` says who set the value in force.
    """

    value: T
    verification: Verification
    sources: tuple[str, ...]
    note: str = ""
    origin: Origin = "default"
    overridable: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "overridable", self.verification in OVERRIDABLE_LEVELS)


AspectRange = tuple[float, float]  # width / height, inclusive minimum and maximum
DurationRange = tuple[float, float]  # seconds, inclusive minimum and maximum


@dataclass(frozen=True, slots=True)
class NetworkRules:
    """All posting rules of one network (or of one account, once made effective).

    Lengths are in the unit named by `text_counting`. `None` means: no limit known.
    """

    key: str
    display_name: str
    # text
    text_counting: Rule[str]
    text_max: Rule[int]
    text_max_bytes: Rule[int | None]
    caption_max: Rule[int | None]
    url_weight: Rule[int | None]
    title_max: Rule[int | None]
    title_required: Rule[bool]
    forbidden_chars: Rule[str]
    content_warning_supported: Rule[bool]
    hashtags_max: Rule[int | None]
    cashtags_max: Rule[int | None]
    mentions_max: Rule[int | None]
    links_max: Rule[int | None]
    links_clickable: Rule[bool]
    link_preview: Rule[str]
    link_url_max: Rule[int | None]
    # threads
    thread_supported: Rule[bool]
    thread_max_parts: Rule[int | None]
    # media
    media_required: Rule[bool]
    media_max: Rule[int]
    media_kinds: Rule[tuple[str, ...]]
    media_max_per_kind: Rule[Mapping[str, int]]
    media_kinds_exclusive: Rule[bool]
    image_types: Rule[tuple[str, ...] | None]
    video_types: Rule[tuple[str, ...] | None]
    document_types: Rule[tuple[str, ...] | None]
    image_max_bytes: Rule[int | None]
    gif_max_bytes: Rule[int | None]
    video_max_bytes: Rule[int | None]
    document_max_bytes: Rule[int | None]
    image_aspect_ratio: Rule[AspectRange | None]
    video_aspect_ratio: Rule[AspectRange | None]
    video_duration_s: Rule[DurationRange | None]
    alt_text_supported: Rule[bool]
    alt_text_max: Rule[int | None]
    alt_text_kinds: Rule[tuple[str, ...]]

    def rule(self, name: str) -> Rule[Any]:
        """The rule called `name`; raises RuleError for names that are not rules."""
        if name not in RULE_NAMES:
            raise RuleError(f"{name!r} is not a rule name")
        return cast(Rule[Any], getattr(self, name))

    def rules(self) -> dict[str, Rule[Any]]:
        """Every rule by name, in declaration order (for display and export)."""
        return {name: self.rule(name) for name in RULE_NAMES}


# --- value parsing ----------------------------------------------------------------------------
# Each rule name has a value shape; JSON data and overrides go through the same parser so an
# override can never smuggle in a value the validator does not understand.

_INT = "int"
_OPT_INT = "opt_int"
_BOOL = "bool"
_STR = "str"
_KINDS = "kinds"
_OPT_MIMES = "opt_mimes"
_KIND_COUNTS = "kind_counts"
_OPT_RATIO_RANGE = "opt_ratio_range"
_OPT_FLOAT_RANGE = "opt_float_range"

RULE_SHAPES: Mapping[str, str] = MappingProxyType(
    {
        "text_counting": _STR,
        "text_max": _INT,
        "text_max_bytes": _OPT_INT,
        "caption_max": _OPT_INT,
        "url_weight": _OPT_INT,
        "title_max": _OPT_INT,
        "title_required": _BOOL,
        "forbidden_chars": _STR,
        "content_warning_supported": _BOOL,
        "hashtags_max": _OPT_INT,
        "cashtags_max": _OPT_INT,
        "mentions_max": _OPT_INT,
        "links_max": _OPT_INT,
        "links_clickable": _BOOL,
        "link_preview": _STR,
        "link_url_max": _OPT_INT,
        "thread_supported": _BOOL,
        "thread_max_parts": _OPT_INT,
        "media_required": _BOOL,
        "media_max": _INT,
        "media_kinds": _KINDS,
        "media_max_per_kind": _KIND_COUNTS,
        "media_kinds_exclusive": _BOOL,
        "image_types": _OPT_MIMES,
        "video_types": _OPT_MIMES,
        "document_types": _OPT_MIMES,
        "image_max_bytes": _OPT_INT,
        "gif_max_bytes": _OPT_INT,
        "video_max_bytes": _OPT_INT,
        "document_max_bytes": _OPT_INT,
        "image_aspect_ratio": _OPT_RATIO_RANGE,
        "video_aspect_ratio": _OPT_RATIO_RANGE,
        "video_duration_s": _OPT_FLOAT_RANGE,
        "alt_text_supported": _BOOL,
        "alt_text_max": _OPT_INT,
        "alt_text_kinds": _KINDS,
    }
)
RULE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(NetworkRules) if f.name in RULE_SHAPES)
_CHOICES: Mapping[str, tuple[str, ...]] = {
    "text_counting": TEXT_COUNTINGS,
    "link_preview": LINK_PREVIEWS,
}


def parse_rule_value(name: str, raw: object) -> object:
    """Check and normalise the value of rule `name` (from JSON or an override)."""
    shape = RULE_SHAPES.get(name)
    if shape is None:
        raise RuleError(f"{name!r} is not a rule name")
    try:
        return _parse(name, shape, raw)
    except (TypeError, ValueError) as exc:
        raise RuleError(f"Invalid value for rule {name!r}: {raw!r} ({exc})") from exc


def _parse(name: str, shape: str, raw: object) -> object:
    if shape in (_OPT_INT, _OPT_MIMES, _OPT_RATIO_RANGE, _OPT_FLOAT_RANGE) and raw is None:
        return None
    if shape in (_INT, _OPT_INT):
        return _non_negative_int(raw)
    if shape == _BOOL:
        if not isinstance(raw, bool):
            raise TypeError("expected true or false")
        return raw
    if shape == _STR:
        if not isinstance(raw, str):
            raise TypeError("expected a string")
        choices = _CHOICES.get(name)
        if choices is not None and raw not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return raw
    if shape == _KINDS:
        kinds = _str_tuple(raw)
        unknown = [kind for kind in kinds if kind not in MEDIA_KINDS]
        if unknown:
            raise ValueError(f"unknown media kinds {unknown}")
        return kinds
    if shape == _OPT_MIMES:
        mimes = tuple(mime.lower() for mime in _str_tuple(raw))
        if any("/" not in mime for mime in mimes):
            raise ValueError("MIME types look like type/subtype")
        return mimes
    if shape == _KIND_COUNTS:
        if not isinstance(raw, Mapping):
            raise TypeError("expected a mapping of media kind to count")
        counts = {str(kind): _non_negative_int(count) for kind, count in raw.items()}
        unknown = [kind for kind in counts if kind not in MEDIA_KINDS]
        if unknown:
            raise ValueError(f"unknown media kinds {unknown}")
        return MappingProxyType(counts)
    if shape == _OPT_RATIO_RANGE:
        low, high = _pair(raw)
        return _checked_range(_ratio(low), _ratio(high))
    if shape == _OPT_FLOAT_RANGE:
        low, high = _pair(raw)
        return _checked_range(_number(low), _number(high))
    raise AssertionError(f"unhandled rule shape {shape}")  # pragma: no cover


def _non_negative_int(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError("expected a whole number")
    if raw < 0:
        raise ValueError("must not be negative")
    return raw


def _number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise TypeError("expected a number")
    return float(raw)


def _ratio(raw: object) -> float:
    """A width/height ratio written as a number or as "w:h" (e.g. "4:5", "1.91:1")."""
    if isinstance(raw, str):
        width, sep, height = raw.partition(":")
        if not sep:
            raise ValueError(f"ratio {raw!r} is not written as w:h")
        return float(width) / float(height)
    return _number(raw)


def _pair(raw: object) -> tuple[object, object]:
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        raise TypeError("expected a pair [minimum, maximum]")
    return raw[0], raw[1]


def _checked_range(low: float, high: float) -> tuple[float, float]:
    if low < 0 or high < low:
        raise ValueError("expected 0 <= minimum <= maximum")
    return (low, high)


def _str_tuple(raw: object) -> tuple[str, ...]:
    if isinstance(raw, str) or not isinstance(raw, list | tuple):
        raise TypeError("expected a list of strings")
    if not all(isinstance(item, str) for item in raw):
        raise TypeError("expected a list of strings")
    return tuple(cast(list[str] | tuple[str, ...], raw))
