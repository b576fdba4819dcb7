"""Where a text may be split: whitespace runs, which of them end a sentence, graphemes.

A text is scanned once into a `Layout` (one regular-expression pass for the whitespace
runs); whether a run ends a sentence is decided only for the runs the splitter actually
looks at, from the few characters around it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import regex

# Whitespace that may be split on, spelled out because an explicit class is much faster
# than "\s minus something". No-break spaces (U+00A0, U+2007, U+202F) are left out on
# purpose: authors use them to keep "10 kg" or "S. 4" together.
BREAKABLE_SPACE = (
    " \t\n\r\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000"
)
WHITESPACE_RUN_RE = re.compile(f"[{BREAKABLE_SPACE}]+")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_TERMINATORS = frozenset(".!?…‼⁇⁈⁉。！？")
_CLOSERS = frozenset("\"'”“’‘»«›‹)]}*_")
_EMOJI_JOINERS = frozenset("\ufe0f\u200d\u20e3")
_GRAPHEME_RE = regex.compile(r"\X")

# Abbreviations after which a period does not end a sentence, German and English.
# Single letters ("z.", "B.") and short numbers ("1. Mai") are handled by rule, not listed.
_ABBREVIATION_WORDS = """
abs abt adr allg bzgl bzw ca chr dr dipl etc evtl ggf gmbh hr hrsg inkl insb jh jr
kath max min mio mrd mind nr od prof rd sog std str tel usw vgl vs zb zzgl zt approx
dept est fig inc jan feb mar apr aug sep sept oct okt nov dec dez ltd mr mrs ms no
vol st co corp
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())


@dataclass(frozen=True, slots=True)
class Layout:
    """The split points of one text.

    `runs[i]` is the (start, end) of the i-th interior whitespace run. A run touching the
    start or the end of the text is never a split point: it would leave an empty part.
    """

    text: str
    runs: list[tuple[int, int]]
    run_starts: list[int]
    _sentence_memo: dict[int, bool] = field(default_factory=dict, repr=False, compare=False)

    def first_run_after(self, position: int) -> int:
        """Index of the first run starting after `position` (len(runs) if there is none)."""
        return bisect_right(self.run_starts, position)

    def ends_sentence(self, run_index: int) -> bool:
        known = self._sentence_memo.get(run_index)
        if known is None:
            start, end = self.runs[run_index]
            known = _ends_sentence(self.text, start, end)
            self._sentence_memo[run_index] = known
        return known

    def last_sentence_run(self, low: int, high: int) -> int | None:
        """The farthest run index in [low, high] that ends a sentence or a line."""
        for run_index in range(high, low - 1, -1):
            if self.ends_sentence(run_index):
                return run_index
        return None

    def next_sentence_run(self, after: int) -> int | None:
        for run_index in range(after + 1, len(self.runs)):
            if self.ends_sentence(run_index):
                return run_index
        return None


@lru_cache(maxsize=64)
def layout_of(text: str) -> Layout:
    """Scan `text` once. Cached: several networks often end up with the same text."""
    runs = [match.span() for match in WHITESPACE_RUN_RE.finditer(text)]
    if runs and runs[0][0] == 0:
        runs.pop(0)
    if runs and runs[-1][1] == len(text):
        runs.pop()
    return Layout(text, runs, [start for start, _ in runs])


def _ends_sentence(text: str, start: int, end: int) -> bool:
    if any(character in _LINE_BREAKS for character in text[start:end]):
        return True
    if end < len(text) and text[end].islower():
        return False  # "ca. zehn", "z. B. mit", "e.g. our" continue the sentence
    position = _skip_trailing_emoji(text, start - 1)
    while position >= 0 and text[position] in _CLOSERS:
        position -= 1
    if position < 0 or text[position] not in _TERMINATORS:
        return False
    return text[position] != "." or not _is_abbreviation(text, position)


def _skip_trailing_emoji(text: str, position: int) -> int:
    """Step back over emoji that follow the punctuation: "Neu! 🎉 Jetzt" ends after 🎉."""
    skipped = position
    while skipped >= 0 and _is_emoji_part(text[skipped]):
        skipped -= 1
    if skipped == position:
        return position
    while skipped >= 0 and text[skipped] in " \t":
        skipped -= 1
    return skipped


def _is_emoji_part(character: str) -> bool:
    code = ord(character)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2190 <= code <= 0x2BFF
        or 0xE0020 <= code <= 0xE007F
        or character in _EMOJI_JOINERS
    )


def _is_abbreviation(text: str, period: int) -> bool:
    """Whether the period at `period` belongs to an abbreviation or an ordinal number."""
    word_start = period
    while word_start > 0 and text[word_start - 1].isalnum():
        word_start -= 1
    word = text[word_start:period]
    if not word:
        return False
    if len(word) == 1 and not word.isdigit():
        return True  # "z. B.", "u. a.", initials
    if word.isdigit():
        return len(word) <= 2  # German ordinals and dates: "am 1. Mai", "24. Dezember"
    return word.casefold() in ABBREVIATIONS


def grapheme_boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets of the grapheme cluster boundaries strictly inside text[start:end]."""
    boundaries = [match.end() for match in _GRAPHEME_RE.finditer(text, start, end)]
    if boundaries and boundaries[-1] == end:
        boundaries.pop()
    return boundaries
