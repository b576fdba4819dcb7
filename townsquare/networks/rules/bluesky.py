"""Bluesky text: its two limits, and the facets a client must send with a post.

The AT Protocol limits post text to 300 grapheme clusters and 3000 UTF-8 bytes
(app.bsky.feed.post). The server parses nothing: links, mentions and hashtags are clickable
only through `app.bsky.richtext.facet` entries whose `byteSlice` holds UTF-8 byte offsets
(byteStart inclusive, byteEnd exclusive). Detection follows the rules of Bluesky's rich-text
guide: a link, mention or tag starts at the beginning of the text or after whitespace (links
and mentions also after "("); trailing punctuation is not part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

from townsquare.networks.rules.text_units import grapheme_count, utf8_length
from townsquare.networks.rules.urls import TLDS

BLUESKY_MAX_GRAPHEMES = 300
BLUESKY_MAX_BYTES = 3000
TAG_MAX_GRAPHEMES = 64

FacetKind = Literal["link", "mention", "tag"]


@dataclass(frozen=True, slots=True)
class BlueskyLength:
    graphemes: int
    utf8_bytes: int


@dataclass(frozen=True, slots=True)
class Facet:
    """A rich-text feature. `value` is the full URI, the handle (without "@", to be resolved to
    a DID by the connector) or the tag (without "#"). `start`/`end` are code point indices of
    the matched text; `byte_start`/`byte_end` are what goes into the record."""

    kind: FacetKind
    value: str
    start: int
    end: int
    byte_start: int
    byte_end: int


def bluesky_length(text: str) -> BlueskyLength:
    return BlueskyLength(graphemes=grapheme_count(text), utf8_bytes=utf8_length(text))


# Handles are domain names: labels of letters, digits and hyphens, the last one not numeric.
_HANDLE = regex.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?", regex.I
)
_MENTION = regex.compile(r"(?:^|(?<=[\s(]))@([a-z0-9.-]+)", regex.I)
_LINK = regex.compile(
    r"(?:^|(?<=[\s(]))(?:(?P<full>https?://\S+)|(?P<bare>[a-z][a-z0-9]*(?:\.[a-z0-9]+)+\S*))",
    regex.I,
)
_LINK_TRAILING = regex.compile(r"[.,;:!?]+$")
# Characters that end a tag besides whitespace: soft hyphen, word joiner, zero-width spaces
# and joiners, and the enclosing keycap (so "#️⃣" is not a tag).
_TAG_STOP = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG = regex.compile(
    rf"(?:^|(?<=\s))[#\uff03](?P<tag>(?!\ufe0f)[^\s{_TAG_STOP}]*"
    rf"[^\d\s\p{{P}}{_TAG_STOP}]+[^\s{_TAG_STOP}]*)"
)
_TAG_TRAILING = regex.compile(r"\p{P}+$")


@lru_cache(maxsize=512)
def detect_bluesky_facets(text: str) -> tuple[Facet, ...]:
    """Links, mentions and tags of `text` with UTF-8 byte offsets, ordered by position."""
    found: list[tuple[FacetKind, str, int, int]] = []
    for match in _MENTION.finditer(text):
        handle = match.group(1).rstrip(".")
        if _HANDLE.fullmatch(handle):
            found.append(("mention", handle, match.start(), match.start() + 1 + len(handle)))
    for match in _LINK.finditer(text):
        link = _link(match)
        if link is not None:
            found.append(("link", link[0], match.start(), match.start() + link[1]))
    for match in _TAG.finditer(text):
        tag = _TAG_TRAILING.sub("", match.group("tag"))
        if tag and grapheme_count(tag) <= TAG_MAX_GRAPHEMES:
            found.append(("tag", tag, match.start(), match.start() + 1 + len(tag)))
    found.sort(key=lambda item: item[2])
    return tuple(_with_bytes(text, found))


def _link(match: regex.Match[str]) -> tuple[str, int] | None:
    """(URI, length of the matched text) or None when a bare domain has no real TLD."""
    raw = match.group("full") or match.group("bare")
    raw = _LINK_TRAILING.sub("", raw)
    if raw.endswith(")") and "(" not in raw:
        raw = _LINK_TRAILING.sub("", raw[:-1])
    if match.group("full"):
        return (raw, len(raw)) if "." in raw else None
    domain = regex.split(r"[/?#:]", raw, maxsplit=1)[0]
    if domain.rsplit(".", 1)[-1].lower() not in TLDS:
        return None
    return "https://" + raw, len(raw)


def _with_bytes(text: str, found: list[tuple[FacetKind, str, int, int]]) -> list[Facet]:
    """Convert code point ranges to UTF-8 byte ranges in one pass over the text."""
    facets: list[Facet] = []
    last_index = 0
    last_byte = 0
    last_end = -1
    for kind, value, start, end in found:
        if start < last_end:
            continue  # overlapping detections (e.g. "@" inside a URL): the first one wins
        last_byte += utf8_length(text[last_index:start])
        byte_end = last_byte + utf8_length(text[start:end])
        facets.append(Facet(kind, value, start, end, last_byte, byte_end))
        last_index, last_byte, last_end = end, byte_end, end
    return facets
