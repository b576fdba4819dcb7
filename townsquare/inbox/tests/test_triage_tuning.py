"""A head chooses its regularisation and decision offsets on its own examples, for the
objective it is trained for, and keeps them in the model it is saved in."""

import numpy as np
import pytest
import scipy.sparse as sp

from townsquare.inbox.triage import TriageModel
from townsquare.inbox.triage import model as model_module
from townsquare.inbox.triage.features import EMBEDDING_SIZE, extract
from townsquare.inbox.triage.model import REGULARISATION_CANDIDATES, fit_head
from townsquare.inbox.triage.tuning import Tuning, best_offsets, check_objective, tune


def _features(texts):
    # Zero embeddings: these tests are about the tuning, not about sentence meaning.
    return extract(texts, embeddings=np.zeros((len(texts), EMBEDDING_SIZE), dtype=np.float32))


def test_offsets_move_the_decision_toward_the_label_whose_f1_is_wanted():
    # A rare label that the scores rank well but never quite to the top.
    gold = np.array([0] * 90 + [1] * 10)
    scores = np.zeros((100, 2))
    scores[:, 1] = np.r_[np.linspace(-3, -1.2, 90), np.linspace(-0.8, -0.1, 10)]
    offsets, f1 = best_offsets(scores, gold, ["other", "rare"], "f1:rare")
    assert offsets[0] == 0.0
    assert 0.1 < offsets[1] <= 1.2
    assert f1 == 1.0


def test_accuracy_keeps_the_common_label_where_macro_f1_would_give_way():
    rng = np.random.default_rng(0)
    gold = np.array([0] * 150 + [1] * 50)
    # Overlapping scores pushed toward the rare label, as a balanced regression does.
    scores = np.zeros((200, 2))
    scores[:, 1] = rng.normal(np.where(gold == 1, 1.0, 0.3), 1.0)
    accuracy_offsets, accuracy = best_offsets(scores, gold, ["a", "b"], "accuracy")
    plain_accuracy = float(np.mean(scores.argmax(axis=1) == gold))
    assert accuracy_offsets[1] < 0
    assert accuracy > plain_accuracy


def test_no_offset_is_chosen_when_none_improves_the_objective():
    gold = np.array([0, 1] * 20)
    scores = np.column_stack([-(gold - 0.5), gold - 0.5])
    offsets, score = best_offsets(scores, gold, ["a", "b"], "macro_f1")
    assert score == 1.0
    assert not offsets.any()


def test_an_objective_must_name_a_known_metric_or_a_trained_label():
    check_objective("accuracy", ("a", "b"))
    check_objective("f1:b", ("a", "b"))
    with pytest.raises(ValueError, match="objective"):
        check_objective("f1:c", ("a", "b"))
    with pytest.raises(ValueError, match="objective"):
        check_objective("recall", ("a", "b"))


def test_too_few_examples_of_a_label_keep_the_default_strength_and_no_offsets():
    matrix = sp.csr_matrix(np.eye(12, dtype=np.float32))
    labels = ["a"] * 9 + ["b"] * 3
    chosen = tune(matrix, labels, "macro_f1", REGULARISATION_CANDIDATES, 100)
    assert chosen.regularisation == REGULARISATION_CANDIDATES[0]
    assert chosen.objective_score is None
    assert not chosen.offsets.any()


def test_a_heads_offsets_are_part_of_its_intercept_and_are_kept_when_saved(monkeypatch):
    texts = [f"bitte fügt {word} hinzu" for word in ("Export", "Suche", "Filter")] * 8 + [
        f"Danke für {word}" for word in ("die Hilfe", "den Tipp", "alles")
    ] * 8
    labels = ["suggestion"] * 24 + ["praise"] * 24
    features = _features(texts)
    chosen = Tuning(regularisation=4.0, offsets=np.array([0.0, 0.7]), objective_score=0.9)
    monkeypatch.setattr(model_module, "tune", lambda *args: chosen)
    tuned = fit_head(features, labels, objective="f1:suggestion")
    plain = fit_head(features, labels, regularisation=4.0)
    assert tuned.classes == ("praise", "suggestion")
    np.testing.assert_allclose(tuned.intercept - plain.intercept, [0.0, 0.7], atol=1e-6)
    loaded = TriageModel.from_bytes(TriageModel({"category": tuned}).to_bytes())
    np.testing.assert_allclose(loaded.heads["category"].intercept, tuned.intercept)


def test_a_head_rejects_an_objective_for_a_label_it_does_not_have():
    features = _features(["gut", "schlecht"] * 10)
    with pytest.raises(ValueError, match="objective"):
        fit_head(features, ["positive", "negative"] * 10, objective="f1:neutral")
