"""Rule flags: phrasings that carry a label in German and English.

Measured on public data (see the research notes): a "?" alone recognises most questions,
wish and modal patterns most suggestions, and expectation-breach cues ("schon wieder",
"still not") add several points on complaints. The flags are features of the learned heads
and, because each has a sentence, the first half of every explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import emoji

from townsquare.inbox.triage.result import gettext_noop


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    reason: str
    pattern: re.Pattern[str]


def _words(*lines: str) -> re.Pattern[str]:
    """Whole-word alternatives separated by "|", case-insensitive; a trailing * allows any
    word ending. (Strings rather than one list item per word keep the lists readable.)"""
    alternatives = [word for line in lines for word in line.split("|")]
    parts = [
        re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)
        for word in alternatives
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


FLAGS: tuple[Flag, ...] = (
    Flag("question_mark_end", gettext_noop('"?" at the end'), re.compile(r"\?[\s\W]*$")),
    Flag("question_mark", gettext_noop('a "?" in the text'), re.compile(r"\?")),
    Flag(
        "question_opening",
        gettext_noop("opens like a question"),
        re.compile(
            r"^\W*(?:@\w+\s+)*(?:wie|was|warum|wieso|weshalb|wann|wo|wohin|woher|welche\w*|"
            r"gibt es|kann man|kann ich|könnt ihr|habt ihr|seid ihr|ist es|muss ich|"
            r"how|what|why|when|where|which|who|is there|are there|can i|can you|could you|"
            r"do you|does|did|will|is it|are you|should i|any idea)\b",
            re.IGNORECASE,
        ),
    ),
    Flag(
        "wish_or_modal",
        gettext_noop("a wish or proposal (should, would be nice, sollte, wäre schön...)"),
        _words(
            "should|would be nice|would be great|would be cool|it would help|please add",
            "please consider|please bring|could you add|why not|how about|what about adding",
            "i wish|i'd love|i would love|suggestion|suggest|idea|feature request",
            "consider adding|sollte|solltet|sollten|wäre schön|wäre toll|wäre super|wäre klasse",
            "wäre es|wäre cool|wäre praktisch|wäre hilfreich|könntet ihr|könnt ihr nicht",
            "wünsche mir|wünschen uns|wünschenswert|wie wäre es|warum nicht|vorschlag|idee",
            "fände es gut|fände ich gut|bitte einführen|bitte ergänzen|bitte hinzufügen",
            "bitte anbieten",
        ),
    ),
    Flag(
        "feature_request",
        gettext_noop("asks for a capability (option to, support for, Möglichkeit...)"),
        _words(
            "ability to|option to|possibility to|a way to|support for|allow us to|allow users to",
            "allow me to|make it possible|would like|would love to see|there should be",
            "it would be|it'd be|needs to be|need a|want to be able|be able to|please provide",
            "please allow|please support|please enable|please make|please include|add support",
            "add a|add an|add the|missing feature|möglichkeit|option|wäre es möglich|hätte gern",
            "hätte ich gern|bräuchte|es fehlt|fehlt noch|fehlt mir|ermöglichen|sollte es geben",
            "es sollte|gäbe|einbauen|anbieten|nachrüsten|unterstützen",
        ),
    ),
    Flag(
        "expectation_breach",
        gettext_noop("an expectation broken again (schon wieder, still not, seit Tagen...)"),
        _words(
            "again|still not|still no|still waiting|for days|for weeks|for hours|yet again",
            "third time|every time|nobody|no one|never|no response|no reply|still hasn't",
            "still haven't|schon wieder|wieder mal|mal wieder|seit tagen|seit wochen",
            "seit stunden|immer noch|noch immer|zum dritten mal|jedes mal|niemand|keiner|nie",
            "keine antwort|keine rückmeldung|bis heute",
        ),
    ),
    Flag(
        "problem_words",
        gettext_noop("words of a problem (broken, error, kaputt, funktioniert nicht...)"),
        _words(
            "broken|doesn't work|does not work|not working|isn't working|crash*|error|bug|fail*",
            "refund|cancel*|overcharged|charged twice|missing|late|delayed|lost|damaged|wrong",
            "down|outage|kaputt|funktioniert nicht|geht nicht|fehler|absturz|stürzt|erstattung",
            "kündig*|doppelt abgebucht|fehlt|verspät*|ausgefallen|ausfall|beschädigt|falsch",
            "störung|verloren|defekt",
        ),
    ),
    Flag(
        "negative_words",
        gettext_noop("negative words (terrible, disappointed, enttäuscht, Frechheit...)"),
        _words(
            "terrible|awful|worst|horrible|disappointed|disappointing|ridiculous|unacceptable",
            "useless|annoying|frustrat*|angry|pathetic|joke|sucks|hate|fed up|sadly",
            "unfortunately|schlecht|schlimm|enttäusch*|frechheit|unverschämt|ärgerlich|nervig",
            "katastroph*|inakzeptabel|unzumutbar|lächerlich|sauer|wütend|leider|schade|zumutung",
            "armselig|mies",
        ),
    ),
    Flag(
        "praise_words",
        gettext_noop("words of praise or thanks (thank you, great, danke, super...)"),
        _words(
            "thank*|thx|love|great|awesome|amazing|excellent|perfect|fantastic|kudos|well done",
            "best|brilliant|wonderful|helpful|appreciate*|impressed|keep it up|good job",
            "nice work|danke*|dankeschön|super|toll*|klasse|großartig|genial|spitze|top|perfekt",
            "lieb*|weiter so|hilfreich|begeistert|hervorragend|wunderbar|gerne wieder",
            "daumen hoch|freundlich",
        ),
    ),
    Flag(
        "negation",
        gettext_noop("a negation (not, nicht, kein...)"),
        _words("not", "no", "n't", "never", "nicht", "kein", "keine", "keinen", "nie"),
    ),
    Flag("exclamations", gettext_noop('several "!"'), re.compile(r"!{2,}|!.*!")),
    Flag(
        "shouting",
        gettext_noop("written in capitals"),
        re.compile(r"\b[A-ZÄÖÜ]{4,}\b.*\b[A-ZÄÖÜ]{4,}\b"),
    ),
    Flag("link", gettext_noop("contains a link"), re.compile(r"https?://|www\.", re.IGNORECASE)),
    Flag(
        "spam_cues",
        gettext_noop("advertising cues (follow me, DM me, crypto, Gewinnspiel...)"),
        _words(
            "follow me|follow back|check my profile|check out my|dm me|dm for|crypto|bitcoin|btc",
            "forex|giveaway|earn|per day|per week|click here|free followers|followers|promo code",
            "whatsapp|telegram|investment|invest|profit|cash app|onlyfans|link in bio",
            "sugar daddy|folgt mir|schau auf mein profil|gewinnspiel|verdienen|klick hier",
            "nebenverdienst|von zu hause|gratis|kostenlos|rabattcode|gutschein",
        ),
    ),
    Flag(
        "abuse_words",
        gettext_noop("insults or slurs (idiot, scum, Arschloch...)"),
        _words(
            "idiot*|stupid|moron*|retard*|scum|shut up|fuck*|f*ck|bitch|asshole|bastard|dumb",
            "loser*|trash|die in|kill yourself|kys|vollidiot*|arschloch|arschlöcher|wichser",
            "drecks*|fresse|halt die klappe|spast*|hurensohn|penner|missgeburt|verrecken",
            "abschaum|schwachkopf|dumm*|versager|scheiß*|scheiss*|lappen",
        ),
    ),
    Flag(
        "second_person_attack",
        gettext_noop("aimed at a person (you are..., ihr seid...)"),
        re.compile(
            r"\b(?:you(?:'re| are)|u r|ur|ihr seid|du bist|sie sind)\s+(?:\w+\s+){0,2}"
            r"(?:an?\s+)?(?:idiot\w*|stupid|morons?|scum|trash|pathetic|clowns?|dumm\w*|"
            r"unfähig\w*|witzfigur\w*|clowns?|versager|lächerlich|inkompetent\w*|incompetent)\b",
            re.IGNORECASE,
        ),
    ),
)

_POSITIVE_EMOJI = frozenset("😀😃😄😁😊🙂😍🥰😘❤💕💖💯👍👏🙏🎉🤩😎✨💪🥳☺♥")
_NEGATIVE_EMOJI = frozenset("😡😠🤬😤😞😢😭😩😫👎💩🙄😒😣😖😕☹🤮")

FLAG_CODES: tuple[str, ...] = (
    *(flag.code for flag in FLAGS),
    "positive_emoji",
    "negative_emoji",
    "emoji_only",
)
FLAG_REASONS: dict[str, str] = {
    **{flag.code: flag.reason for flag in FLAGS},
    "positive_emoji": gettext_noop("a positive emoji"),
    "negative_emoji": gettext_noop("a negative emoji"),
    "emoji_only": gettext_noop("emoji only"),
}


_WORD_CHARACTER = re.compile(r"\w")


def emoji_only(text: str) -> bool:
    if _WORD_CHARACTER.search(text):  # the common case, and far cheaper than the emoji scan
        return False
    stripped = emoji.replace_emoji(text, replace="").strip()
    return bool(text.strip()) and not re.search(r"\w", stripped)


def fired_flags(text: str) -> tuple[str, ...]:
    """The codes of the flags that fire on `text`, in FLAG_CODES order."""
    fired = [flag.code for flag in FLAGS if flag.pattern.search(text)]
    characters = set(text)
    if characters & _POSITIVE_EMOJI:
        fired.append("positive_emoji")
    if characters & _NEGATIVE_EMOJI:
        fired.append("negative_emoji")
    if emoji_only(text):
        fired.append("emoji_only")
    return tuple(fired)
