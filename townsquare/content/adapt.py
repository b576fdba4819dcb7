"""Adaptation: one master post becomes a variant per selected account, with every reason.

Pure: no Django, no network rules. Each account arrives as a `TargetProfile` carrying
the network's own length function and limits; the workspace's tone and hashtag rules as
`StyleSettings`; people and brands as a `ContactBook`.

    variants = adapt_post(master, targets, style, contacts, previous=earlier_variants)

For each target, in this order:
1. mentions: `@[Name]` in the master (the contact's name in the contact book, any case)
   becomes the contact's handle on that network, or the plain name with a warning when
   there is none (see `adapting.mentions`);
2. links: kept, shown as a card, or replaced by a "link in bio" hint (`adapting.links`);
3. hashtags: placed and capped per policy and network (`adapting.hashtags`);
4. fitting: a thread numbered " 1/3" where the network has threads, otherwise shortened
   at a sentence end or a word with an ellipsis; hashtags at the end are left out before
   any of the message is cut (`adapting.threads`, `adapting.shortening`). No post of a
   thread is made of hashtags alone: end hashtags that do not fit beside the last text
   are left out, lowest priority first. A thread longer than the network allows keeps
   all its text; the validator reports it as too long;
5. tone: form of address, emoji and words to avoid, read from what the author wrote
   (`adapting.tone`); formality, words to prefer and the plan's call to action as hints
   (`adapting.wording`).
Every change lands in `changes`, everything the author should look at in `warnings`,
each in English and German. A variant edited by hand is never rewritten: it comes back
exactly as it was, only checked again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from townsquare.content.adapting import notes
from townsquare.content.adapting.hashtags import (
    HashtagPlan,
    count_hashtags,
    end_block,
    hashtag_cap,
    hashtag_plan_key,
    place_hashtags,
    plan_hashtags,
)
from townsquare.content.adapting.links import handle_links
from townsquare.content.adapting.mentions import contact_syntax_left, map_mentions
from townsquare.content.adapting.model import (
    THREAD_NUMBERING_SEPARATOR,
    AdaptedVariant,
    Address,
    Change,
    Contact,
    ContactBook,
    EmojiPolicy,
    HashtagPolicy,
    HashtagSet,
    Language,
    LinkMode,
    MasterPost,
    PreviousVariant,
    StyleSettings,
    TargetProfile,
)
from townsquare.content.adapting.parsed import MENTION_RE, ParsedMaster, apply_edits, parse_master
from townsquare.content.adapting.search import farthest
from townsquare.content.adapting.shortening import shorten
from townsquare.content.adapting.threads import (
    LimitTooSmall,
    ThreadSplit,
    numbering,
    rejoin_thread,
    split_thread,
)
from townsquare.content.adapting.tokens import HASHTAG_RE, find_urls
from townsquare.content.adapting.tone import ToneReader, check_tone
from townsquare.content.adapting.wording import check_call_to_action, check_wording

__all__ = [
    "MENTION_RE",
    "THREAD_NUMBERING_SEPARATOR",
    "AdaptedVariant",
    "Address",
    "Change",
    "Contact",
    "ContactBook",
    "EmojiPolicy",
    "HashtagPolicy",
    "HashtagSet",
    "Language",
    "LinkMode",
    "MasterPost",
    "PreviousVariant",
    "StyleSettings",
    "TargetProfile",
    "adapt_post",
    "adapt_variant",
    "recheck_variant",
    "rejoin_thread",
]

_PARAGRAPH = "\n\n"
_WORD = re.compile(r"\w")


def adapt_post(
    master: MasterPost,
    targets: Sequence[TargetProfile],
    style: StyleSettings,
    contacts: ContactBook,
    previous: Sequence[PreviousVariant] = (),
) -> tuple[AdaptedVariant, ...]:
    """A variant for every target, in the order of `targets`.

    `previous` are the variants adapted before, matched by network and account label;
    those edited by hand come back unchanged and re-checked.
    """
    earlier = {(variant.network, variant.account_label): variant for variant in previous}
    parsed = parse_master(master.text)
    reader = ToneReader(master.text, master.language)
    tone_by_style: dict[int, tuple[Change, ...]] = {}
    plans: dict[tuple[object, ...], HashtagPlan] = {}
    variants: list[AdaptedVariant] = []
    for target in targets:
        network_style = style.for_network(target.network)
        before = earlier.get((target.network, target.account_label))
        if before is not None and before.edited_by_hand:
            variants.append(recheck_variant(before, master, target, network_style))
            continue
        # The tone reads the master, so one check serves every network with the same style.
        tone = tone_by_style.get(id(network_style))
        if tone is None:
            tone = _tone(master.text, master.language, network_style, reader)
            tone_by_style[id(network_style)] = tone
        variants.append(_adapt(master, parsed, target, network_style, contacts, tone, plans))
    return tuple(variants)


def adapt_variant(
    master: MasterPost,
    target: TargetProfile,
    style: StyleSettings,
    contacts: ContactBook,
    previous: PreviousVariant | None = None,
) -> AdaptedVariant:
    """The variant for one target; `style` may hold per-network settings."""
    network_style = style.for_network(target.network)
    if previous is not None and previous.edited_by_hand:
        return recheck_variant(previous, master, target, network_style)
    tone = _tone(master.text, master.language, network_style)
    return _adapt(master, parse_master(master.text), target, network_style, contacts, tone)


def _adapt(
    master: MasterPost,
    parsed: ParsedMaster,
    target: TargetProfile,
    style: StyleSettings,
    contacts: ContactBook,
    tone: tuple[Change, ...],
    plans: dict[tuple[object, ...], HashtagPlan] | None = None,
) -> AdaptedVariant:
    """One variant. `plans` holds the hashtag plans of this post by `hashtag_plan_key`, so
    that networks sharing a style and its sets share the work."""
    changes: list[Change] = []
    warnings: list[Change] = _language_warnings(master.language, target)

    mentioned = map_mentions(parsed, target.network, contacts, target.mention_template)
    changes += mentioned.changes
    warnings += mentioned.warnings

    links = handle_links(
        parsed,
        master.link_url,
        target.link_mode,
        master.language,
        target.network,
        target.account_label,
    )
    changes += links.changes
    warnings += links.warnings

    cap = hashtag_cap(target.network, style, target.hashtag_cap, target.hashtag_recommended)
    plan = None
    if plans is not None:
        key = hashtag_plan_key(master, style, target.network)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = plan_hashtags(parsed, master, style, target.network)
    placed = place_hashtags(parsed, master, style, target.network, cap, plan)
    changes += placed.changes
    added_at = len(changes)  # notes on added hashtags go here once fitting has decided
    warnings += placed.warnings

    edits = [*mentioned.edits, *links.edits, *placed.edits]
    body = apply_edits(parsed.text, parsed.body_end, edits).strip()
    appendix = _PARAGRAPH + links.appendix if links.appendix and body else links.appendix
    tags = placed.end_tags

    kept_tags = len(tags)
    if target.supports_threads and target.max_thread_parts != 1:
        thread = _Fitting(body, appendix, tags, placed.separator)
        fitted, kept_tags = _split(thread, target, changes, warnings)
    else:
        full = _compose(body + appendix, tags, placed.separator)
        counted = target.length(full)
        fitted = ((full,), (), (counted,))
        if counted > target.max_length:
            fitting = _Fitting(body, appendix, tags, placed.separator, counted)
            fitted, kept_tags = _shorten(fitting, target, changes, warnings)
    parts, joints, lengths = fitted
    changes[added_at:added_at] = [*placed.added_notes(kept_tags), *placed.over_cap]
    # Only when what must stay (a link, the bio hint) is longer than the limit itself.
    warnings += _parts_too_long(lengths, target)

    warnings += tone
    text = rejoin_thread(parts, joints)
    has_link = bool(links.card_url or links.bio_url)
    warnings += check_call_to_action(text, master.language, style, target.network, has_link)
    return AdaptedVariant(
        network=target.network,
        account_label=target.account_label,
        text=text,
        parts=parts,
        changes=tuple(changes),
        warnings=tuple(warnings),
        edited_by_hand=False,
        joints=joints,
        lengths=lengths,
        max_length=target.max_length,
        link_card_url=links.card_url,
        bio_link_url=links.bio_url,
    )


def _compose(text: str, tags: tuple[str, ...], separator: str) -> str:
    if not tags:
        return text
    return text + separator + end_block(tags) if text else end_block(tags)


_Fitted = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]


def _split(
    fitting: _Fitting, target: TargetProfile, changes: list[Change], warnings: list[Change]
) -> tuple[_Fitted, int]:
    """A thread, and how many of the end hashtags it keeps.

    The splitter keeps hashtags with the words before them, so the end hashtags share the
    last post with text. Only when they are longer than what is left of a post could one
    be made of hashtags alone: then they are left out from the lowest priority up (hashtag
    sets, the post's hashtags, then the author's own) until none is.
    """
    text, tags, separator = fitting.body + fitting.appendix, fitting.tags, fitting.separator
    splits: dict[int, ThreadSplit | None] = {}

    def attempt(keep: int) -> ThreadSplit | None:
        if keep not in splits:
            try:
                splits[keep] = split_thread(
                    _compose(text, tags[:keep], separator),
                    target.max_length,
                    target.length,
                    target.max_thread_parts,
                    adds_up=target.length_adds_up,
                )
            except LimitTooSmall:
                splits[keep] = None
        return splits[keep]

    def acceptable(keep: int) -> bool:
        split = attempt(keep)
        return split is not None and not _hashtags_alone(split.parts)

    keep = len(tags)
    if tags and not acceptable(keep):
        fewer = farthest(0, len(tags), acceptable, len(tags) - 1)
        if fewer is not None:
            keep = fewer
            changes.append(notes.hashtags_for_thread(list(tags[keep:])))
    split = attempt(keep)
    if split is None:
        warnings.append(notes.limit_too_small(target.max_length, target.network))
        whole = _compose(text, tags[:keep], separator)
        return ((whole,), (), (target.length(whole),)), keep
    if len(split.parts) > 1:
        changes.append(
            notes.thread_split(len(split.parts), split.whole, target.max_length, target.network)
        )
    if split.broken_words:
        warnings.append(notes.word_broken())
    return (split.parts, split.joints, split.lengths), keep


def _hashtags_alone(parts: tuple[str, ...]) -> bool:
    """Whether a post of the thread, numbering aside, holds hashtags and nothing else."""
    total = len(parts)
    if total < 2:
        return False
    return any(
        "#" in part
        and not _WORD.search(HASHTAG_RE.sub("", part.removesuffix(numbering(index, total))))
        for index, part in enumerate(parts, start=1)
    )


@dataclass(frozen=True, slots=True)
class _Fitting:
    """The pieces of a text to fit: `counted` is the whole text's count, 0 if not known."""

    body: str
    appendix: str
    tags: tuple[str, ...]
    separator: str
    counted: int = 0


def _shorten(
    fitting: _Fitting, target: TargetProfile, changes: list[Change], warnings: list[Change]
) -> tuple[_Fitted, int]:
    """Fit one post: leave out end hashtags first, then cut the message, never the appendix.

    The appendix (the post's link or the "link in bio" hint) survives the cut: it is how
    readers reach what the post is about.
    """
    length, limit = target.length, target.max_length
    tags, separator = fitting.tags, fitting.separator
    bare = fitting.body + fitting.appendix
    bare_length = length(bare) if tags else fitting.counted
    keep = 0
    if tags and bare_length <= limit:
        # Guess how many tags fit from the room left, then confirm with the counter.
        room = (limit - bare_length) * len(bare) / max(bare_length, 1)
        guess = sum(1 for end in accumulate(len(tag) + 2 for tag in tags) if end <= room) - 1
        kept = farthest(
            0,
            len(tags),
            lambda index: length(_compose(bare, tags[: index + 1], separator)) <= limit,
            guess,
        )
        keep = 0 if kept is None else kept + 1
    if keep < len(tags):
        changes.append(notes.hashtags_for_length(list(tags[keep:])))
    if keep:
        text = _compose(bare, tags[:keep], separator)
        return ((text,), (), (length(text),)), keep
    cut = shorten(fitting.body, limit, length, tail=fitting.appendix, counted=bare_length)
    if cut.dropped:
        changes.append(notes.text_shortened(cut.cut, fitting.counted, limit, target.network))
        warnings.append(notes.content_cut(cut.dropped))
    return ((cut.text,), (), (cut.length,)), 0


def recheck_variant(
    previous: PreviousVariant,
    master: MasterPost,
    target: TargetProfile,
    style: StyleSettings,
) -> AdaptedVariant:
    """A hand-edited variant, exactly as the person left it, with fresh warnings only."""
    style = style.for_network(target.network)
    parts = previous.parts or (previous.text,)
    lengths = tuple(target.length(part) for part in parts)
    warnings = _language_warnings(master.language, target)
    if previous.master_text is not None and previous.master_text != master.text:
        warnings.append(notes.master_changed_since_edit())
    warnings += _parts_too_long(lengths, target)
    allowed_parts = (target.max_thread_parts or len(parts)) if target.supports_threads else 1
    if len(parts) > allowed_parts:
        warnings.append(notes.too_many_parts(len(parts), allowed_parts, target.network))
    text = "\n".join(parts)
    warnings += contact_syntax_left(text)
    urls = [text[start:end] for start, end in find_urls(text)]
    if target.link_mode == "bio":
        warnings += [notes.link_left_in_caption(url, target.network) for url in urls]
    if target.hashtag_cap is not None and count_hashtags(text) > target.hashtag_cap:
        warnings.append(
            notes.hashtags_too_many(count_hashtags(text), target.hashtag_cap, target.network)
        )
    warnings += _tone(text, master.language, style)
    main_url = master.link_url or (urls[0] if urls else None)
    has_link = main_url is not None and target.link_mode != "inline"
    warnings += check_call_to_action(text, master.language, style, target.network, has_link)
    return AdaptedVariant(
        network=target.network,
        account_label=target.account_label,
        text=previous.text,
        parts=parts,
        changes=(),
        warnings=tuple(warnings),
        edited_by_hand=True,
        lengths=lengths,
        max_length=target.max_length,
        link_card_url=main_url if target.link_mode == "card" else None,
        bio_link_url=main_url if target.link_mode == "bio" else None,
    )


def _tone(
    text: str, language: Language, style: StyleSettings, reader: ToneReader | None = None
) -> tuple[Change, ...]:
    """The plan's tone rules (warnings) and its wording hints for what the author wrote."""
    if reader is None or reader.text != text or reader.language != language:
        reader = ToneReader(text, language)
    return check_tone(text, language, style, reader) + check_wording(reader, style)


def _parts_too_long(lengths: tuple[int, ...], target: TargetProfile) -> list[Change]:
    return [
        notes.part_too_long(index, counted, target.max_length, target.network)
        for index, counted in enumerate(lengths, start=1)
        if counted > target.max_length
    ]


def _language_warnings(language: Language, target: TargetProfile) -> list[Change]:
    if target.language is None or target.language == language:
        return []
    return [notes.language_mismatch(language, target.language, target.account_label)]
