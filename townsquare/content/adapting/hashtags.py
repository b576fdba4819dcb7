"""Hashtags placed per the plan's tone and capped per network.

Three kinds of hashtags are told apart in the master text (see `parsed.parse_master`):
- inline: words of a sentence ("Wir lieben #Kaffee aus Leipzig"),
- standing apart: a line of hashtags, or hashtags closing a line after the end of a
  sentence, somewhere before the end ("Neu im Laden.\n#Kaffee #Leipzig\nAb Montag ..."),
- the end block: hashtags that close the text after punctuation, an emoji or a line
  break ("... im Laden. #Kaffee"), or several in a row after a word ("Hallo Welt
  #Kaffee #Leipzig").

Policies:
- `keep_inline`: every hashtag stays where it was written; the end block keeps its tags
  and gets the post's hashtags and its hashtag sets appended.
- `move_to_end`: hashtags that are words of a sentence stay, "#" and all (taking the
  sign away would leave a word that no longer says it is a tag, and moving the word
  would break the sentence). Hashtags standing apart move intact to the end block, which
  is set apart from the text by a blank line. Each move and each kept tag is explained.
- `none`: every "#" goes: inline words stay as words, tags standing apart and the end
  block are dropped, nothing is added.

The cap is the network's hard maximum, lowered by the plan's own maximum for the network
or, when the plan sets none, by the network's recommendation. Over the cap, tags are
left out from the lowest priority up: hashtag sets, then the post's hashtags, then the
end block written by the author; inline hashtags last, and those only lose their "#".
Duplicates are recognised without regard to case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from townsquare.content.adapting import notes
from townsquare.content.adapting.model import Change, HashtagPolicy, MasterPost, StyleSettings
from townsquare.content.adapting.parsed import Edit, Hashtag, ParsedMaster
from townsquare.content.adapting.tokens import HASHTAG_RE, find_urls, normalise_hashtag


@dataclass(frozen=True, slots=True)
class PlacedHashtags:
    """Edits to the inline hashtags, and the tags for the end block.

    The master's own end block (if any) is always rebuilt from `end_tags`. `separator`
    goes between body and end block: the author's own if the master had an end block,
    otherwise a blank line. `sources` tells, for each end tag that was not in the master
    text, where it came from; `added_notes` reports those that made it into the final
    text (the caller may still leave some out to fit the length). `over_cap` explains
    the tags left out for the cap; it reads best after the notes on added tags.
    """

    edits: tuple[Edit, ...]
    end_tags: tuple[str, ...]
    separator: str
    changes: tuple[Change, ...]
    warnings: tuple[Change, ...]
    sources: tuple[tuple[str, str], ...] = ()
    over_cap: tuple[Change, ...] = ()
    plan: HashtagPlan | None = field(default=None, compare=False, repr=False)

    def added_notes(self, kept: int) -> list[Change]:
        """Notes for the added tags among the first `kept` end tags, one per source."""
        if not self.sources:
            return []
        if self.plan is not None:
            return self.plan.added_notes(self.end_tags[:kept])
        return _added_notes(self.sources, self.end_tags[:kept])


def _added_notes(sources: tuple[tuple[str, str], ...], kept_tags: tuple[str, ...]) -> list[Change]:
    kept_keys = {tag.casefold() for tag in kept_tags}
    by_source: dict[str, list[str]] = {}
    for tag, source in sources:
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
    return _hashtag_cap(network, style.max_hashtags.get(network), hard_cap, recommended)


@lru_cache(maxsize=256)
def _hashtag_cap(
    network: str, planned: int | None, hard_cap: int | None, recommended: int | None
) -> HashtagCap | None:
    name = notes.network_name(network)
    candidates: list[HashtagCap] = []
    if hard_cap is not None:
        candidates.append(
            HashtagCap(hard_cap, f"{name} allows no more", f"mehr erlaubt {name} nicht")
        )
    if planned is not None:
        candidates.append(
            HashtagCap(
                planned, f"the plan says so for {name}", f"so sieht es der Plan für {name} vor"
            )
        )
    elif recommended is not None:
        candidates.append(
            HashtagCap(recommended, f"recommended for {name}", f"Empfehlung für {name}")
        )
    return min(candidates, key=lambda cap: cap.limit) if candidates else None


@dataclass(frozen=True, slots=True)
class HashtagPlan:
    """The hashtags of a post under one style and one choice of hashtag sets, before any
    network's cap: the same for every network that shares the style and the sets, so a
    post works it out once for them. `policy_none` says the style wants no hashtags."""

    inline: tuple[Hashtag, ...]
    end_tags: tuple[str, ...]
    separator: str
    edits: tuple[Edit, ...]
    changes: tuple[Change, ...]
    warnings: tuple[Change, ...]
    sources: tuple[tuple[str, str], ...]
    policy_none: bool
    _notes: dict[tuple[str, ...], list[Change]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def added_notes(self, kept_tags: tuple[str, ...]) -> list[Change]:
        found = self._notes.get(kept_tags)
        if found is None:
            found = self._notes.setdefault(kept_tags, _added_notes(self.sources, kept_tags))
        return list(found)


def hashtag_plan_key(master: MasterPost, style: StyleSettings, network: str) -> tuple[object, ...]:
    """What a plan depends on besides the post: the style, and which sets apply here."""
    if not master.hashtag_sets:
        return (id(style),)
    return (id(style), *(s.applies_to(network) for s in style.hashtag_sets))


def place_hashtags(
    parsed: ParsedMaster,
    master: MasterPost,
    style: StyleSettings,
    network: str,
    cap: HashtagCap | None,
    plan: HashtagPlan | None = None,
) -> PlacedHashtags:
    """The hashtags for one network; `plan` is `plan_hashtags` for this network, if known."""
    if plan is None:
        plan = plan_hashtags(parsed, master, style, network)
    if plan.policy_none:
        return PlacedHashtags(plan.edits, (), plan.separator, plan.changes, ())
    inline, end_tags, edits = plan.inline, plan.end_tags, plan.edits
    over_cap: tuple[Change, ...] = ()
    if cap is not None and len(inline) + len(end_tags) > cap.limit:
        keep_at_end = max(0, cap.limit - len(inline))
        left_out = list(end_tags[keep_at_end:])
        end_tags = end_tags[:keep_at_end]
        untagged = list(inline[cap.limit :]) if len(inline) > cap.limit else []
        left_out = [tag.tag for tag in untagged] + left_out
        edits = (*edits, *_untag(untagged))
        over_cap = (notes.hashtags_over_cap(left_out, cap.limit, cap.reason_en, cap.reason_de),)
    return PlacedHashtags(
        edits,
        end_tags,
        plan.separator,
        plan.changes,
        plan.warnings,
        plan.sources,
        over_cap,
        plan,
    )


def plan_hashtags(
    parsed: ParsedMaster, master: MasterPost, style: StyleSettings, network: str
) -> HashtagPlan:
    inline = list(parsed.inline_tags)
    apart = [tag for run in parsed.apart for tag in run.tags]
    block = list(parsed.block_tags)
    separator = parsed.separator
    changes: list[Change] = []
    warnings: list[Change] = []
    policy: HashtagPolicy = style.hashtag_policy
    edits_list: list[Edit] = []
    if policy == "keep_inline":
        inline = sorted(inline + apart, key=lambda tag: tag.start)
        apart = []
    else:
        edits_list = [Edit(*run.remove, "") for run in parsed.apart]
    if policy == "none":
        removed = [tag.tag for tag in inline] + [tag.tag for tag in apart] + block
        if removed:
            changes.append(notes.hashtags_removed_by_policy(_unique(removed, set())))
        edits = (*edits_list, *_untag(inline))
        return HashtagPlan((), (), separator, edits, tuple(changes), (), (), policy_none=True)

    seen = {tag.tag.casefold() for tag in inline}
    moved: list[str] = []
    if policy == "move_to_end":
        moved = [tag.tag for tag in apart]
        if block and not _on_a_line_of_its_own(separator):
            moved += block
            separator = _PARAGRAPH
        if inline:
            changes.append(notes.hashtags_kept_in_sentence(_unique([t.tag for t in inline], set())))
    end_tags = _unique([tag.tag for tag in apart] + block, seen)
    if moved:
        # A tag standing apart that repeats a word of a sentence is gone, not moved.
        placed = {tag.casefold() for tag in end_tags}
        moved = [tag for tag in _unique(moved, set()) if tag.casefold() in placed]
    if moved:
        changes.append(notes.hashtags_moved_to_end(moved))

    seen |= {tag.casefold() for tag in end_tags}
    sources: list[tuple[str, str]] = []
    for tags, source in _additions(master, style, network, warnings):
        added = _unique(list(tags), seen)
        end_tags += added
        sources += [(tag, source) for tag in added]
    return HashtagPlan(
        tuple(inline),
        tuple(end_tags),
        separator,
        tuple(edits_list),
        tuple(changes),
        tuple(warnings),
        tuple(sources),
        policy_none=False,
    )


_PARAGRAPH = "\n\n"


def _on_a_line_of_its_own(separator: str) -> bool:
    return "\n" in separator or "\r" in separator


@lru_cache(maxsize=256)
def end_block(tags: tuple[str, ...]) -> str:
    return " ".join(f"#{tag}" for tag in tags)


def count_hashtags(text: str) -> int:
    if "#" not in text:
        return 0
    urls = find_urls(text)
    return sum(
        1
        for match in HASHTAG_RE.finditer(text)
        if not any(start <= match.start() < end for start, end in urls)
    )


def _unique(tags: list[str], seen: set[str]) -> list[str]:
    unique: list[str] = []
    for tag in tags:
        key = tag.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(tag)
    return unique


def _untag(hashtags: list[Hashtag]) -> list[Edit]:
    """Drop the "#" of these inline hashtags, keeping the words."""
    return [Edit(tag.start, tag.start + 1, "") for tag in hashtags]


def _additions(
    master: MasterPost, style: StyleSettings, network: str, warnings: list[Change]
) -> list[tuple[tuple[str, ...], str]]:
    """The post's own hashtags, then each of its hashtag sets, valid tags only."""
    valid, invalid = valid_hashtags(master.hashtags)
    warnings += [notes.hashtag_invalid(raw) for raw in invalid]
    sources: list[tuple[tuple[str, ...], str]] = [(valid, "post hashtags")]
    if not master.hashtag_sets:
        return sources
    sets_by_name = {hashtag_set.name.casefold(): hashtag_set for hashtag_set in style.hashtag_sets}
    for name in master.hashtag_sets:
        hashtag_set = sets_by_name.get(name.casefold())
        if hashtag_set is None:
            warnings.append(notes.hashtag_set_unknown(name))
        elif hashtag_set.applies_to(network):
            valid, invalid = valid_hashtags(hashtag_set.hashtags)
            warnings += [notes.hashtag_invalid(raw) for raw in invalid]
            sources.append((valid, f"hashtag set {hashtag_set.name}"))
    return sources


@lru_cache(maxsize=256)
def valid_hashtags(raw_tags: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(usable tags without "#", raw entries that cannot be hashtags). Cached: the same
    post hashtags and sets are checked for every network."""
    valid: list[str] = []
    invalid: list[str] = []
    for raw in raw_tags:
        tag = normalise_hashtag(raw)
        if tag is None:
            invalid.append(raw)
        else:
            valid.append(tag)
    return tuple(valid), tuple(invalid)
