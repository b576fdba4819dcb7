"""The master text read once: where its mentions, links and hashtags are.

Every variant of a post is the master text with a few local edits (a handle here, a
hint there, a "#" dropped), so the master is scanned once per post and each network
only applies its edits. That keeps fifteen networks close to the cost of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from townsquare.content.adapting.tokens import HASHTAG_RE, find_urls

# `@[Name]`; not followed by "(", which is LinkedIn's own "@[Name](urn:li:...)" mention.
MENTION_RE = re.compile(r"@\[([^\[\]\n\r]{1,100})\](?!\()")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace master[start:end] with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Hashtag:
    start: int  # the "#"
    end: int
    tag: str  # without "#"


@dataclass(frozen=True, slots=True)
class StandingApart:
    """Hashtags on a line of their own (or after the end of a sentence, closing its line)
    somewhere before the end of the text: not words of a sentence. `remove` is the span
    that takes them out cleanly, with their line or the spaces in front of them."""

    tags: tuple[Hashtag, ...]
    remove: tuple[int, int]


@dataclass(frozen=True, slots=True)
class ParsedMaster:
    """Spans in the master text, in order. `block_start` is where the closing hashtags
    begin (len(text) when there are none); `body_end` is where the text before them ends.

    Hashtags come in three kinds (see `parse_master`): `inline_tags` are words of a
    sentence, `apart` stand apart from the sentences before the end, `block_tags` close
    the text.
    """

    text: str
    mentions: tuple[tuple[int, int, str], ...]
    urls: tuple[tuple[int, int], ...]
    inline_tags: tuple[Hashtag, ...]
    block_tags: tuple[str, ...]
    body_end: int
    separator: str
    apart: tuple[StandingApart, ...] = ()


def parse_master(text: str) -> ParsedMaster:
    """Find the mentions, links and hashtags of a master text.

    The closing block is the last run of hashtags (nothing but whitespace between and after
    them) when it follows punctuation, an emoji or a line break ("... im Laden. #Kaffee"), or
    when it has two or more tags ("Hallo Welt #Kaffee #Leipzig"): one hashtag after a word
    ends the sentence ("Wir lieben #Kaffee"), several in a row are tags added to it.
    A run before the end stands apart when it fills the rest of its line and starts a line
    or follows the end of a sentence. Text made of nothing but hashtags is the message
    itself: its hashtags are words.
    """
    urls = tuple(find_urls(text))
    mentions = tuple(
        (match.start(), match.end(), match.group(1).strip())
        for match in MENTION_RE.finditer(text)
        if not _inside(match.start(), urls)
    )
    tags = (
        [
            Hashtag(match.start(), match.end(), match.group(1))
            for match in HASHTAG_RE.finditer(text)
            if not _inside(match.start(), urls)
        ]
        if "#" in text
        else []
    )
    runs = _runs(text, tags)
    block: list[Hashtag] = []
    if runs and not text[runs[-1][-1].end :].strip():
        last = runs[-1]
        before = text[: last[0].start].rstrip()
        if before and (len(last) > 1 or _after_sentence_or_line(text, last[0].start)):
            block = last
            runs = runs[:-1]
    apart = [
        StandingApart(tuple(run), _removal(text, run))
        for run in runs
        if _after_sentence_or_line(text, run[0].start) and _closes_line(text, run[-1].end)
    ]
    if not block and not apart:
        return ParsedMaster(text, mentions, urls, tuple(tags), (), len(text), "\n\n")
    if _only_hashtags(text, tags):
        # Nothing but hashtags: they are the message itself, so they count as inline.
        return ParsedMaster(text, mentions, urls, tuple(tags), (), len(text), "\n\n")
    apart_starts = {tag.start for run in apart for tag in run.tags}
    block_starts = {tag.start for tag in block}
    inline = tuple(t for t in tags if t.start not in apart_starts and t.start not in block_starts)
    if not block:
        return ParsedMaster(text, mentions, urls, inline, (), len(text), "\n\n", tuple(apart))
    block_start = block[0].start
    body_end = len(text[:block_start].rstrip())
    separator = text[body_end:block_start]
    return ParsedMaster(
        text,
        mentions,
        urls,
        inline,
        tuple(tag.tag for tag in block),
        body_end,
        separator,
        tuple(apart),
    )


def _inside(position: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= position < end for start, end in spans)


def _runs(text: str, tags: list[Hashtag]) -> list[list[Hashtag]]:
    """The hashtags grouped into runs: tags with nothing but whitespace between them."""
    runs: list[list[Hashtag]] = []
    for tag in tags:
        if runs and not text[runs[-1][-1].end : tag.start].strip():
            runs[-1].append(tag)
        else:
            runs.append([tag])
    return runs


def _after_sentence_or_line(text: str, start: int) -> bool:
    """Whether the text before `start` on its line is empty or ends with punctuation or an
    emoji: "Wir lieben #Kaffee" continues a sentence; "Neu. #Kaffee" or a new line does not."""
    before = text[:start].rstrip(" \t")
    return not before or before.endswith("\n") or not before[-1].isalnum()


def _closes_line(text: str, end: int) -> bool:
    rest = text[end:]
    after = rest.lstrip(" \t")
    return not after or after[0] in "\r\n"


def _removal(text: str, run: list[Hashtag]) -> tuple[int, int]:
    """A run on a line of its own goes with its line break; after a sentence, with the
    spaces in front of it."""
    start, end = run[0].start, run[-1].end
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t"):
        return (len(text[:start].rstrip(" \t")), end)
    rest = text[end:]
    return (line_start, end + len(rest) - len(rest.lstrip()))


def _only_hashtags(text: str, tags: list[Hashtag]) -> bool:
    covered = 0
    for tag in tags:
        if text[covered : tag.start].strip():
            return False
        covered = tag.end
    return not text[covered:].strip()


def apply_edits(text: str, end: int, edits: list[Edit]) -> str:
    """text[:end] with the edits (which must not overlap) applied."""
    if not edits:
        return text[:end]
    pieces: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda edit: edit.start):
        if edit.start >= end:
            break
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:end])
    return "".join(pieces)
