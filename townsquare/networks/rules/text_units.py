"""Basic text measures (graphemes, UTF-16 units, UTF-8 bytes) and emoji detection.

Everything here is safe on any Python string, including lone surrogates (counted as the
network's decoder would see one unit each) and very long texts. Results for the same text are
cached because one post is measured for many networks in a row.
"""

from __future__ import annotations

from functools import lru_cache

import emoji
import regex

_GRAPHEME = regex.compile(r"\X")
# Code points that never combine with a neighbour into a larger grapheme cluster, so a text
# made only of them has one cluster per code point (CR LF aside). Everything below U+0300
# except the two that do combine: CR (with LF) and the zero-width joiner range is far above.
_SIMPLE_TEXT = regex.compile(r"[\x00-\u02ff]*+")

_CACHE_SIZE = 512


def utf16_length(text: str) -> int:
    """UTF-16 code units: what JavaScript's `length` and Telegram's entity offsets count."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf8_length(text: str) -> int:
    """UTF-8 bytes (a lone surrogate counts the 3 bytes a lenient encoder writes)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=_CACHE_SIZE)
def grapheme_count(text: str) -> int:
    """Extended grapheme clusters (Unicode UAX #29), what people perceive as characters."""
    if _SIMPLE_TEXT.fullmatch(text):
        return len(text) - text.count("\r\n")
    return len(_GRAPHEME.findall(text))


def grapheme_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) code point ranges of every grapheme cluster."""
    return [match.span() for match in _GRAPHEME.finditer(text)]


# Emoji detection uses the `emoji` package's data (Unicode emoji 16+, with ZWJ sequences).
# Scanning with it costs far more than a regex search, so a text is scanned only when it holds
# a code point that can start an emoji. Digits, '#' and '*' start keycaps only together with
# U+20E3, so for them the combining keycap is what is looked for.
def _emoji_starters() -> regex.Pattern[str]:
    starters = {key[0] for key in emoji.EMOJI_DATA if not key[0].isascii()}
    ranges = "".join(regex.escape(char) for char in sorted(starters))
    return regex.compile(f"[{ranges}\u20e3]")


_EMOJI_STARTER = _emoji_starters()


@lru_cache(maxsize=_CACHE_SIZE)
def emoji_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) code point ranges of each emoji; a ZWJ sequence is one emoji."""
    if text.isascii() or not _EMOJI_STARTER.search(text):
        return ()
    return tuple((found["match_start"], found["match_end"]) for found in emoji.emoji_list(text))
