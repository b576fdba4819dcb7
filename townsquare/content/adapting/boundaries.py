"""Where a text may be split: whitespace runs, which of them end a sentence, graphemes.

A text is scanned once into a `Layout`, then searched with bisection: the splitter never
re-scans text or walks it character by character.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import regex

from townsquare.content.adapting.tokens import HASHTAG_RE

# Whitespace that may be split on, spelled out because an explicit class is much faster
# than "\s minus something". No-break spaces (U+00A0, U+2007, U+202F) are left out on
# purpose: authors use them to keep "10 kg" or "S. 4" together.
BREAKABLE_SPACE = (
    " \t\n\r\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000"
)
_SPLIT_RE = re.compile(f"([{BREAKABLE_SPACE}]+)")
# A line break and the rest of its whitespace run.
_LINE_BREAK_RE = re.compile(f"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029][{BREAKABLE_SPACE}]*")

# Abbreviations after which a period does not end a sentence, German and English.
# Single letters ("z.", "B.") and one- or two-digit numbers ("1. Mai") are ruled out by
# pattern, not listed.
_ABBREVIATION_WORDS = """
abs abt adr allg bzgl bzw ca chr dr dipl etc evtl ggf gmbh hr hrsg inkl insb jh jr
kath max min mio mrd mind nr od prof rd sog std str tel usw vgl vs zb zzgl zt approx
dept est fig inc jan feb mar apr aug sep sept oct okt nov dec dez ltd mr mrs ms no
vol st co corp
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())


def _not_after_abbreviation() -> str:
    # Python's lookbehind needs a fixed width, so there is one per word length.
    by_length: dict[int, list[str]] = {}
    for word in sorted(ABBREVIATIONS):
        by_length.setdefault(len(word), []).append(word)
    return "".join(rf"(?<!\b(?i:{'|'.join(words)})\.)" for _, words in sorted(by_length.items()))


# A sentence ends after a terminator and any closing quotes or brackets. Social posts
# often put emoji after the punctuation ("Neu! 🎉 Jetzt ..."): they still belong to the
# sentence that just ended, so the split point is the whitespace after them.
_EMOJI_PARTS = "\U0001f000-\U0001faff\u2190-\u2bff\ufe0f\u200d\u20e3\U000e0020-\U000e007f"
_SENTENCE_END_RE = re.compile(
    # The terminator comes first so the scan jumps from one candidate to the next; the
    # look-behinds then rule out "z.", "1." or "24." and the listed abbreviations.
    rf"[.!?…‼⁇⁈⁉。！？](?<!\b\w\.)(?<!\b\d\d\.){_not_after_abbreviation()}"
    "[\"'”“’‘»«›‹)\\]}*_]*"
    f"(?:[ \t]+[{_EMOJI_PARTS}]+)*"
    f"([{BREAKABLE_SPACE}]+)"
)
_GRAPHEME_RE = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Layout:
    """The split points of one text.

    `run_starts[i]:run_ends[i]` is the i-th interior whitespace run. A run touching the
    start or the end of the text is never a split point: it would leave an empty part.
    `sentence_runs` are the indices of the runs that end a sentence or a line, ascending.
    `held_starts`/`held_ends` are runs that are no split point only because they would
    leave hashtags on their own (see `layout_of`); a word too long for a part is broken at
    one of them before it is broken inside a word.
    """

    text: str
    run_starts: list[int]
    run_ends: list[int]
    sentence_runs: list[int]
    held_starts: tuple[int, ...] = ()
    held_ends: tuple[int, ...] = ()

    def first_run_after(self, position: int) -> int:
        """Index of the first run starting after `position` (len(runs) if there is none)."""
        return bisect_right(self.run_starts, position)

    def ends_sentence(self, run_index: int) -> bool:
        found = bisect_left(self.sentence_runs, run_index)
        return found < len(self.sentence_runs) and self.sentence_runs[found] == run_index

    def last_sentence_run(self, low: int, high: int) -> int | None:
        """The farthest run index in [low, high] that ends a sentence or a line."""
        found = bisect_right(self.sentence_runs, high) - 1
        if found >= 0 and self.sentence_runs[found] >= low:
            return self.sentence_runs[found]
        return None

    def next_sentence_run(self, after: int) -> int | None:
        found = bisect_right(self.sentence_runs, after)
        return self.sentence_runs[found] if found < len(self.sentence_runs) else None


@lru_cache(maxsize=16)
def layout_of(text: str, hashtags_stay_attached: bool = False) -> Layout:
    """Scan `text` once. Cached for the networks of one post, which often share a text.

    Both scans are single regular-expression passes; Python only looks at the few
    candidates for a sentence end.

    With `hashtags_stay_attached` (threads), the whitespace in front of a hashtag is no
    split point, nor is the whitespace after hashtags that open the text: a part never
    starts with a hashtag, so hashtags always share a post with the words before them
    (or, at the start, after them). A post of hashtags alone says nothing to its readers.
    """
    pieces = _SPLIT_RE.split(text)  # word, run, word, run, ..., word
    offsets = list(accumulate(map(len, pieces)))
    starts = offsets[0:-1:2]
    ends = offsets[1::2]
    if starts and pieces[0] == "":
        del starts[0], ends[0]
    if starts and pieces[-1] == "":
        starts.pop()
        ends.pop()
    held: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    if hashtags_stay_attached and "#" in text:
        starts, ends, held = _hold_runs_before_hashtags(text, starts, ends)
    sentence_starts: set[int] = set()
    for match in _LINE_BREAK_RE.finditer(text):  # once per run: the match takes in its rest
        run = bisect_right(starts, match.start()) - 1
        if run >= 0 and match.start() < ends[run]:
            sentence_starts.add(starts[run])
    for match in _SENTENCE_END_RE.finditer(text):
        run_start, run_end = match.span(1)
        # "ca. zehn", "e.g. our": a lowercase word after the period continues the sentence.
        if run_end == len(text) or not text[run_end].islower():
            sentence_starts.add(run_start)
    ordered = sorted(sentence_starts)
    indices = [bisect_left(starts, start) for start in ordered]
    valid = [
        index
        for index, start in zip(indices, ordered, strict=True)
        if index < len(starts) and starts[index] == start
    ]
    return Layout(text, starts, ends, valid, *held)


def _hold_runs_before_hashtags(
    text: str, starts: list[int], ends: list[int]
) -> tuple[list[int], list[int], tuple[tuple[int, ...], tuple[int, ...]]]:
    """The runs that stay split points (starts, ends), and those held back (starts, ends):
    runs in front of a hashtag, and the runs among and right after the hashtags that open
    the text. One pass over the tags marks them: such a run ends where a tag begins."""
    tag_starts = {match.start() for match in HASHTAG_RE.finditer(text)}
    if not tag_starts:
        return starts, ends, ((), ())
    leading = 0
    if len(text) - len(text.lstrip()) in tag_starts:
        while leading < len(starts) and ends[leading] in tag_starts:
            leading += 1
        leading += 1  # the run after the opening hashtags, before the first word
    kept: tuple[list[int], list[int]] = ([], [])
    held: tuple[list[int], list[int]] = ([], [])
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        into = held if index < leading or end in tag_starts else kept
        into[0].append(start)
        into[1].append(end)
    return kept[0], kept[1], (tuple(held[0]), tuple(held[1]))


def grapheme_boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets of the grapheme cluster boundaries strictly inside text[start:end]."""
    boundaries = [match.end() for match in _GRAPHEME_RE.finditer(text, start, end)]
    if boundaries and boundaries[-1] == end:
        boundaries.pop()
    return boundaries
