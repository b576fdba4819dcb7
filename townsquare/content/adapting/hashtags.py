"""Hashtags placed per the style settings and capped per network.

Two kinds of hashtags are told apart in the master text:
- inline: part of a sentence ("Wir lieben #Kaffee aus Leipzig"),
- the end block: hashtags that close the text after punctuation, an emoji or a line
  break ("... im Laden. #Kaffee #Leipzig").

Policies:
- `keep_inline`: inline hashtags stay; the end block keeps its tags and gets the post's
  hashtags and its hashtag sets appended.
- `move_to_end`: inline hashtags lose their "#" (the word stays in the sentence) and
  lead the end block.
- `none`: every "#" goes: inline words stay as words, the end block is dropped, nothing
  is added.

The cap is the network's hard maximum, lowered by the plan's own maximum for the network
or, when the plan sets none, by the network's recommendation. Over the cap, tags are
left out from the lowest priority up: hashtag sets, then the post's hashtags, then the
end block written by the author; inline hashtags last, and those only lose their "#".
Duplicates are recognised without regard to case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from townsquare.content.adapting import notes
from townsquare.content.adapting.model import Change, HashtagPolicy, MasterPost, StyleSettings
from townsquare.content.adapting.tokens import HASHTAG_RE, find_urls, normalise_hashtag

_BLOCK_GAP_RE = re.compile(r"\s*")


@dataclass(frozen=True, slots=True)
class PlacedHashtags:
    """The body with inline hashtags handled, and the tags for the end block.

    `separator` goes between body and end block: the author's own if the master had an
    end block, otherwise a blank line. `sources` tells, for each end tag that was not in
    the master text, where it came from; `added_notes` reports those that made it into
    the final text (the caller may still leave some out to fit the length).
    """

    body: str
    end_tags: tuple[str, ...]
    separator: str
    changes: tuple[Change, ...]
    warnings: tuple[Change, ...]
    sources: tuple[tuple[str, str], ...] = ()

    def added_notes(self, kept: int) -> list[Change]:
        """Notes for the added tags among the first `kept` end tags, one per source."""
        kept_keys = {tag.casefold() for tag in self.end_tags[:kept]}
        by_source: dict[str, list[str]] = {}
        for tag, source in self.sources:
            if tag.casefold() in kept_keys:
                by_source.setdefault(source, []).append(tag)
        return [notes.hashtags_added(tags, source) for source, tags in by_source.items()]


@dataclass(frozen=True, slots=True)
class HashtagCap:
    limit: int
    reason_en: str
    reason_de: str


def hashtag_cap(
    network: str, style: StyleSettings, hard_cap: int | None, recommended: int | None
) -> HashtagCap | None:
    """The number of hashtags a variant may carry, and why; None when unlimited."""
    name = notes.network_name(network)
    planned = style.max_hashtags.get(network)
    candidates: list[HashtagCap] = []
    if hard_cap is not None:
        candidates.append(
            HashtagCap(hard_cap, f"{name} allows no more", f"mehr erlaubt {name} nicht")
        )
    if planned is not None:
        candidates.append(
            HashtagCap(planned, f"the plan's limit for {name}", f"Vorgabe des Plans für {name}")
        )
    elif recommended is not None:
        candidates.append(
            HashtagCap(recommended, f"recommended for {name}", f"Empfehlung für {name}")
        )
    return min(candidates, key=lambda cap: cap.limit) if candidates else None


def place_hashtags(
    text: str,
    master: MasterPost,
    style: StyleSettings,
    network: str,
    cap: HashtagCap | None,
) -> PlacedHashtags:
    urls = find_urls(text)
    found = [match for match in HASHTAG_RE.finditer(text) if not _inside(match.start(), urls)]
    block_start = _end_block_start(text, found)
    inline = [match for match in found if match.start() < block_start]
    block = [match.group(1) for match in found if match.start() >= block_start]
    changes: list[Change] = []
    warnings: list[Change] = []
    if block_start < len(text):
        body = text[:block_start].rstrip()
        separator = text[len(body) : block_start] or "\n\n"
    else:
        body, separator = text, "\n\n"
    if not body.strip() and block:
        # A text of nothing but hashtags: they are the message, treat them as inline.
        body, inline, block, separator = text, found, [], "\n\n"

    policy: HashtagPolicy = style.hashtag_policy
    seen = {tag.casefold() for tag in (match.group(1) for match in inline)}
    end_tags = _unique(block, seen)
    if policy == "none":
        removed = [match.group(1) for match in inline] + end_tags
        if removed:
            changes.append(notes.hashtags_removed_by_policy(removed))
        untagged = _untag(body, inline, range(len(inline)))
        return PlacedHashtags(untagged, (), separator, tuple(changes), ())

    if policy == "move_to_end" and inline:
        moved = _unique([match.group(1) for match in inline], set())
        changes.append(notes.hashtags_moved_to_end(moved))
        body = _untag(body, inline, range(len(inline)))
        end_tags = _unique(moved + end_tags, set())
        inline = []
        seen = set()

    seen |= {tag.casefold() for tag in end_tags}
    sources: list[tuple[str, str]] = []
    for tags, source in _additions(master, style, network, warnings):
        added = _unique(tags, seen)
        end_tags += added
        sources += [(tag, source) for tag in added]

    if cap is not None and len(inline) + len(end_tags) > cap.limit:
        keep_at_end = max(0, cap.limit - len(inline))
        left_out = end_tags[keep_at_end:]
        end_tags = end_tags[:keep_at_end]
        untag_count = len(inline) - cap.limit if len(inline) > cap.limit else 0
        untag_indices = range(len(inline) - untag_count, len(inline))
        left_out = [inline[index].group(1) for index in untag_indices] + left_out
        body = _untag(body, inline, untag_indices)
        changes.append(notes.hashtags_over_cap(left_out, cap.limit, cap.reason_en, cap.reason_de))
    return PlacedHashtags(
        body, tuple(end_tags), separator, tuple(changes), tuple(warnings), tuple(sources)
    )


def end_block(tags: tuple[str, ...]) -> str:
    return " ".join(f"#{tag}" for tag in tags)


def count_hashtags(text: str) -> int:
    if "#" not in text:
        return 0
    urls = find_urls(text)
    return sum(1 for match in HASHTAG_RE.finditer(text) if not _inside(match.start(), urls))


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _end_block_start(text: str, found: list[re.Match[str]]) -> int:
    """Where the closing run of hashtags begins; len(text) when there is none."""
    if not found or text[found[-1].end() :].strip():
        return len(text)
    start_index = len(found) - 1
    while start_index > 0:
        gap = text[found[start_index - 1].end() : found[start_index].start()]
        if gap.strip():
            break
        start_index -= 1
    start = found[start_index].start()
    before = text[:start].rstrip()
    gap = text[len(before) : start]
    # "Wir lieben #Kaffee" ends in a sentence; after punctuation, an emoji or a line
    # break the hashtags stand on their own.
    if before and before[-1].isalnum() and "\n" not in gap:
        return len(text)
    return start


def _unique(tags: list[str], seen: set[str]) -> list[str]:
    unique: list[str] = []
    for tag in tags:
        key = tag.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(tag)
    return unique


def _untag(text: str, matches: list[re.Match[str]], indices: range) -> str:
    """Drop the "#" of the chosen inline hashtags, keeping the words."""
    if not indices:
        return text
    pieces: list[str] = []
    cursor = 0
    for index in indices:
        start = matches[index].start()
        pieces.append(text[cursor:start])
        cursor = start + 1
    pieces.append(text[cursor:])
    return "".join(pieces)


def _additions(
    master: MasterPost, style: StyleSettings, network: str, warnings: list[Change]
) -> list[tuple[list[str], str]]:
    """The post's own hashtags, then each of its hashtag sets, valid tags only."""
    sources: list[tuple[list[str], str]] = [(_valid(master.hashtags, warnings), "post hashtags")]
    sets_by_name = {hashtag_set.name.casefold(): hashtag_set for hashtag_set in style.hashtag_sets}
    for name in master.hashtag_sets:
        hashtag_set = sets_by_name.get(name.casefold())
        if hashtag_set is None:
            warnings.append(notes.hashtag_set_unknown(name))
        elif hashtag_set.applies_to(network):
            sources.append(
                (_valid(hashtag_set.hashtags, warnings), f"hashtag set {hashtag_set.name}")
            )
    return sources


def _valid(raw_tags: tuple[str, ...], warnings: list[Change]) -> list[str]:
    valid: list[str] = []
    for raw in raw_tags:
        tag = normalise_hashtag(raw)
        if tag is None:
            warnings.append(notes.hashtag_invalid(raw))
        else:
            valid.append(tag)
    return valid
