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
class ParsedMaster:
    """Spans in the master text, in order. `block_start` is where the closing hashtags
    begin (len(text) when there are none); `body_end` is where the text before them ends.
    """

    text: str
    mentions: tuple[tuple[int, int, str], ...]
    urls: tuple[tuple[int, int], ...]
    inline_tags: tuple[Hashtag, ...]
    block_tags: tuple[str, ...]
    body_end: int
    separator: str


def parse_master(text: str) -> ParsedMaster:
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
    block_index = _end_block_index(text, tags)
    if block_index < len(tags):
        block_start = tags[block_index].start
        body_end = len(text[:block_start].rstrip())
        separator = text[body_end:block_start]
        if body_end == 0:
            # Nothing but hashtags: they are the message itself, so they count as inline.
            return ParsedMaster(text, mentions, urls, tuple(tags), (), len(text), "\n\n")
        block = tuple(tag.tag for tag in tags[block_index:])
        return ParsedMaster(
            text, mentions, urls, tuple(tags[:block_index]), block, body_end, separator
        )
    return ParsedMaster(text, mentions, urls, tuple(tags), (), len(text), "\n\n")


def _inside(position: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= position < end for start, end in spans)


def _end_block_index(text: str, tags: list[Hashtag]) -> int:
    """Index of the first hashtag of the closing run; len(tags) when there is none."""
    if not tags or text[tags[-1].end :].strip():
        return len(tags)
    index = len(tags) - 1
    while index > 0 and not text[tags[index - 1].end : tags[index].start].strip():
        index -= 1
    start = tags[index].start
    before = text[:start].rstrip()
    # "Wir lieben #Kaffee" ends a sentence; after punctuation, an emoji or a line break
    # the hashtags stand on their own.
    if before and before[-1].isalnum() and "\n" not in text[len(before) : start]:
        return len(tags)
    return index


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
