"""Basic text measures (graphemes, UTF-16 units, UTF-8 bytes) and emoji detection.

Everything here is safe on any Python string, including lone surrogates (counted as the
network's decoder would see one unit each) and very long texts. Nothing is cached by text:
every measure is a scan or two in C, cheaper than keeping texts (and their results) alive.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable
from itertools import accumulate

import emoji
import regex

_GRAPHEME = regex.compile(r"\X")
# Code points next to which a grapheme cluster may hold more than one code point (UAX #29)
# are those that continue a cluster (Extend, ZWJ, SpacingMark), join the next one (Prepend),
# pair up (regional indicators), Hangul jamo and syllables, and CR (which joins LF). Between
# two code points that are none of these there is always a boundary, and the rules that
# look further back (emoji ZWJ sequences, Indic conjuncts, flags) never reach past one: so
# each run of joining code points is segmented together with one neighbour on each side,
# and the rest of the text counts one cluster per code point. The scan may also stop at
# code points that do not join (it only costs a segmentation of a few code points).
_JOINING_PROPERTIES = (
    r"\r\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
    r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}"
)
# Planes 2-3 (CJK ideographs), 4-13 (unassigned) and 15-16 (private use) have none, nor
# have the surrogates (controls).
_RANGES_WITH_JOINING = (range(0xD800), range(0xE000, 0x20000), range(0xE0000, 0xE1000))


def joining_code_points() -> frozenset[str]:
    """Every code point the segmentation may join with a neighbour, per `regex`'s data."""
    codes = array(next(code for code in "IL" if array(code).itemsize == 4))
    for codes_in_range in _RANGES_WITH_JOINING:
        codes.extend(codes_in_range)
    everything = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    return frozenset(regex.findall(f"[{_JOINING_PROPERTIES}]", everything))


def _joining_scan(joining: frozenset[str]) -> re.Pattern[str]:
    """Runs of `joining` code points, or of a few more. The standard library engine tests
    the Basic Multilingual Plane part of a class in one lookup but each range beyond it in
    turn, so beyond it the class has three ranges plus the emoji modifiers and the
    regional indicators (exactly, as emoji text is full of their neighbours)."""
    basic = {char for char in joining if char <= "\uffff"}
    astral = sorted(char for char in joining if char > "\uffff")
    groups: list[list[str]] = [[], [], []]
    for char in astral:
        groups[0 if char < "\U0001f000" else 2 if char >= "\U000e0000" else 1].append(char)
    ranges = "".join(f"{group[0]}-{group[-1]}" for group in (groups[0], groups[2]) if group)
    return re.compile(f"[{_character_class(basic)}{_character_class(groups[1])}{ranges}]+")


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


def grapheme_count(text: str) -> int:
    """Extended grapheme clusters (Unicode UAX #29), what people perceive as characters."""
    if text.isascii():
        return len(text) - text.count("\r\n")  # in ASCII only CR LF forms a cluster
    joined = 0
    for run in _JOINING_SCAN.finditer(text):
        start, end = run.span()
        window = text[start - 1 if start else 0 : end + 1]
        joined += len(window) - len(_GRAPHEME.findall(window))
    return len(text) - joined


def grapheme_ends(text: str) -> list[int]:
    """Code point index after each grapheme cluster, ascending (the last is len(text))."""
    if text.isascii() and "\r\n" not in text:
        return list(range(1, len(text) + 1))
    return list(accumulate(map(len, _GRAPHEME.findall(text))))


def grapheme_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) code point ranges of every grapheme cluster."""
    ends = grapheme_ends(text)
    return tuple(zip([0, *ends[:-1]], ends, strict=True))


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


_JOINING_SCAN = _joining_scan(joining_code_points())


# --- emoji ---------------------------------------------------------------------------------------
# Emoji are the sequences of the `emoji` package's data (Unicode emoji 16, ZWJ sequences
# included), found exactly as `emoji.emoji_list` finds them. Its tokenizer walks a trie of
# all sequences from each position as far as the text follows it and reports a match only
# if the walk ends on a complete sequence (it never falls back to a shorter one), then goes
# on after the match, or one code point further. Regular expressions built from the same
# trie do that walk in C: at each node they commit to a child that matches and may end
# there only when no child matches. The tokenizer does one more thing: at a zero-width
# joiner that follows a code point some sequence starts with, and that no walk took in, it
# steps back and walks again with the joiner as a separator. Texts with such a joiner
# (non-standard ZWJ sequences) go to the tokenizer itself.
_ZWJ = "\u200d"
_KEYCAP_BASES = frozenset("0123456789#*")
_KEYCAP_MARKS = "\ufe0f\u20e3"

type _Trie = dict[str, _Trie]


def _emoji_trie(sequences: Iterable[str]) -> _Trie:
    trie: _Trie = {}
    for sequence in sequences:
        node = trie
        for char in sequence:
            node = node.setdefault(char, {})
        node[""] = {}  # a complete sequence ends here
    return trie


def _walk_pattern(node: _Trie) -> str:
    children = sorted(char for char in node if char)
    branches = [re.escape(char) + _walk_pattern(node[char]) for char in children]
    if "" in node and children:
        branches.append(f"(?![{_character_class(children)}])")
    if not branches:
        return ""
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# The sequences by their first code point. The trie below each is built (and compiled into
# one pattern, as an alternation of all 1,400 first code points would be tried in turn) when
# a text first holds that code point; the whole trie would be thousands of dictionaries for
# the garbage collector to visit.
def _by_start(sequences: Iterable[str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for sequence in sequences:
        grouped.setdefault(sequence[0], []).append(sequence)
    return {first: tuple(group) for first, group in grouped.items()}


_SEQUENCES_BY_START = _by_start(emoji.EMOJI_DATA)
_WALKS: dict[str, re.Pattern[str]] = {}


def _walk_after(first: str) -> re.Pattern[str]:
    """The walk through the trie below `first`, matched right after it."""
    walk = _WALKS.get(first)
    if walk is None:
        below = _emoji_trie(sequence[1:] for sequence in _SEQUENCES_BY_START[first])
        walk = _WALKS.setdefault(first, re.compile(_walk_pattern(below)))
    return walk


_STARTS = frozenset(_SEQUENCES_BY_START)
# Where a walk can start, except the ASCII keycap bases: those only start a sequence when a
# keycap mark follows, so the scan looks for the mark and then one code point back, and the
# digits, "#" and "*" of ordinary text cost nothing. The standard library engine tests the
# Basic Multilingual Plane part of a class in one lookup but every range beyond it in turn,
# so those starts are given as one range (a walk from a code point in between just fails).
_BMP_STARTS = {char for char in _STARTS if not char.isascii() and char <= "\uffff"}
_ASTRAL_STARTS = sorted(char for char in _STARTS if char > "\uffff")
_WALK_START = re.compile(
    f"[{_character_class(_BMP_STARTS | set(_KEYCAP_MARKS))}"
    f"{_ASTRAL_STARTS[0]}-{_ASTRAL_STARTS[-1]}]"
)
# Code points that occur in any emoji sequence: outside runs of them nothing can match.
_EMOJI_MEMBERS = frozenset(
    {char for key in emoji.EMOJI_DATA for char in key if not char.isascii()}
    | {_ZWJ, "\ufe0e", "\ufe0f"}
)
_EMOJI_RUN = re.compile(f"(?:[0-9#*](?=[\ufe0f\u20e3])|[{_character_class(_EMOJI_MEMBERS)}])+")


def emoji_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) code point ranges of each emoji, as `emoji.emoji_list` reports them."""
    if text.isascii():
        return ()  # every sequence has a non-ASCII code point (a keycap its mark)
    spans: list[tuple[int, int]] = []
    position = 0
    search = _WALK_START.search
    while (found := search(text, position)) is not None:
        start = found.start()
        first = text[start]
        if first in _KEYCAP_MARKS:
            # No sequence starts with a mark, but a keycap base before it (not yet looked
            # at) may start one.
            if start == position or text[start - 1] not in _KEYCAP_BASES:
                position = start + 1
                continue
            start -= 1
            first = text[start]
        elif first not in _SEQUENCES_BY_START:
            position = start + 1  # between two starts beyond the Basic Multilingual Plane
            continue
        matched = _walk_after(first).match(text, start + 1)
        if matched is None:
            position = start + 1
            continue
        spans.append((start, matched.end()))
        position = matched.end()
    if _ZWJ in text and _tokenizer_steps_back(text, spans):
        return emoji_spans_by_tokenizer(text)
    return tuple(spans)


def _tokenizer_steps_back(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a zero-width joiner outside every span follows a code point that starts a
    sequence (where the tokenizer would step back and walk again)."""
    index = text.find(_ZWJ)
    for start, end in [*spans, (len(text), len(text))]:
        while 0 <= index < start:
            if index > 0 and text[index - 1] in _STARTS:
                return True
            index = text.find(_ZWJ, index + 1)
        if index < 0:
            return False
        if index < end:
            index = text.find(_ZWJ, end)
    return False


def emoji_spans_by_tokenizer(text: str) -> tuple[tuple[int, int], ...]:
    """The same spans from the `emoji` package's own tokenizer (slower, the reference).

    The tokenizer walks the string in Python, so it only gets the runs of code points that
    occur in some emoji, each with the code point before it: the tokenizer may step back
    onto that one (which never starts a match), and its being there changes how far.
    """
    if text.isascii() or _EMOJI_MEMBERS.isdisjoint(text):
        return ()
    spans: list[tuple[int, int]] = []
    for run in _EMOJI_RUN.finditer(text):
        offset = max(run.start() - 1, 0)
        spans.extend(
            (offset + found["match_start"], offset + found["match_end"])
            for found in emoji.emoji_list(text[offset : run.end()])
        )
    return tuple(spans)
