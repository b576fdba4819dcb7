"""How alike two post texts are, for the near-duplicate warning. Pure: no Django.

Texts are normalised (case folded, links reduced to their host, punctuation and hashtags'
"#" dropped, whitespace collapsed) and compared two ways: the Jaccard index of their word
3-shingles (order-aware, robust to a changed ending) and difflib's ratio of the normalised
strings (catches short texts that have too few shingles). The higher of the two counts.

THRESHOLD = 0.8: at 0.8 and above a text counts as a near-duplicate. That is what a
reworded greeting or an added hashtag keeps ("Montagsfrage: Was ist euer Lieblingskaffee?"
against the same text with " #kaffee" scores about 0.9), while two posts of the same series
on different topics stay well below (about 0.3 to 0.6).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

THRESHOLD = 0.8
SHINGLE = 3
# Beyond this many characters only the start is compared: a duplicate shows early, and
# difflib's cost grows with the square of the length.
MAX_COMPARED_CHARS = 2000

_URL = re.compile(r"https?://([^/\s]+)\S*", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[: MAX_COMPARED_CHARS * 2]).casefold()
    text = _URL.sub(lambda m: " " + m.group(1) + " ", text)
    text = _NON_WORD.sub(" ", text)
    return _SPACE.sub(" ", text).strip()[:MAX_COMPARED_CHARS]


def shingles(words: list[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def similarity(a: str, b: str) -> float:
    """0.0 (nothing in common) to 1.0 (the same once normalised)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    sa, sb = shingles(na.split()), shingles(nb.split())
    jaccard = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    ratio = difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    return max(jaccard, ratio)


def is_near_duplicate(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    return similarity(a, b) >= threshold
