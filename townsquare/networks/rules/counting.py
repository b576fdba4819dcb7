"""Text counting per network: one pure function per rule, and a dispatcher by rule name.

The heavy machinery lives beside this module (x_weighted.py, urls.py, bluesky.py,
text_units.py); this one holds the simpler rules and is the place to import from.
Lengths are integers in the unit the network counts; all functions accept any Python string.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

import regex

from townsquare.networks.rules.bluesky import (
    BlueskyLength,
    Facet,
    bluesky_length,
    detect_bluesky_facets,
)
from townsquare.networks.rules.text_units import (
    emoji_spans,
    grapheme_count,
    grapheme_spans,
    utf8_length,
    utf16_length,
)
from townsquare.networks.rules.urls import UrlMatch, extract_urls
from townsquare.networks.rules.x_weighted import (
    X_CONFIG_V2,
    X_CONFIG_V3,
    XCountingConfig,
    XTextResult,
    parse_x_text,
    x_weighted_length,
)

__all__ = [
    "X_CONFIG_V2",
    "X_CONFIG_V3",
    "BlueskyLength",
    "Facet",
    "UrlMatch",
    "XCountingConfig",
    "XTextResult",
    "bluesky_length",
    "count_cashtags",
    "count_hashtags",
    "count_mentions",
    "detect_bluesky_facets",
    "distinct_links",
    "distinct_urls",
    "emoji_spans",
    "extract_urls",
    "find_hashtags",
    "grapheme_count",
    "linkedin_escape",
    "linkedin_length",
    "mastodon_countable_text",
    "mastodon_length",
    "overflow_index",
    "parse_x_text",
    "telegram_length",
    "telegram_visible_text",
    "text_length",
    "threads_length",
    "utf8_length",
    "utf16_length",
    "x_weighted_length",
]

# --- Mastodon -----------------------------------------------------------------------------------
# The server counts grapheme clusters of spoiler_text + text, after replacing every http(s) URL
# by `characters_reserved_per_url` characters and every remote mention @user@domain by @user.
_REMOTE_MENTION = regex.compile(r"(?<![=/\w])@(\w+(?:[.-]+\w+)*)@[\w.-]+\w")


def mastodon_countable_text(text: str, url_weight: int = 23) -> str:
    """The text as Mastodon measures it (URLs as placeholders, remote mentions shortened)."""
    urls = extract_urls(text, without_protocol=False)
    if urls:
        pieces: list[str] = []
        last = 0
        for url in urls:
            pieces.append(text[last : url.start])
            pieces.append("x" * url_weight)
            last = url.end
        pieces.append(text[last:])
        text = "".join(pieces)
    if "@" in text:
        text = str(_REMOTE_MENTION.sub(r"@\1", text))
    return text


def mastodon_length(text: str, content_warning: str = "", url_weight: int = 23) -> int:
    return grapheme_count(content_warning + mastodon_countable_text(text, url_weight))


# --- Threads ------------------------------------------------------------------------------------
def threads_length(text: str) -> int:
    """Graphemes, but each emoji weighs its UTF-8 byte length (Meta: "Emojis are counted as
    the number of UTF-8 bytes"); a conservative reading of a rule Meta does not spell out."""
    spans = emoji_spans(text)
    extra = sum(utf8_length(text[start:end]) - 1 for start, end in spans)
    return grapheme_count(text) + extra


# --- Telegram -----------------------------------------------------------------------------------
# With parse_mode HTML the limit applies to the text left after entity parsing: tags removed,
# &lt; &gt; &amp; &quot; and numeric character references decoded. Then UTF-16 code units.
_HTML_TAG = regex.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_HTML_ENTITY = regex.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


def telegram_visible_text(text: str, parse_mode: str | None = "HTML") -> str:
    if parse_mode is None or parse_mode.upper() != "HTML":
        return text
    without_tags = _HTML_TAG.sub("", text) if "<" in text else text
    if "&" not in without_tags:
        return without_tags
    return str(_HTML_ENTITY.sub(lambda match: html.unescape(match.group()), without_tags))


def telegram_length(text: str, parse_mode: str | None = "HTML") -> int:
    return utf16_length(telegram_visible_text(text, parse_mode))


# --- LinkedIn -----------------------------------------------------------------------------------
# "little" text format: these characters must be backslash-escaped unless used as syntax; an
# unescaped one makes LinkedIn cut the post short without an error.
LINKEDIN_RESERVED = frozenset("\\|{}@[]()<>#*_~")
_LINKEDIN_RESERVED_RUN = regex.compile(r"[\\|{}@\[\]()<>#*_~]")
_HASHTAG = regex.compile(r"(?<![\w&#\uff03])[#\uff03](?![\ufe0f\u20e3])(\w*[^\W\d_]\w*)")


def linkedin_escape(text: str, *, hashtags: bool = True) -> str:
    """Escape `text` for the commentary field; with `hashtags`, #words become hashtag templates
    ({hashtag|\\#|word}) so they stay hashtags instead of turning into escaped plain text."""
    if not hashtags:
        return str(_LINKEDIN_RESERVED_RUN.sub(r"\\\g<0>", text))
    pieces: list[str] = []
    last = 0
    for match in _HASHTAG.finditer(text):
        pieces.append(_LINKEDIN_RESERVED_RUN.sub(r"\\\g<0>", text[last : match.start()]))
        word = _LINKEDIN_RESERVED_RUN.sub(r"\\\g<0>", match.group(1))
        pieces.append("{hashtag|\\#|" + word + "}")
        last = match.end()
    pieces.append(_LINKEDIN_RESERVED_RUN.sub(r"\\\g<0>", text[last:]))
    return "".join(pieces)


def linkedin_length(text: str) -> int:
    """Characters people see (escapes and templates do not show), as UTF-16 code units."""
    return utf16_length(text)


# --- hashtags, mentions, cashtags, links ---------------------------------------------------------
_MENTION = regex.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")
_CASHTAG = regex.compile(r"(?<![\w$])\$[A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?(?!\w)")


def find_hashtags(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each #hashtag (it needs a letter: "#1" is no hashtag)."""
    if "#" not in text and "\uff03" not in text:
        return ()
    return tuple(match.span() for match in _HASHTAG.finditer(text))


def count_hashtags(text: str) -> int:
    return len(find_hashtags(text))


def count_mentions(text: str) -> int:
    return len(_MENTION.findall(text)) if "@" in text else 0


def count_cashtags(text: str) -> int:
    return len(_CASHTAG.findall(text)) if "$" in text else 0


def distinct_links(text: str) -> tuple[str, ...]:
    """Unique URLs in order of appearance (case of the host ignored, trailing "/" ignored)."""
    return distinct_urls(extract_urls(text))


def distinct_urls(urls: tuple[UrlMatch, ...]) -> tuple[str, ...]:
    """`distinct_links` of the URLs already found in a text."""
    seen: dict[str, str] = {}
    for url in urls:
        key = url.url.rstrip("/").lower()
        seen.setdefault(key, url.url)
    return tuple(seen.values())


# --- dispatch by rule -----------------------------------------------------------------------------
def text_length(
    counting: str,
    text: str,
    *,
    url_weight: int | None = None,
    content_warning: str = "",
) -> int:
    """Length of `text` under the counting rule named `counting` (see model.TEXT_COUNTINGS)."""
    if counting in _REMEMBERED:
        if text[-1:].isdigit() and (space := text.rfind(" ")) > 0:
            ending = text[space:]
            if _NUMBERING.fullmatch(ending) and text[space - 1] in _ASCII_VISIBLE:
                head = text[:space]
                return _remembered(counting, head, url_weight, content_warning) + len(ending)
        return _remembered(counting, text, url_weight, content_warning)
    counter = _SIMPLE_COUNTERS.get(counting)
    if counter is None:
        raise ValueError(f"Unknown text counting rule {counting!r}")
    return counter(text)


def _count(counting: str, text: str, url_weight: int | None, content_warning: str) -> int:
    if counting == "x_weighted_v3":
        if url_weight is None or url_weight == X_CONFIG_V3.transformed_url_length:
            return x_weighted_length(text)
        return x_weighted_length(text, _x_config_with_url_weight(url_weight))
    if counting == "mastodon":
        return mastodon_length(text, content_warning, 23 if url_weight is None else url_weight)
    return grapheme_count(text) if counting == "bluesky" else threads_length(text)


# A thread is measured piece by piece while it is split, then each finished part (a piece and
# its numbering " 2/5") is measured again when it is validated. The counts of these four
# rules are remembered for the last few texts, and a text ending in such a numbering after a
# visible ASCII character counts as its head plus one per character of the numbering: nothing
# the counters look at (URLs, mentions, emoji, grapheme clusters, NFC composition) reaches
# across that space, every character of the numbering counts one, and X weighs everything in
# whole characters.
_REMEMBERED = frozenset({"x_weighted_v3", "bluesky", "mastodon", "threads"})
_remembered = lru_cache(maxsize=256)(_count)
_NUMBERING = re.compile(r" [0-9]{1,4}/[0-9]{1,4}")
_ASCII_VISIBLE = frozenset(chr(code) for code in range(0x21, 0x7F))


@lru_cache(maxsize=8)
def _x_config_with_url_weight(url_weight: int) -> XCountingConfig:
    return XCountingConfig(transformed_url_length=url_weight)


_SIMPLE_COUNTERS: dict[str, Callable[[str], int]] = {
    "telegram": telegram_length,
    "linkedin_little": linkedin_length,
    "utf16": utf16_length,
    "utf8_bytes": utf8_length,
}


def overflow_index(
    counting: str,
    text: str,
    limit: int,
    *,
    url_weight: int | None = None,
    content_warning: str = "",
) -> int | None:
    """Code point index of the first grapheme that no longer fits `limit`, or None if all fit.

    One walk over the grapheme clusters, each weighted as its network counts it (so a cut never
    splits a cluster). Telegram's HTML markup has no such per-grapheme weight; there a binary
    search over prefixes finds the cut.
    """
    if text_length(counting, text, url_weight=url_weight, content_warning=content_warning) <= limit:
        return None
    if counting == "x_weighted_v3":
        config = X_CONFIG_V3 if url_weight in (None, 23) else _x_config_with_url_weight(url_weight)
        return parse_x_text(text, config).overflow_index
    spans = grapheme_spans(text)
    if counting == "bluesky":
        return spans[limit][0] if limit < len(spans) else None
    weigh = _GRAPHEME_WEIGHTS.get(counting)
    if weigh is None:
        return _overflow_by_search(counting, text, limit, spans)
    total = grapheme_count(content_warning) if counting == "mastodon" else 0
    weights = _entity_weights(counting, text, url_weight)
    for start, end in spans:
        total += weights.get(start, weigh(text[start:end])) if weights else weigh(text[start:end])
        if total > limit:
            return start
    return None


def _entity_weights(counting: str, text: str, url_weight: int | None) -> dict[int, int]:
    """Weights that replace the plain ones at these grapheme starts (URLs, mentions, emoji)."""
    weights: dict[int, int] = {}
    if counting == "mastodon":
        for url in extract_urls(text, without_protocol=False):
            weights.update(dict.fromkeys(range(url.start, url.end), 0))
            weights[url.start] = 23 if url_weight is None else url_weight
        for mention in _REMOTE_MENTION.finditer(text):
            weights.update(dict.fromkeys(range(mention.end(1), mention.end()), 0))
    elif counting == "threads":
        for start, end in emoji_spans(text):
            weights.update(dict.fromkeys(range(start, end), 0))
            weights[start] = utf8_length(text[start:end])
    return weights


def _one(grapheme: str) -> int:
    return 1


_GRAPHEME_WEIGHTS: dict[str, Callable[[str], int]] = {
    "mastodon": _one,
    "threads": _one,
    "linkedin_little": utf16_length,
    "utf16": utf16_length,
    "utf8_bytes": utf8_length,
}


def _overflow_by_search(
    counting: str, text: str, limit: int, spans: tuple[tuple[int, int], ...]
) -> int | None:
    low, high = 0, len(spans) - 1
    while low < high:  # the first grapheme whose end makes the prefix too long
        middle = (low + high) // 2
        if text_length(counting, text[: spans[middle][1]]) > limit:
            high = middle
        else:
            low = middle + 1
    return spans[low][0]
