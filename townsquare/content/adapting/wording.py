"""Wording hints from the plan's tone: formality, call to action, words to prefer.

Hints only, like the other tone checks: the engine says what it noticed and which setting
of the plan made it look, and never rewrites the author's words.

Formality (casual, neutral or formal):
- German: the form of address is the plan's own setting (`address`, checked in `tone`).
  Only when the plan leaves it open ("any") does formality speak for it: a formal tone
  expects "Sie", so clear informal address (du, dich, euch...) is flagged; a casual tone
  usually says "du", so clear formal address (mid-sentence "Sie", "Ihnen", "Ihr") is
  flagged. What counts as clear is `tone.find_address`'s conservative reading: a "Sie" at
  the start of a sentence may mean "they" and counts for neither. A text mixing both forms
  is already reported by `tone`, so it gets no second hint here. When the plan's address
  says otherwise ("du" with a formal tone) the address wins: the plan chose it explicitly.
  A formal tone also flags a short list of unmistakably colloquial words (geil, krass...).
- English: a formal tone flags contractions (don't, we're) and a few slang words (gonna,
  lol), once, listing at most three.

Call to action: when the plan sets one for the network and the variant has none, a hint
carries the plan's text as a suggestion the composer can add with one click. A variant
has one when it holds a link (in the text, as a card or in the bio), the plan's own words,
or a common request to act: fixed phrases anywhere ("learn more", "mehr erfahren", "link
in bio") or an imperative opening a sentence ("Book", "Bestellen Sie"). The reading is
generous on purpose: a missed hint costs less than nagging about a post that has one.

Words to prefer: an entry "old -> new" (also "→" or "=>") is a replacement, hinted when
the text uses "old" as a whole word; plain entries are the brand's words, and a text with
none of them (a word starting with one counts: "Genuss" in "Genusses") gets one hint.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from townsquare.content.adapting import notes
from townsquare.content.adapting.model import Change, Language, StyleSettings
from townsquare.content.adapting.tokens import find_urls
from townsquare.content.adapting.tone import ToneReader, find_banned_words, spelled

MOST_LISTED = 3
MOST_PREFERRED_LISTED = 5

_SKIPPED_SPANS_RE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.@-]+")

_COLLOQUIAL_DE_RE = re.compile(
    r"(?<![\w-])(?:geil(?:e[mnrs]?)?|krass(?:e[mnrs]?)?|mega|chillen|chillig(?:e[mnrs]?)?"
    r"|nix|nee|lol|omg|btw|hey)(?![\w-])",
    re.IGNORECASE,
)
_APOSTROPHE = "['’]"
_CASUAL_EN_RE = re.compile(
    rf"(?<![\w'’])(?:[a-z]+n{_APOSTROPHE}t"
    rf"|(?:i|you|we|they|he|she|it|that|there|here|what|who|where|let){_APOSTROPHE}"
    r"(?:m|re|ve|ll|d|s)"
    rf"|gonna|wanna|gotta|kinda|sorta|y{_APOSTROPHE}all|lol|omg|btw|tbh|dunno|gimme|cuz|hey)"
    r"(?![\w'’])",
    re.IGNORECASE,
)

_PAIR_RE = re.compile(r"(.+?)\s*(?:->|→|=>)\s*(.+)")

# Requests to act, anywhere in the text.
_ACTION_PHRASES: dict[Language, re.Pattern[str]] = {
    "en": re.compile(
        r"(?<!\w)(?:link in (?:the )?bio|sign up|learn more|read more|find out|click|tap"
        r"|swipe up|get (?:yours|your|it|tickets)|(?:book|order|shop|buy|apply) (?:now|today)"
        r"|join us|contact us|call us|write to us|tell us|let us know|register|subscribe"
        r"|download|visit (?:us|our)|check (?:out|it out)|don['’]t miss|rsvp|try (?:it|our)"
        r"|follow us|comment below|dm us|get in touch)(?!\w)",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"(?<!\w)(?:link in (?:der )?bio|mehr (?:erfahren|dazu|infos?|lesen)"
        r"|(?:melde|meldet) (?:dich|euch) an|melden sie sich an|schreib(?:t)? uns"
        r"|schreiben sie uns|zum (?:shop|artikel|angebot|programm|beitrag)|hier entlang"
        # "Jetzt Tickets sichern", "hier anmelden": a pointer word, then (within three
        # words) a lowercase infinitive. Case-sensitive for the verb, so nouns do not count.
        r"|(?:jetzt|hier|gleich|direkt|heute noch|ab sofort)\s+(?:[\w-]+\s+){0,3}?"
        r"(?-i:[a-zäöüß]+(?:en|ern|eln)))(?!\w)",
        re.IGNORECASE,
    ),
}

# Imperatives that open a sentence. German stems take the du, ihr and Sie endings
# ("Bestell", "Bestelle", "Bestellt", "Bestellen Sie").
_IMPERATIVE_WORDS_EN = """
book order shop buy join visit try discover explore watch listen read learn grab get save
claim start download register subscribe apply follow share comment tell ask sign call
contact reserve meet come see check find head stop pick
"""
_IMPERATIVES_EN = frozenset(_IMPERATIVE_WORDS_EN.split())
_IMPERATIVE_STEMS_DE = """
bestell meld besuch schau probier sicher entdeck lies lest les hol kauf buch abonnier folg
teil kommentier schreib ruf lad frag erfahr klick tipp registrier bewirb bewerb reservier
komm sag verrat stimm nimm nehm antwort sieh seh hör schnapp gewinn nutz spar informier
kontaktier lass gönn mach
"""
# Forms that are more often a noun or an adjective at the start of a sentence ("Teil 2",
# "Laden", "Sicher ist", "Kauf auf Rechnung").
_NOT_IMPERATIVE_WORDS_DE = "teil teile laden sicher buch buche kauf ruf folge lasse"
_IMPERATIVES_DE = frozenset(
    form
    for stem in _IMPERATIVE_STEMS_DE.split()
    for form in (stem, stem + "e", stem + "t", stem + "et", stem + "en", stem + "n")
) - frozenset(_NOT_IMPERATIVE_WORDS_DE.split())
_IMPERATIVES: dict[Language, frozenset[str]] = {"en": _IMPERATIVES_EN, "de": _IMPERATIVES_DE}
_SENTENCE_BREAK_RE = re.compile(r"[.!?…:;\n]+")
_FIRST_WORD_RE = re.compile(r"[^\w]*(\w+)")


def check_wording(reader: ToneReader, style: StyleSettings) -> tuple[Change, ...]:
    """Formality and words-to-prefer hints for the text `reader` reads."""
    hints: list[Change] = []
    if style.formality != "neutral":
        hints.extend(_formality_hints(reader, style))
    if style.prefer_words:
        hints.extend(prefer_word_hints(reader.text, style.prefer_words))
    return tuple(hints)


def _formality_hints(reader: ToneReader, style: StyleSettings) -> list[Change]:
    hints: list[Change] = []
    masked = _masked(reader.text)
    if reader.language == "de":
        if style.address == "any":
            found = reader.address()
            informal, formal = list(found.informal), list(found.formal)
            if style.formality == "formal" and informal and not formal:
                hints.append(notes.formality_informal_address(informal[:MOST_LISTED]))
            elif style.formality == "casual" and formal and not informal:
                hints.append(notes.formality_formal_address(formal[:MOST_LISTED]))
        if style.formality == "formal":
            colloquial = _distinct(_COLLOQUIAL_DE_RE.findall(masked))
            if colloquial:
                hints.append(notes.formality_colloquial(colloquial[:MOST_LISTED]))
    elif style.formality == "formal":
        casual = _distinct(_CASUAL_EN_RE.findall(masked))
        if casual:
            hints.append(notes.formality_contractions(casual[:MOST_LISTED]))
    return hints


def prefer_word_hints(text: str, prefer_words: tuple[str, ...]) -> list[Change]:
    if not text.strip():
        return []
    pairs, plain = split_preferences(prefer_words)
    hints: list[Change] = []
    for old, new in pairs:
        found = find_banned_words(text, (old,))
        if found:
            hints.append(notes.prefer_word_instead(found[0], new))
        if len(hints) == MOST_LISTED:
            break
    if plain and not _uses_any(text, tuple(plain)):
        hints.append(notes.prefer_words_unused(plain[:MOST_PREFERRED_LISTED]))
    return hints


def split_preferences(entries: tuple[str, ...]) -> tuple[list[tuple[str, str]], list[str]]:
    """The plan's words to prefer as (instead of, prefer) pairs and plain words."""
    pairs: list[tuple[str, str]] = []
    plain: list[str] = []
    for entry in entries:
        cleaned = " ".join(entry.split())
        match = _PAIR_RE.fullmatch(cleaned)
        if match:
            pairs.append((match.group(1), match.group(2)))
        elif cleaned:
            plain.append(cleaned)
    return pairs, plain


def _uses_any(text: str, words: tuple[str, ...]) -> bool:
    pattern = _prefix_pattern(words)
    return pattern is not None and pattern.search(unicodedata.normalize("NFC", text)) is not None


@lru_cache(maxsize=64)
def _prefix_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    # A word counts where a word of the text starts with it: German inflects and compounds.
    alternatives = [
        spelled(unicodedata.normalize("NFC", word).lower()) for word in words if word.strip()
    ]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def check_call_to_action(
    text: str, language: Language, style: StyleSettings, network: str, has_link: bool
) -> tuple[Change, ...]:
    """A hint with the plan's call to action when the variant `text` has none."""
    wanted = " ".join(style.call_to_action.split())
    if not wanted or has_link or not text.strip():
        return ()
    if has_call_to_action(text, language, wanted):
        return ()
    return (notes.call_to_action_missing(wanted, network),)


def has_call_to_action(text: str, language: Language, wanted: str = "") -> bool:
    if find_urls(text):
        return True
    flat = _flat(text)
    own = _flat(wanted).strip(" .,!?…:;-–—")
    if own and own in flat:
        return True
    # A language without lists of its own (none today) is read with the English ones.
    phrases = _ACTION_PHRASES.get(language, _ACTION_PHRASES["en"])
    if phrases.search(_masked(text)):
        return True
    imperatives = _IMPERATIVES.get(language, _IMPERATIVES_EN)
    for sentence in _SENTENCE_BREAK_RE.split(_masked(text)):
        first = _FIRST_WORD_RE.match(sentence)
        if first and first.group(1).casefold() in imperatives:
            return True
    return False


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _masked(text: str) -> str:
    return _SKIPPED_SPANS_RE.sub(lambda match: " " * len(match.group()), text)


def _distinct(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))
