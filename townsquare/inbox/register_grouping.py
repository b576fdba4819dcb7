"""Grouping feedback into topics by the meaning of its sentences. Pure: numpy only.

Each topic keeps the mean of its items' (L2-normalised) sentence embeddings; a new item joins
the topic whose centroid is nearest by cosine when that similarity reaches SAME_TOPIC, else it
starts a topic of its own. The threshold was tuned on German and English pairs: the same
concern in other words ("When will the app support dark mode?" / "Is there any plan for a dark
theme?", "Mein Paket ist nach zwei Wochen nicht da" / "Warte seit 14 Tagen auf meine
Lieferung") scored 0.47-0.64, also across the two languages (0.82); different concerns
(dark mode / a late parcel, opening hours / prices) scored 0.06-0.26.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

SAME_TOPIC = 0.42
TITLE_LENGTH = 80

_LINK = re.compile(r"https?://\S+")
_HANDLE = re.compile(r"(?<!\w)@[\w.:-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPACE = re.compile(r"\s+")


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype=np.float32)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def nearest_topic(
    vector: np.ndarray,
    centroids: Sequence[tuple[int, np.ndarray]],
    threshold: float = SAME_TOPIC,
) -> int | None:
    """The id of the topic whose centroid is nearest by cosine, if near enough; else None."""
    if not centroids:
        return None
    matrix = np.stack([_unit(centroid) for _id, centroid in centroids])
    similarities = matrix @ _unit(vector)
    best = int(np.argmax(similarities))
    return centroids[best][0] if float(similarities[best]) >= threshold else None


def unit_rows(vectors: Sequence[np.ndarray]) -> np.ndarray:
    """The vectors as the unit rows of one matrix (read once, compared with many items)."""
    if not vectors:
        return np.zeros((0, 0), dtype=np.float32)
    matrix = np.stack(vectors).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def nearest_row(
    matrix: np.ndarray, vector: np.ndarray, threshold: float = SAME_TOPIC
) -> int | None:
    """The row of `matrix` (unit rows) nearest to `vector` by cosine, if near enough."""
    if not len(matrix):
        return None
    similarities = matrix @ _unit(vector)
    best = int(np.argmax(similarities))
    return best if float(similarities[best]) >= threshold else None


def mean_centroid(vectors: Sequence[np.ndarray]) -> np.ndarray | None:
    """The normalised mean of the items' embeddings (after a merge or a split)."""
    if not vectors:
        return None
    return _unit(np.mean(np.stack(vectors), axis=0)).astype(np.float32)


def add_to_centroid(centroid: np.ndarray | None, count: int, vector: np.ndarray) -> np.ndarray:
    """The centroid after one more item joined the `count` it was the mean of."""
    if centroid is None or count <= 0:
        return _unit(vector).astype(np.float32)
    return _unit((centroid * count + _unit(vector)) / (count + 1)).astype(np.float32)


def clean_text(text: str) -> str:
    """The words a person wrote, without links and @handles."""
    text = _HANDLE.sub(" ", _LINK.sub(" ", text))
    return _SPACE.sub(" ", text).strip(" ,;:-")


def topic_title(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title from the first item: its first sentence, shortened at a word."""
    cleaned = clean_text(text)
    first = _SENTENCE_END.split(cleaned, maxsplit=1)[0] if cleaned else ""
    if len(first) <= limit:
        return first or "…"
    cut = first[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def group(vectors: np.ndarray, threshold: float = SAME_TOPIC) -> list[int]:
    """Group a batch of embeddings as record_new would, one after the other: the group index
    of each row (used to check the threshold on examples)."""
    centroids: list[tuple[int, np.ndarray]] = []
    counts: list[int] = []
    labels: list[int] = []
    for vector in vectors:
        found = nearest_topic(vector, centroids, threshold)
        if found is None:
            found = len(centroids)
            centroids.append((found, _unit(vector)))
            counts.append(1)
        else:
            centroids[found] = (found, add_to_centroid(centroids[found][1], counts[found], vector))
            counts[found] += 1
        labels.append(found)
    return labels
