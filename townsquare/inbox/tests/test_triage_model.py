"""The triage engine with the shipped model: clear German and English messages, explanations,
edge cases, training on top of a base, saving and loading, and a deterministic rebuild.

The messages here are not in the training examples (a test checks that too)."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pytest

from townsquare.inbox.triage import (
    MessageContext,
    ModelFormatError,
    TriageModel,
    evaluate,
    train,
    triage_texts,
)
from townsquare.inbox.triage.default import (
    DEFAULT_MODEL_PATH,
    build_default_model,
    default_model,
    load_examples,
)

CLEAR_MESSAGES = [
    ("Um wie viel Uhr macht euer Laden in Dresden morgen auf?", "de", "question"),
    ("Die Waschmaschine ist nach einer Woche kaputt und seit Tagen ruft niemand zurück!", "de",
     "complaint"),
    ("Ihr solltet unbedingt eine Suchfunktion für alte Bestellungen einbauen.", "de",
     "suggestion"),
    ("Vielen Dank für die superschnelle Hilfe gestern, echt klasse!", "de", "praise"),
    ("Does your shop have a branch near Dublin airport?", "en", "question"),
    ("Third time this month my internet is down and still no engineer. Unacceptable.", "en",
     "complaint"),
    ("It would be great if you added a calendar export to the app.", "en", "suggestion"),
    ("Thank you for the lovely evening, the food was amazing!", "en", "praise"),
]  # fmt: skip


def test_the_test_messages_are_not_training_examples():
    trained_on = {text for pairs in load_examples().values() for text, _ in pairs}
    assert not {text for text, _, _ in CLEAR_MESSAGES} & trained_on


def test_the_shipped_model_labels_clear_german_and_english_messages():
    results = triage_texts([text for text, _, _ in CLEAR_MESSAGES])
    for (text, language, category), result in zip(CLEAR_MESSAGES, results, strict=True):
        assert result.language.value == language, text
        assert result.category.value == category, (text, result.category)
        assert result.spam.value == "ok", text
        assert 0.0 <= result.category.confidence <= 1.0


def test_sentiment_of_clear_messages():
    praise, complaint, question = triage_texts(
        [
            "Großartiger Service, danke an das ganze Team!",
            "This is the worst support I have ever had, completely useless.",
            "Ab wann gilt der neue Fahrplan?",
        ]
    )
    assert praise.sentiment.value == "positive"
    assert complaint.sentiment.value == "negative"
    assert question.sentiment.value == "neutral"


def test_spam_and_abuse_are_recognised():
    spam, abuse, normal = triage_texts(
        [
            "Verdiene 800 € pro Woche im Homeoffice, schreib mir auf Telegram!",
            "Ihr seid alle unfähige Idioten.",
            "Wo kann ich meine Rechnung herunterladen?",
        ]
    )
    assert spam.spam.value == "spam"
    assert abuse.spam.value == "abuse"
    assert normal.spam.value == "ok"


def test_every_label_comes_with_reasons_naming_rules_and_words():
    (result,) = triage_texts(["Mein Paket ist schon wieder nicht angekommen, seit Tagen!"])
    assert result.category.value == "complaint"
    reasons = " | ".join(result.category.reasons)
    assert "schon wieder" in reasons  # the expectation-breach rule says so
    assert any(reason.startswith('word "') for reason in result.category.reasons)
    assert result.sentiment.reasons and result.spam.reasons


def test_urgency_of_a_dangerous_repeated_complaint():
    (result,) = triage_texts(
        ["The charger is smoking and got really hot, third time this happens!"],
        contexts=[MessageContext(prior_complaints=2)],
    )
    parts = dict(result.urgency.parts)
    assert parts["safety"] > 0
    assert parts["repeated_complaint"] > 0
    assert result.urgency.score >= 50


def test_an_empty_message_is_undetermined_other_and_undefined():
    (result,) = triage_texts(["   "])
    assert result.language.value == "und"
    assert result.category.value == "other"
    assert result.sentiment.value == "undefined"
    assert result.spam.value == "ok"
    assert result.urgency.score == 0


def test_a_message_too_short_to_tell_has_undefined_sentiment():
    ok, thumbs = triage_texts(["ok", "👍"])
    assert ok.sentiment.value == "undefined"
    assert thumbs.sentiment.value == "positive"  # an emoji says enough
    assert thumbs.language.value == "und"


def test_a_very_long_message_is_read_in_part_and_says_so():
    (result,) = triage_texts(["Der Zug ist schon wieder ausgefallen. " * 2_000])
    assert any("5,000" in reason for reason in result.category.reasons)
    assert result.category.value == "complaint"


def test_results_keep_the_order_of_the_texts_around_empty_ones():
    results = triage_texts(["Danke euch!", "", "Warum ist die App so langsam?"])
    assert [r.category.value for r in results] == ["praise", "other", "question"]
    assert len({r.model_version for r in results}) == 1


def test_contexts_must_match_the_texts():
    with pytest.raises(ValueError):
        triage_texts(["a", "b"], contexts=[MessageContext()])


def test_a_model_survives_saving_and_loading():
    model = default_model()
    loaded = TriageModel.from_bytes(model.to_bytes())
    assert loaded.version == model.version
    texts = [text for text, _, _ in CLEAR_MESSAGES]
    assert triage_texts(texts, model=loaded) == triage_texts(texts, model=model)


def test_loading_something_that_is_not_a_model_fails_clearly():
    for data in (b"", b"not a model", b"PK\x03\x04broken"):
        with pytest.raises(ModelFormatError):
            TriageModel.from_bytes(data)


def test_corrections_trained_on_top_of_the_default_change_that_head_only():
    corrections = [
        ("Wann kommt der Techniker?", "question"),
        ("Wo bleibt der Techniker?", "question"),
        ("Könnt ihr mir eine Rechnung schicken?", "question"),
        ("Das Update ist klasse!", "praise"),
        ("Danke für die Hilfe!", "praise"),
        ("Tolle Arbeit, danke!", "praise"),
    ]
    base = default_model()
    model = train(corrections, base=base, task="category")
    assert model.version != base.version
    assert model.heads["sentiment"] is base.heads["sentiment"]
    assert model.heads["category"].prior is base.heads["category"]
    # The base's judgement still counts for labels the corrections never showed.
    (result,) = triage_texts(["Ihr solltet eine Familienoption für das Abo anbieten."], model=model)
    assert result.category.value in {"suggestion", "question", "praise"}


def test_training_needs_two_labels_and_a_known_task():
    with pytest.raises(ValueError):
        train([("a", "x"), ("b", "x")])
    with pytest.raises(ValueError):
        train([("a", "x"), ("b", "y")], task="mood")


def test_evaluate_reports_accuracy_macro_f1_and_per_class_f1():
    examples = [(text, category) for text, _, category in CLEAR_MESSAGES]
    report = evaluate(default_model(), examples, "category")
    assert report["accuracy"] == 1.0
    assert report["macro_f1"] == 1.0
    assert set(report["per_class_f1"]) == {"question", "complaint", "suggestion", "praise"}


def test_rebuilding_the_default_model_gives_the_same_predictions():
    """Training is deterministic on one machine; another BLAS or SciPy build may move the
    last digits of a coefficient (so the version, a hash of the bytes, may differ), never a
    label, a shown confidence or a reason."""
    rebuilt = build_default_model()
    shipped = TriageModel.from_bytes(DEFAULT_MODEL_PATH.read_bytes())
    texts = [text for text, _, _ in CLEAR_MESSAGES] + ["Schönen Tag noch", "Follow me!!"]
    for task, head in shipped.heads.items():
        again = rebuilt.heads[task]
        assert again.classes == head.classes
        assert np.allclose(again.dense_coef, head.dense_coef, atol=1e-3), task
        assert np.allclose(again.intercept, head.intercept, atol=1e-3), task
    unversioned = [
        replace(result, model_version="") for result in triage_texts(texts, model=rebuilt)
    ]
    assert unversioned == [
        replace(result, model_version="") for result in triage_texts(texts, model=shipped)
    ]


def test_triage_from_several_threads_at_once_gives_the_same_results():
    texts = [text for text, _, _ in CLEAR_MESSAGES]
    expected = triage_texts(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: triage_texts(texts), range(8)))
    assert all(result == expected for result in results)
