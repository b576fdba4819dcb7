"""triage_texts, train and evaluate: the engine's three entry points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from threadpoolctl import threadpool_limits

from townsquare.inbox.triage.explain import reasons_for
from townsquare.inbox.triage.features import MAX_TRIAGE_CHARS, TextFeatures, extract
from townsquare.inbox.triage.language import detect_language, letters_in
from townsquare.inbox.triage.model import TASKS, Head, TriageModel, fit_head
from townsquare.inbox.triage.result import (
    UNDEFINED_SENTIMENT,
    UNDETERMINED_LANGUAGE,
    Label,
    MessageContext,
    TriageResult,
    gettext_noop,
)
from townsquare.inbox.triage.tuning import DEFAULT_OBJECTIVE
from townsquare.inbox.triage.urgency import score_urgency

# Fixed text (not formatted from MAX_TRIAGE_CHARS) so that it can be translated as it is.
TRUNCATED_REASON = gettext_noop("only the first 5,000 characters were read")
# Fewer words than this and no telling emoji: sentiment is "undefined" rather than a guess.
MIN_WORDS_FOR_SENTIMENT = 2
MAX_TRAINING_EXAMPLES = 200_000


def _resolve(model: TriageModel | None) -> TriageModel:
    if model is not None:
        return model
    from townsquare.inbox.triage.default import default_model

    return default_model()


def _head(model: TriageModel, task: str) -> Head:
    """The model's head for `task`, else the shipped one (a model may carry only some)."""
    if task in model.heads:
        return model.heads[task]
    return _resolve(None).heads[task]


def _empty_result(version: str) -> TriageResult:
    nothing = (gettext_noop("empty message"),)
    return TriageResult(
        language=Label(UNDETERMINED_LANGUAGE, 1.0, nothing),
        category=Label("other", 1.0, nothing),
        sentiment=Label(UNDEFINED_SENTIMENT, 1.0, nothing),
        spam=Label("ok", 1.0, nothing),
        urgency=score_urgency("", complaint_probability=0.0, negative_probability=0.0),
        model_version=version,
    )


class _HeadOutput:
    """One head's probabilities over a batch, with what is needed to explain them."""

    def __init__(self, head: Head, features: TextFeatures) -> None:
        self.head = head
        self.features = features
        self.probabilities, self.words = head.probabilities(features)

    def label(self, row: int, extra_reasons: tuple[str, ...] = ()) -> Label:
        index = int(np.argmax(self.probabilities[row]))
        reasons = reasons_for(self.head, self.features, self.words, row, index)
        return Label(
            self.head.classes[index],
            round(float(self.probabilities[row, index]), 3),
            reasons + extra_reasons,
        )

    def probability(self, row: int, label: str) -> float:
        if label not in self.head.classes:
            return 0.0
        return float(self.probabilities[row, self.head.classes.index(label)])


def _too_short_for_sentiment(text: str, fired: tuple[str, ...]) -> bool:
    if "positive_emoji" in fired or "negative_emoji" in fired:
        return False
    return len(text.split()) < MIN_WORDS_FOR_SENTIMENT or letters_in(text) < 3


def triage_texts(
    texts: Sequence[str],
    contexts: Sequence[MessageContext] | None = None,
    model: TriageModel | None = None,
    embeddings: np.ndarray | None = None,
) -> list[TriageResult]:
    """Language, category, sentiment, spam/abuse and urgency of each text, explained.
    `embeddings` (features.embed of the same texts, one row each) may be passed when the
    caller needs them too: ingest hands them on to the feedback register."""
    if contexts is not None and len(contexts) != len(texts):
        raise ValueError("contexts must be as many as texts")
    if embeddings is not None and len(embeddings) != len(texts):
        raise ValueError("embeddings must be as many as texts")
    resolved = _resolve(model)
    with threadpool_limits(limits=1):
        return _triage(texts, contexts, resolved, embeddings)


def _triage(
    texts: Sequence[str],
    contexts: Sequence[MessageContext] | None,
    resolved: TriageModel,
    embeddings: np.ndarray | None = None,
) -> list[TriageResult]:
    results: list[TriageResult | None] = [None] * len(texts)
    rows = [i for i, text in enumerate(texts) if text.strip()]
    for i, text in enumerate(texts):
        if not text.strip():
            results[i] = _empty_result(resolved.version)
    if rows:
        features = extract(
            [texts[i] for i in rows], None if embeddings is None else embeddings[rows]
        )
        outputs = {task: _HeadOutput(_head(resolved, task), features) for task in TASKS}
        for row, i in enumerate(rows):
            results[i] = _result(texts[i], row, features, outputs, contexts, i, resolved.version)
    return [result for result in results if result is not None]


def _result(
    text: str,
    row: int,
    features: TextFeatures,
    outputs: dict[str, _HeadOutput],
    contexts: Sequence[MessageContext] | None,
    index: int,
    version: str,
) -> TriageResult:
    read = text[:MAX_TRIAGE_CHARS]
    truncated = (TRUNCATED_REASON,) if len(text) > MAX_TRIAGE_CHARS else ()
    sentiment_output = outputs["sentiment"]
    if _too_short_for_sentiment(read, features.fired[row]):
        sentiment = Label(UNDEFINED_SENTIMENT, 1.0, (gettext_noop("too short to tell"),))
    else:
        sentiment = sentiment_output.label(row, truncated)
    urgency = score_urgency(
        read,
        complaint_probability=outputs["category"].probability(row, "complaint"),
        negative_probability=sentiment_output.probability(row, "negative"),
        context=contexts[index] if contexts is not None else None,
    )
    return TriageResult(
        language=detect_language(read),
        category=outputs["category"].label(row, truncated),
        sentiment=sentiment,
        spam=outputs["spam"].label(row, truncated),
        urgency=urgency,
        model_version=version,
    )


def _validated(examples: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for text, label in examples:
        if not isinstance(text, str) or not isinstance(label, str) or not label.strip():
            raise ValueError("each example needs a text and a non-empty label")
        texts.append(text[:MAX_TRIAGE_CHARS])
        labels.append(label.strip())
    if len(texts) > MAX_TRAINING_EXAMPLES:
        raise ValueError(f"at most {MAX_TRAINING_EXAMPLES:,} examples can be trained on at once")
    if len(set(labels)) < 2:
        raise ValueError("training needs examples of at least two different labels")
    return texts, labels


def train(
    examples: Sequence[tuple[str, str]],
    base: TriageModel | None = None,
    task: str = "category",
    *,
    stack_on_base: bool = True,
    features: TextFeatures | None = None,
    objective: str = DEFAULT_OBJECTIVE,
) -> TriageModel:
    """A new model whose `task` head is trained on `examples` (text, label).

    With a `base`, its other heads are kept, and (unless stack_on_base is False) the new head
    reads the base head's opinion as a feature, so a few corrections adjust the base's
    judgement instead of starting from nothing. `features` may carry precomputed features
    of the same texts (the benchmark reuses them across folds). The head's regularisation
    and decision offsets are chosen on the examples for `objective`: "macro_f1" (every label
    counts alike), "accuracy", or "f1:<label>" (that one label matters).
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}")
    texts, labels = _validated(examples)
    features = features if features is not None else extract(texts)
    prior = base.heads.get(task) if base is not None and stack_on_base else None
    with threadpool_limits(limits=1):
        head = fit_head(features, labels, prior=prior, objective=objective)
    if base is None:
        return TriageModel({task: head})
    return base.with_head(task, head)


def predict_labels(
    model: TriageModel, texts: Sequence[str], task: str, features: TextFeatures | None = None
) -> list[tuple[str, float]]:
    """The raw head's label and confidence per text (no "undefined" or empty-text rules)."""
    head = _head(model, task)
    if not texts:
        return []
    features = features if features is not None else extract(list(texts))
    probabilities, _ = head.probabilities(features)
    best = probabilities.argmax(axis=1)
    return [(head.classes[int(b)], float(probabilities[i, int(b)])) for i, b in enumerate(best)]


def evaluate(
    model: TriageModel, examples: Sequence[tuple[str, str]], task: str = "category"
) -> dict[str, object]:
    """accuracy, macro_f1 and per_class_f1 of the model's `task` head on (text, label) pairs."""
    texts, gold = _validated(examples) if examples else ([], [])
    predicted = [label for label, _ in predict_labels(model, texts, task)]
    return scores(gold, predicted)


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, object]:
    labels = sorted(set(gold) | set(predicted))
    per_class = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    return {
        "examples": len(gold),
        "accuracy": float(accuracy_score(gold, predicted)) if gold else 0.0,
        "macro_f1": float(np.mean(per_class)) if labels else 0.0,
        "per_class_f1": {label: float(f) for label, f in zip(labels, per_class, strict=True)},
    }
