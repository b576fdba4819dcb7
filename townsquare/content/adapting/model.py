"""The inputs and outputs of adaptation: frozen dataclasses, no Django, no network rules.

The engine never imports the network rules. Everything it needs to know about an account
arrives in a `TargetProfile`, including the network's exact length function, so the rules
can evolve (or be swapped for simple counters in tests) without touching adaptation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

Language = Literal["de", "en"]
LinkMode = Literal["inline", "card", "bio"]
HashtagPolicy = Literal["keep_inline", "move_to_end", "none"]
EmojiPolicy = Literal["none", "few", "free"]
Address = Literal["du", "sie", "any"]
Formality = Literal["casual", "neutral", "formal"]

THREAD_NUMBERING_SEPARATOR = " "
"""Numbering is appended to each part of a thread as `" 2/5"`: separator, index, slash, total."""


@dataclass(frozen=True, slots=True)
class Change:
    """One thing the engine did (or one thing the author should look at), in both UI languages.

    `code` is stable and machine-readable (tests, API clients, filtering in the UI); the
    messages are complete sentences ready to show. `suggestion` is text the author may add
    to the message with one click (the plan's call to action); empty for most notes.
    """

    code: str
    message_en: str
    message_de: str
    suggestion: str = ""

    def message(self, language: Language) -> str:
        return self.message_de if language == "de" else self.message_en


@dataclass(frozen=True, slots=True)
class TargetProfile:
    """What adaptation needs to know about one account on one network.

    `length` is the network's own counter (weighted for X, graphemes for Bluesky, URLs as 23
    for Mastodon ...). The engine only ever compares `length(part) <= max_length`, so a
    network with two limits passes the binding one, e.g. for Bluesky
    `max(graphemes(t), ceil(utf8_bytes(t) * 300 / 3000))` with `max_length=300`.
    `hashtag_cap` is the network's hard maximum; `hashtag_recommended` is the softer figure
    the network or common practice recommends (X 1-2, LinkedIn 3-5). The workspace's style
    settings may set their own per-network maximum, which replaces the recommendation but
    never exceeds the hard cap.
    `mention_template` renders a contact's handle; `{handle}` and `{name}` are available,
    e.g. LinkedIn's `"@[{name}]({handle})"` with the organisation URN as the handle.
    `language` is the language of the account's audience, if known; a post in another
    language gets a warning, never a translation.
    `length_adds_up` is a promise by the counter that joining text after a space never
    counts more than the two pieces did apart: length(a + " " + b) <= length(a) +
    length(" " + b). It holds for code points, UTF-8/16 units, graphemes, the X weighted
    count and URL weighting alike; with it the splitter trusts its measurements of the
    pieces and does not measure each finished part again.
    """

    network: str
    account_label: str
    max_length: int
    length: Callable[[str], int]
    supports_threads: bool = False
    max_thread_parts: int | None = None
    hashtag_cap: int | None = None
    hashtag_recommended: int | None = None
    link_mode: LinkMode = "inline"
    language: Language | None = None
    mention_template: str = "{handle}"
    length_adds_up: bool = False

    def __post_init__(self) -> None:
        if self.max_length < 1:
            raise ValueError(f"max_length must be positive, got {self.max_length}")
        if self.max_thread_parts is not None and self.max_thread_parts < 1:
            raise ValueError(f"max_thread_parts must be positive, got {self.max_thread_parts}")
        try:
            self.mention_template.format(handle="@handle", name="Name")
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(
                f"mention_template may use {{handle}} and {{name}} only: {error}"
            ) from None


@dataclass(frozen=True, slots=True)
class HashtagSet:
    """A named, reusable group of hashtags; empty `networks` means every network."""

    name: str
    hashtags: tuple[str, ...]
    networks: tuple[str, ...] = ()

    def applies_to(self, network: str) -> bool:
        return not self.networks or network in self.networks


@dataclass(frozen=True, slots=True)
class StyleSettings:
    """The tone and hashtag rules of a workspace's social media plan.

    `max_hashtags` maps a network key to the plan's own maximum for that network.
    `network_styles` holds replacement settings for single networks (the plan may be
    formal on LinkedIn and informal on Instagram); `for_network` picks the one that
    applies. Hashtag sets belong to the workspace, not to a network's tone: a network
    style without sets of its own uses the top-level ones.
    `formality`, `call_to_action` and `prefer_words` only ever produce hints
    (`adapting.wording`): the wording stays the author's.
    """

    address: Address = "any"
    formality: Formality = "neutral"
    call_to_action: str = ""
    prefer_words: tuple[str, ...] = ()
    emoji_policy: EmojiPolicy = "free"
    max_emoji: int = 3
    banned_words: tuple[str, ...] = ()
    hashtag_policy: HashtagPolicy = "keep_inline"
    max_hashtags: Mapping[str, int] = field(default_factory=dict)
    hashtag_sets: tuple[HashtagSet, ...] = ()
    network_styles: Mapping[str, StyleSettings] = field(default_factory=dict)
    _resolved: Mapping[str, StyleSettings] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Resolved once, so every call for a network returns the same object (the engine
        # checks the tone once per distinct style).
        resolved = {
            network: style if style.hashtag_sets else replace(style, hashtag_sets=self.hashtag_sets)
            for network, style in self.network_styles.items()
        }
        object.__setattr__(self, "_resolved", resolved)

    def for_network(self, network: str) -> StyleSettings:
        return self._resolved.get(network, self)


@dataclass(frozen=True, slots=True)
class Contact:
    """One person or brand, with a handle per network key (e.g. {"x": "@SWLeipzig"})."""

    name: str
    handles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ContactBook:
    """The workspace's contacts, looked up by name without regard to case or spacing."""

    contacts: tuple[Contact, ...] = ()
    _by_key: Mapping[str, Contact] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once, so a lookup per mention per network is a dict access.
        index = {contact_key(contact.name): contact for contact in self.contacts}
        object.__setattr__(self, "_by_key", index)

    def find(self, name: str) -> Contact | None:
        return self._by_key.get(contact_key(name))


@lru_cache(maxsize=1024)
def contact_key(name: str) -> str:
    """A name as the contact book compares it (cached: a post looks its names up once per
    network)."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class MasterPost:
    """The one message the author writes; every variant is derived from it.

    `link_url` is the post's main link (the card on Bluesky, the bio link on Instagram);
    it may or may not also appear in `text`. `hashtags` are added to the text per the
    hashtag policy, `hashtag_sets` names sets from the style settings to add as well.
    """

    text: str
    language: Language = "en"
    link_url: str | None = None
    hashtags: tuple[str, ...] = ()
    hashtag_sets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PreviousVariant:
    """A variant adapted earlier for one account, and whether a person has edited it since.

    `master_text` is the master text the variant was last adapted from, if known; it lets
    the engine tell the author that the master changed after their edit.
    """

    network: str
    account_label: str
    text: str
    edited_by_hand: bool
    parts: tuple[str, ...] = ()
    master_text: str | None = None


@dataclass(frozen=True, slots=True)
class AdaptedVariant:
    """The text for one account, split into the posts to publish, with every reason.

    `text` is the whole adapted text; `parts` are the posts in publishing order (one part
    when there is no thread). For a thread, stripping the `" i/n"` numbering from every
    part and joining them with `joints` (the whitespace the text was split on, "" for a
    split inside a word) gives `text` back exactly: see `threads.rejoin_thread`.
    `lengths` are the network's counts of each part. `link_card_url` is set when the
    publisher should attach a link card; `bio_link_url` when the link belongs in the bio.
    """

    network: str
    account_label: str
    text: str
    parts: tuple[str, ...]
    changes: tuple[Change, ...]
    warnings: tuple[Change, ...]
    edited_by_hand: bool
    joints: tuple[str, ...] = ()
    lengths: tuple[int, ...] = ()
    max_length: int = 0
    link_card_url: str | None = None
    bio_link_url: str | None = None

    @property
    def fits(self) -> bool:
        """Whether every part is within the network's limit."""
        return all(count <= self.max_length for count in self.lengths)

    @property
    def is_thread(self) -> bool:
        return len(self.parts) > 1
