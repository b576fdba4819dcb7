"""Choosing a head's regularisation and its decision offsets on its own training examples.

A head is a balanced logistic regression, which suits macro-F1 but not every use: accuracy
wants the common classes back, and the F1 of one class wants its own threshold. So a third
of the training examples is held out and scored by regressions fitted on the rest; on those
scores we pick the regularisation strength (no one strength suits every task: on the
benchmark's sentiment data C=1 did best, on suggestions C=4) and, for accuracy or the F1 of
one label, one additive offset per class. For macro-F1 the balanced weights already are the
right prior: offsets tuned for it cost 1-2 points on the development data, so none are
kept. The offsets are folded into the head's intercept, so a stored model predicts with
them and its file format is unchanged. Nothing but the training examples is looked at.

One held-out third rather than three folds: four fits per head instead of ten, which matters
for a workspace's model retrained on every batch of corrections.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedShuffleSplit

OBJECTIVES = ("macro_f1", "accuracy")  # or "f1:<label>": the F1 of that one label
DEFAULT_OBJECTIVE = "macro_f1"
HELD_OUT_SHARE = 1 / 3
# Fewer examples than this in some label and the folds would say more about chance than
# about the data: the head then keeps the default strength and no offsets.
MIN_EXAMPLES_PER_LABEL = 10
OFFSET_STEPS = np.round(np.arange(-1.5, 1.5001, 0.1), 2)
OFFSET_ROUNDS = 2


@dataclass(frozen=True)
class Tuning:
    regularisation: float
    offsets: np.ndarray  # (k,), added to the class scores
    objective_score: float | None  # on the out-of-fold scores; None when not tuned


def check_objective(objective: str, classes: Sequence[str]) -> None:
    if objective in OBJECTIVES:
        return
    if objective.startswith("f1:") and objective[3:] in classes:
        return
    raise ValueError(
        f"objective must be one of {', '.join(OBJECTIVES)} or f1:<label> of a trained label"
    )


def _scorer(objective: str, gold: np.ndarray, classes: Sequence[str]) -> Callable[..., float]:
    """objective(predicted class indices) on integer-coded gold labels, in plain numpy."""
    k = len(classes)
    gold_counts = np.bincount(gold, minlength=k).astype(np.float64)

    def per_class_f1(predicted: np.ndarray) -> np.ndarray:
        hits = np.bincount(gold[predicted == gold], minlength=k).astype(np.float64)
        predicted_counts = np.bincount(predicted, minlength=k).astype(np.float64)
        denominator = gold_counts + predicted_counts
        return np.divide(2 * hits, denominator, out=np.zeros(k), where=denominator > 0)

    if objective == "accuracy":
        return lambda predicted: float(np.mean(predicted == gold))
    if objective.startswith("f1:"):
        target = list(classes).index(objective[3:])
        return lambda predicted: float(per_class_f1(predicted)[target])
    return lambda predicted: float(np.mean(per_class_f1(predicted)))


def best_offsets(
    scores: np.ndarray, gold: np.ndarray, classes: Sequence[str], objective: str
) -> tuple[np.ndarray, float]:
    """Per-class offsets (the first class stays at 0) by coordinate search, and their score."""
    score = _scorer(objective, gold, classes)
    offsets = np.zeros(scores.shape[1])
    best = score((scores + offsets).argmax(axis=1))
    for _ in range(OFFSET_ROUNDS):
        improved = False
        for column in range(1, scores.shape[1]):
            for step in OFFSET_STEPS:
                trial = offsets.copy()
                trial[column] = step
                value = score((scores + trial).argmax(axis=1))
                # Strictly better, or as good and nearer zero: ties keep the plain model.
                if value > best + 1e-9 or (
                    value > best - 1e-9 and abs(step) < abs(offsets[column])
                ):
                    best, offsets, improved = value, trial, True
        if not improved:
            break
    return offsets, best


def two_column(scores: np.ndarray) -> np.ndarray:
    """A binary regression's one decision value as two symmetric class scores."""
    if scores.ndim == 1:
        return np.column_stack([-scores / 2, scores / 2])
    return scores


def regression(regularisation: float, max_iterations: int) -> LogisticRegression:
    return LogisticRegression(C=regularisation, max_iter=max_iterations, class_weight="balanced")


def tune(
    matrix: sp.csr_matrix,
    labels: Sequence[str],
    objective: str,
    candidates: Sequence[float],
    max_iterations: int,
) -> Tuning:
    """The regularisation among `candidates` and the offsets that serve `objective` best."""
    classes = sorted(set(labels))
    index = {label: i for i, label in enumerate(classes)}
    gold = np.array([index[label] for label in labels], dtype=np.intp)
    if np.bincount(gold).min() < MIN_EXAMPLES_PER_LABEL:
        return Tuning(candidates[0], np.zeros(len(classes)), None)
    fit_rows, held_rows = next(
        StratifiedShuffleSplit(1, test_size=HELD_OUT_SHARE, random_state=0).split(
            np.zeros(len(gold)), gold
        )
    )
    plain = np.zeros(len(classes))
    best: Tuning | None = None
    for strength in candidates:
        classifier = regression(strength, max_iterations)
        classifier.fit(matrix[fit_rows], gold[fit_rows])
        scores = two_column(classifier.decision_function(matrix[held_rows]))
        if objective == DEFAULT_OBJECTIVE:
            offsets, value = (
                plain,
                _scorer(objective, gold[held_rows], classes)(scores.argmax(axis=1)),
            )
        else:
            offsets, value = best_offsets(scores, gold[held_rows], classes, objective)
        if best is None or value > (best.objective_score or 0.0) + 1e-9:
            best = Tuning(strength, offsets, value)
    assert best is not None
    return best
