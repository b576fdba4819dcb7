"""Basic text measures (graphemes, UTF-16 units, UTF-8 bytes) and emoji detection.

Everything here is safe on any Python string, including lone surrogates (counted as the
network's decoder would see one unit each) and very long texts. Results for the same text are
cached because one post is measured for many networks in a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

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
    return len(grapheme_spans(text))


@lru_cache(maxsize=_CACHE_SIZE)
def grapheme_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) code point ranges of every grapheme cluster."""
    ends = list(accumulate(map(len, _GRAPHEME.findall(text))))
    return tuple(zip([0, *ends[:-1]], ends, strict=True))


# Emoji detection uses the `emoji` package's data and matcher (Unicode emoji 16, ZWJ sequences
# included). Its matcher walks the string in Python, so it only gets the short runs of code
# points that occur in some emoji; everything else cannot be part of one. ASCII digits, '#' and
# '*' only take part as keycap bases, i.e. when followed by U+FE0F or U+20E3.
def _emoji_members() -> frozenset[str]:
    members = {char for key in emoji.EMOJI_DATA for char in key if not char.isascii()}
    return frozenset(members | {"\u200d", "\ufe0e", "\ufe0f"})


def _character_class(chars: Iterable[str]) -> str:
    """A compact regex class: consecutive code points collapse into ranges."""
    ranges: list[list[int]] = []
    for code_point in sorted(ord(char) for char in chars):
        if ranges and code_point == ranges[-1][1] + 1:
            ranges[-1][1] = code_point
        else:
            ranges.append([code_point, code_point])
    return "".join(
        re.escape(chr(low)) + ("" if low == high else "-" + re.escape(chr(high)))
        for low, high in ranges
    )


_EMOJI_MEMBERS = _emoji_members()
# The standard library engine scans this large class about twice as fast as `regex`.
_EMOJI_RUN = re.compile(f"(?:[0-9#*](?=[\ufe0f\u20e3])|[{_character_class(_EMOJI_MEMBERS)}])+")


@lru_cache(maxsize=_CACHE_SIZE)
def emoji_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) code point ranges of each emoji, as `emoji.emoji_list` reports them."""
    # Keycaps need U+FE0F or U+20E3, so a text with none of the members holds no emoji.
    if text.isascii() or _EMOJI_MEMBERS.isdisjoint(text):
        return ()
    spans: list[tuple[int, int]] = []
    for run in _EMOJI_RUN.finditer(text):
        offset = run.start()
        spans.extend(
            (offset + found["match_start"], offset + found["match_end"])
            for found in emoji.emoji_list(run.group())
        )
    return tuple(spans)
