"""Which language a message is in: py3langid restricted to the languages a company's
social inbox plausibly receives, and "und" when there is too little text to tell."""

from __future__ import annotations

import re
import threading
from typing import Any

from townsquare.inbox.triage.result import UNDETERMINED_LANGUAGE, Label, gettext_noop

# Restricting the candidates is what makes short tweets work: with all 97 languages,
# "Danke!" comes out as Tagalog or Latin about as often as German.
LIKELY_LANGUAGES = (
    "de", "en", "fr", "es", "it", "nl", "pt", "pl", "tr", "sv", "da", "no", "fi",
    "cs", "hu", "ro", "el", "ru", "uk", "ar", "ja", "zh", "ko",
)  # fmt: skip
# German and English are first-class: when the evidence is thin, they win a close call.
PREFERRED = ("de", "en")
MIN_LETTERS = 3
MIN_CONFIDENCE = 0.5

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


# For a few words, py3langid's byte n-grams say little; the commonest words say more.
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SHORT_TEXT_WORDS = {
    "de": _word_set(
        "danke hallo bitte und der die das ist nicht ich wir ihr sie mein meine kein keine "
        "warum wann wie wo was gibt es geht gut toll klasse schade leider noch schon wieder "
        "mal auch aber bei mit für von zum zur endlich moin servus tschüss"
    ),
    "en": _word_set(
        "thanks thank hello hi please the and is not you we they my no why when how where "
        "what there does works good great love cool awesome sadly still again also but with "
        "for from finally cheers bye"
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_lock = threading.Lock()
_identifier: Any = None


def _get_identifier() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(LIKELY_LANGUAGES))
            _identifier = identifier
        return _identifier


def letters_in(text: str) -> int:
    return len(_LETTER.findall(text))


def detect_language(text: str) -> Label:
    """The ISO 639-1 code with a confidence, or "und" for too-short or emoji-only text."""
    cleaned = _NOISE.sub(" ", text)
    if letters_in(cleaned) < MIN_LETTERS:
        return Label(UNDETERMINED_LANGUAGE, 1.0, (gettext_noop("too little text to tell"),))
    words = [word.lower() for word in _WORD.findall(cleaned)]
    if len(words) <= 3:
        votes = {
            code: sum(word in lexicon for word in words)
            for code, lexicon in _SHORT_TEXT_WORDS.items()
        }
        best_code = max(votes, key=lambda code: votes[code])
        if votes[best_code] and list(votes.values()).count(votes[best_code]) == 1:
            return Label(best_code, 0.6, (gettext_noop("common words of a short text"),))
    ranked = _get_identifier().rank(cleaned)
    best, confidence = ranked[0]
    if confidence < MIN_CONFIDENCE:
        preferred = [(code, score) for code, score in ranked[:3] if code in PREFERRED]
        if preferred:
            code, score = preferred[0]
            return Label(code, round(float(score), 3), (gettext_noop("short text: a close call"),))
        return Label(
            UNDETERMINED_LANGUAGE, round(float(confidence), 3), (gettext_noop("no clear language"),)
        )
    return Label(
        best, round(float(confidence), 3), (gettext_noop("character n-grams (py3langid)"),)
    )
