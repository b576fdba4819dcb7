"""Classifier heads and the model that carries them.

A head is a logistic regression over [embedding | rule flags | prior | word TF-IDF | char
TF-IDF]. scikit-learn fits it; prediction is a few numpy products of our own, so a loaded
model and a freshly trained one take the same path, and a model is plain arrays plus JSON
(no pickle: a model file can be loaded without trusting it to run code).

A head trained "on top of" a base model reads the base head's log-probabilities as extra
features: a workspace's few dozen corrections then adjust the default rather than replace
it with a model that only knows those few dozen examples.

Each head chooses its regularisation strength and per-class decision offsets on a held-out
third of its own training examples, for the objective the caller names (see
tuning.py); the offsets live in the intercept.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from townsquare.inbox.triage.features import (
    CHAR_FEATURES,
    WORD_FEATURES,
    TextFeatures,
    document_frequency_idf,
    tfidf,
)
from townsquare.inbox.triage.tuning import DEFAULT_OBJECTIVE, check_objective, regression, tune

TASKS = ("category", "sentiment", "spam")
FORMAT = 1
REGULARISATION_C = 4.0
# Tried in this order on a held-out third of the examples; the first is kept when there
# are too few examples to choose.
REGULARISATION_CANDIDATES = (REGULARISATION_C, 1.0, 16.0)
PRIOR_WEIGHT = 0.5
MAX_ITERATIONS = 3000


class ModelFormatError(ValueError):
    """The bytes are not a triage model this version can read."""


@dataclass(frozen=True, eq=False)
class Head:
    classes: tuple[str, ...]
    dense_coef: np.ndarray  # (k, embedding + flags + prior)
    intercept: np.ndarray  # (k,)
    word_idf: np.ndarray  # (WORD_FEATURES,)
    char_idf: np.ndarray  # (CHAR_FEATURES,)
    word_coef: np.ndarray  # (WORD_FEATURES, k)
    char_coef: np.ndarray  # (CHAR_FEATURES, k)
    prior: Head | None = None

    def scores(self, features: TextFeatures) -> tuple[np.ndarray, sp.csr_matrix]:
        """Class scores (n, k) and the word TF-IDF rows (kept for the explanations)."""
        dense = features.dense()
        if self.prior is not None:
            dense = np.hstack([dense, _prior_features(self.prior, features)])
        words = tfidf(features.word_counts, self.word_idf)
        chars = tfidf(features.char_counts, self.char_idf)
        scores = dense @ self.dense_coef.T + words @ self.word_coef + chars @ self.char_coef
        return np.asarray(scores + self.intercept, dtype=np.float64), words

    def probabilities(self, features: TextFeatures) -> tuple[np.ndarray, sp.csr_matrix]:
        scores, words = self.scores(features)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True), words


def _prior_features(prior: Head, features: TextFeatures) -> np.ndarray:
    probabilities, _ = prior.probabilities(features)
    logs = np.log(np.clip(probabilities, 1e-6, 1.0))
    centred: np.ndarray = PRIOR_WEIGHT * (logs - logs.mean(axis=1, keepdims=True))
    return centred.astype(np.float32)


def fit_head(
    features: TextFeatures,
    labels: Sequence[str],
    prior: Head | None = None,
    regularisation: float | None = None,
    objective: str = DEFAULT_OBJECTIVE,
) -> Head:
    """A head for `labels`, tuned for `objective` ("macro_f1", "accuracy" or "f1:<label>").

    With `regularisation` given, that strength is used as it is and no offsets are tuned.
    """
    classes = tuple(sorted(set(labels)))
    if len(classes) < 2:
        raise ValueError("training needs examples of at least two labels")
    check_objective(objective, classes)
    word_idf, word_default = document_frequency_idf(features.word_counts)
    char_idf, char_default = document_frequency_idf(features.char_counts)
    dense = features.dense()
    if prior is not None:
        dense = np.hstack([dense, _prior_features(prior, features)])
    matrix = sp.hstack(
        [
            sp.csr_matrix(dense),
            tfidf(features.word_counts, word_idf),
            tfidf(features.char_counts, char_idf),
        ],
        format="csr",
    )
    offsets = np.zeros(len(classes))
    if regularisation is None:
        # The held-out third shares the IDF of all examples: document frequencies use no
        # labels, and one TF-IDF matrix sliced by rows is far cheaper than one per split.
        chosen = tune(matrix, labels, objective, REGULARISATION_CANDIDATES, MAX_ITERATIONS)
        regularisation, offsets = chosen.regularisation, chosen.offsets
    classifier = regression(regularisation, MAX_ITERATIONS)
    classifier.fit(matrix, list(labels))
    coef = classifier.coef_.astype(np.float32)
    intercept = classifier.intercept_.astype(np.float64)
    if len(classes) == 2:
        # Binary regression keeps one row; two symmetric rows make softmax give the same odds.
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    intercept = intercept + offsets  # classifier.classes_ is sorted, as `classes` is
    width = dense.shape[1]
    return Head(
        classes=tuple(str(label) for label in classifier.classes_),
        dense_coef=np.ascontiguousarray(coef[:, :width]),
        intercept=intercept,
        word_idf=np.where(word_idf < word_default, word_idf, word_default).astype(np.float32),
        char_idf=np.where(char_idf < char_default, char_idf, char_default).astype(np.float32),
        word_coef=np.ascontiguousarray(coef[:, width : width + WORD_FEATURES].T),
        char_coef=np.ascontiguousarray(coef[:, width + WORD_FEATURES :].T),
        prior=prior,
    )


class TriageModel:
    """Trained heads by task (category, sentiment, spam) and a version naming their content."""

    def __init__(self, heads: dict[str, Head]) -> None:
        unknown = set(heads) - set(TASKS)
        if unknown:
            raise ValueError(f"unknown task(s): {', '.join(sorted(unknown))}")
        self.heads = dict(heads)
        self._bytes = _serialise(self.heads)
        self.version = "triage-" + hashlib.sha256(self._bytes).hexdigest()[:12]

    def to_bytes(self) -> bytes:
        return self._bytes

    @classmethod
    def from_bytes(cls, data: bytes) -> TriageModel:
        return cls(_deserialise(data))

    def with_head(self, task: str, head: Head) -> TriageModel:
        return TriageModel({**self.heads, task: head})

    def __repr__(self) -> str:
        return f"TriageModel({self.version}, tasks={sorted(self.heads)})"


def _head_arrays(head: Head, prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, object]:
    word_seen = np.flatnonzero(head.word_idf < head.word_idf.max()).astype(np.int32)
    char_seen = np.flatnonzero(head.char_idf < head.char_idf.max()).astype(np.int32)
    arrays[prefix + "dense_coef"] = head.dense_coef.astype(np.float32)
    arrays[prefix + "intercept"] = head.intercept.astype(np.float64)
    arrays[prefix + "word_seen"] = word_seen
    arrays[prefix + "word_idf"] = head.word_idf[word_seen]
    arrays[prefix + "word_coef"] = head.word_coef[word_seen]
    arrays[prefix + "char_seen"] = char_seen
    arrays[prefix + "char_idf"] = head.char_idf[char_seen]
    arrays[prefix + "char_coef"] = head.char_coef[char_seen]
    return {
        "classes": list(head.classes),
        "word_idf_unseen": float(head.word_idf.max()),
        "char_idf_unseen": float(head.char_idf.max()),
        "prior": (
            _head_arrays(head.prior, prefix + "prior.", arrays) if head.prior is not None else None
        ),
    }


def _serialise(heads: dict[str, Head]) -> bytes:
    arrays: dict[str, np.ndarray] = {}
    meta = {
        "format": FORMAT,
        "heads": {task: _head_arrays(heads[task], task + ".", arrays) for task in sorted(heads)},
    }
    arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)
    # An .npz written by hand: numpy's own writer stamps each member with the current time,
    # and the version (a hash of these bytes) must not change when nothing else did.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            array = np.ascontiguousarray(arrays[name])
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def _expand(size: int, seen: np.ndarray, values: np.ndarray, fill: float) -> np.ndarray:
    full = np.full(size, fill, dtype=np.float32)
    full[seen] = values
    return full


def _head_from(meta: dict[str, object], prefix: str, arrays: dict[str, np.ndarray]) -> Head:
    classes = tuple(str(label) for label in meta["classes"])  # type: ignore[attr-defined]
    k = len(classes)
    word_seen, char_seen = arrays[prefix + "word_seen"], arrays[prefix + "char_seen"]
    word_coef = np.zeros((WORD_FEATURES, k), dtype=np.float32)
    word_coef[word_seen] = arrays[prefix + "word_coef"]
    char_coef = np.zeros((CHAR_FEATURES, k), dtype=np.float32)
    char_coef[char_seen] = arrays[prefix + "char_coef"]
    prior_meta = meta.get("prior")
    return Head(
        classes=classes,
        dense_coef=arrays[prefix + "dense_coef"],
        intercept=arrays[prefix + "intercept"],
        word_idf=_expand(
            WORD_FEATURES,
            word_seen,
            arrays[prefix + "word_idf"],
            float(meta["word_idf_unseen"]),  # type: ignore[arg-type]
        ),
        char_idf=_expand(
            CHAR_FEATURES,
            char_seen,
            arrays[prefix + "char_idf"],
            float(meta["char_idf_unseen"]),  # type: ignore[arg-type]
        ),
        word_coef=word_coef,
        char_coef=char_coef,
        prior=(
            _head_from(prior_meta, prefix + "prior.", arrays)  # type: ignore[arg-type]
            if prior_meta
            else None
        ),
    )


def _deserialise(data: bytes) -> dict[str, Head]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
    except Exception as error:  # zip, npz and JSON each raise their own kinds
        raise ModelFormatError(f"not a triage model: {error}") from error
    if meta.get("format") != FORMAT:
        raise ModelFormatError(f"unsupported triage model format {meta.get('format')!r}")
    try:
        return {
            task: _head_from(head_meta, task + ".", arrays)
            for task, head_meta in meta["heads"].items()
        }
    except (KeyError, IndexError, ValueError, TypeError) as error:
        raise ModelFormatError(f"incomplete triage model: {error}") from error
