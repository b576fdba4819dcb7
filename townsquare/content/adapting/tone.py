"""Tone checks from the plan's tone: form of address, emoji, words to avoid.

These only warn: wording is the author's decision, the engine explains what it noticed.

Form of address in German (du or Sie). Only unambiguous evidence is counted:
- informal, in any position and case: du, dich, dir, dein..., euch, euer, eure...;
- formal: Sie, Ihnen, Ihr, Ihre... capitalised in the middle of a sentence, where the
  lowercase "sie/ihr" (she, they, her) would otherwise be written;
- at the start of a sentence "Sie", "Ihnen", "Ihre" may just as well mean "they" or "her",
  so they count for neither form;
- "ihr" is the hard case: "ihr" is the informal plural ("Habt ihr Lust?") but also "her"
  and "their" ("die Kundin und ihr Hund"). It counts as informal only next to a verb in
  the second person plural: followed by a lowercase word ending in -t ("ihr habt", "ihr
  seid", "Ihr könnt"), or after a verb ending in -t that opens a question ("Habt ihr")
  or closes the clause ("Was macht ihr?"). Otherwise it is ignored. Capitalised "Ihr"
  in mid-sentence is formal ("für Ihr Konto") unless such a verb follows ("Habt Ihr").
- words in capitals ("SIE"), links, handles and hashtags are not read.
This misses sentences whose only sign of address is a verb ("Schreib uns!") and may in
rare cases read "her" as the informal plural; mixing and deviations are still caught in
ordinary brand copy, which is what the check is for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from townsquare.content.adapting import notes
from townsquare.content.adapting.model import Change, Language, StyleSettings
from townsquare.content.adapting.tokens import count_emoji

_ADDRESS_RE = re.compile(
    r"(?<![\w@#/.])(du|dich|dir|dein(?:e[mnrs]?)?|euch|eue?r(?:e[mnrs]?)?|eure[mnrs]?"
    r"|ihr(?:e[mnrs]?)?|ihnen|sie)(?![\w@])",
    re.IGNORECASE,
)
_ALWAYS_INFORMAL = re.compile(r"du|dich|dir|dein(?:e[mnrs]?)?|euch|eue?r(?:e[mnrs]?)?|eure[mnrs]?")
_SKIPPED_SPANS_RE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.@-]+")
_NEXT_WORD_RE = re.compile(r"\s*(\w+)")
_PREVIOUS_WORD_RE = re.compile(r"(\w+)\W*$")
_SENTENCE_OPENERS = frozenset(".!?…:;\n\r")
_TRANSPARENT_BEFORE = frozenset(" \t\"'„“”‚‘’«»‹›([{-–—*_")
_CLAUSE_END = frozenset(".,!?;:…)\n")


@dataclass(frozen=True, slots=True)
class AddressFound:
    informal: tuple[str, ...]
    formal: tuple[str, ...]


class ToneReader:
    """What the tone checks read from one text, read once for any number of styles.

    The form of address and the emoji depend on the text alone; each is read when a style
    first asks for it.
    """

    __slots__ = ("_address", "_emoji", "language", "text")

    def __init__(self, text: str, language: Language) -> None:
        self.text = text
        self.language = language
        self._address: AddressFound | None = None
        self._emoji: int | None = None

    def address(self) -> AddressFound:
        if self._address is None:
            self._address = find_address(self.text)
        return self._address

    def emoji(self) -> int:
        if self._emoji is None:
            self._emoji = count_emoji(self.text)
        return self._emoji


def check_tone(
    text: str, language: Language, style: StyleSettings, reader: ToneReader | None = None
) -> tuple[Change, ...]:
    """Tone warnings for `text` under `style`; `reader` shares the reading of this text
    between several styles."""
    if reader is None or reader.text != text or reader.language != language:
        reader = ToneReader(text, language)
    warnings: list[Change] = []
    if language == "de":
        warnings.extend(_address_warnings(reader.address(), style))
    emoji = reader.emoji() if style.emoji_policy != "free" else 0
    if style.emoji_policy == "none" and emoji:
        warnings.append(notes.emoji_not_wanted(emoji))
    elif style.emoji_policy == "few" and emoji > style.max_emoji:
        warnings.append(notes.emoji_too_many(emoji, style.max_emoji))
    if style.banned_words:
        found = find_banned_words(text, style.banned_words)
        if found:
            warnings.append(notes.banned_word(found))
    return tuple(warnings)


def _address_warnings(found: AddressFound, style: StyleSettings) -> list[Change]:
    informal, formal = list(found.informal[:3]), list(found.formal[:3])
    if informal and formal:
        return [notes.address_mixed(informal, formal)]
    if style.address == "sie" and informal:
        return [notes.address_informal_in_formal(informal)]
    if style.address == "du" and formal:
        return [notes.address_formal_in_informal(formal)]
    return []


def find_address(text: str) -> AddressFound:
    """The German forms of address in `text`, each distinct word once, in order."""
    masked = _SKIPPED_SPANS_RE.sub(lambda match: " " * len(match.group()), text)
    informal: dict[str, None] = {}
    formal: dict[str, None] = {}
    for match in _ADDRESS_RE.finditer(masked):
        word = match.group(1)
        if len(word) > 1 and word.isupper():
            continue  # "SIE", "IHR", "DU" in headlines: no case, no evidence
        reading = _read_address(masked, match.start(), match.end(), word)
        if reading == "informal":
            informal.setdefault(word, None)
        elif reading == "formal":
            formal.setdefault(word, None)
    return AddressFound(tuple(informal), tuple(formal))


def _read_address(text: str, start: int, end: int, word: str) -> str | None:
    lower = word.casefold()
    if _ALWAYS_INFORMAL.fullmatch(lower):
        return "informal"
    opens_sentence = _opens_sentence(text, start)
    if lower == "ihr":
        return _read_ihr(text, start, end, word, opens_sentence)
    if word[0].isupper() and not opens_sentence:
        # Sie, Ihnen, Ihre... capitalised mid-sentence; lowercase means she/they/her.
        return "formal" if word[1:].islower() else None
    return None


def _read_ihr(text: str, start: int, end: int, word: str, opens_sentence: bool) -> str | None:
    following = _NEXT_WORD_RE.match(text, end)
    next_word = following.group(1) if following else ""
    if _is_plural_verb(next_word, opens_sentence=False):
        return "informal"  # "ihr habt", "Ihr seid"
    previous = _previous_word(text, start)
    before = previous.group(1) if previous else ""
    verb_first = previous is not None and _opens_sentence(text, previous.start())
    verb_before = _is_plural_verb(before, opens_sentence=verb_first)
    if word == "ihr" and verb_before and verb_first:
        return "informal"  # a question: "Habt ihr Lust?"
    # The possessive (formal "Ihr", or "her"/"their") is always followed by what it
    # owns; followed by the end of a clause or a small function word, "ihr" is the
    # pronoun, and the plural "you" when a matching verb or a conjunction leads to it.
    gap = text[end : following.start(1)] if following else text[end:]
    pronoun = not next_word or bool(gap.strip()) or next_word in _NOT_OWNED
    if pronoun and (verb_before or before.casefold() in _CONJUNCTIONS):
        return "informal"  # "Was macht ihr?", "Kommt Ihr auch?", "wenn ihr uns besucht"
    if word == "Ihr" and not opens_sentence and not verb_first:
        return "formal"  # "für Ihr Vertrauen"; "Kommt Ihr Paket?" could be either
    return None


def _previous_word(text: str, end: int) -> re.Match[str] | None:
    """The last word before `end`, exactly as `_PREVIOUS_WORD_RE.search(text, 0, end)`
    finds it, but searched in a window growing back from `end`: a search from the start
    would try every position of the text before it for every "ihr"."""
    width = 64
    while True:
        low = max(0, end - width)
        found = _PREVIOUS_WORD_RE.search(text, low, end)
        # A match starting at `low` may be the tail of a longer word: look further back.
        if low == 0 or (found is not None and found.start() > low):
            return found
        width *= 4


def _is_plural_verb(word: str, opens_sentence: bool) -> bool:
    if word == "seid" or (opens_sentence and word == "Seid"):
        return True
    if len(word) <= 2 or not word.endswith("t"):
        return False
    return word.islower() or (opens_sentence and word[0].isupper() and word[1:].islower())


# Words that never follow a possessive "ihr" (it is followed by what is owned), so "ihr"
# before them is the pronoun.
_NOT_OWNED_WORDS = """
am im an auf aus bei mit nach von vor zu zum zur für in ins über unter schon noch auch
heute morgen jetzt gerade mal gern gerne alle beide selbst nicht wirklich denn doch
eigentlich dabei da hier dort den die das der dem des ein eine einen einem uns euch es
so wieder bald immer
"""
_NOT_OWNED = frozenset(_NOT_OWNED_WORDS.split())
_CONJUNCTION_WORDS = "wenn ob dass weil als was wie wo damit falls sobald bevor"
_CONJUNCTIONS = frozenset(_CONJUNCTION_WORDS.split())


def _opens_sentence(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and (text[position] in _TRANSPARENT_BEFORE or _is_symbol(text[position])):
        position -= 1
    return position < 0 or text[position] in _SENTENCE_OPENERS


def _is_symbol(character: str) -> bool:
    # Emoji and other symbols in front of a word do not continue a sentence.
    return unicodedata.category(character) in ("So", "Sk", "Mn", "Cf")


def find_banned_words(text: str, banned: tuple[str, ...]) -> list[str]:
    """The avoided words found in `text`, as written there, each once."""
    pattern = _banned_pattern(banned)
    if pattern is None:
        return []
    normalised = unicodedata.normalize("NFC", text)
    return list(dict.fromkeys(match.group() for match in pattern.finditer(normalised)))


def spelled(word: str) -> str:
    """A pattern for `word` (lowercase, NFC) that also accepts its other spellings."""
    pieces: list[str] = []
    index = 0
    while index < len(word):
        character = word[index]
        if word.startswith("ss", index):
            pieces.append("(?:ss|ß|ẞ)")
            index += 2
            continue
        if character.isspace():
            pieces.append(r"\s+")
            while index < len(word) and word[index].isspace():
                index += 1
            continue
        pieces.append(_SPELLINGS.get(character, re.escape(character)))
        index += 1
    return "".join(pieces)


_SPELLINGS = {
    "ä": "(?:ä|ae)",
    "ö": "(?:ö|oe)",
    "ü": "(?:ü|ue)",
    "ß": "(?:ß|ss|ẞ)",
}


@lru_cache(maxsize=64)
def _banned_pattern(banned: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for all words, whole words only.

    Umlauts also match their two-letter spelling ("günstig" finds "guenstig") and "ß"
    matches "ss", since both are common where a keyboard or a style guide lacks them.
    """
    alternatives = []
    for word in banned:
        cleaned = unicodedata.normalize("NFC", word.strip()).lower()
        if not cleaned:
            continue
        alternatives.append(spelled(cleaned))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
