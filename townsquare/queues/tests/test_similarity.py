"""The near-duplicate score (pure) and its threshold."""

import pytest

from townsquare.queues.similarity import THRESHOLD, is_near_duplicate, similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Montagsfrage: Was ist euer Lieblingskaffee?",
            "Montagsfrage: Was ist euer Lieblingskaffee? #kaffee",
        ),
        (
            "Neu im Laden: Espresso aus Äthiopien! https://shop.example/a?x=1",
            "Neu im Laden: Espresso aus Äthiopien! https://shop.example/b",
        ),
        (
            "Our summer sale starts today, 20% off everything.",
            "Our summer sale starts today - 20 % off everything!",
        ),
        ("Same text.", "SAME   text"),
    ],
)
def test_near_duplicates_score_at_or_above_the_threshold(a, b):
    assert similarity(a, b) >= THRESHOLD
    assert is_near_duplicate(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Montagsfrage: Was ist euer Lieblingskaffee?",
            "Montagsfrage: Wo trinkt ihr am liebsten Tee?",
        ),
        ("Our summer sale starts today.", "Meet Jana, our new head roaster."),
        ("", "anything"),
    ],
)
def test_different_posts_stay_below_it(a, b):
    assert similarity(a, b) < THRESHOLD


def test_a_very_long_text_is_compared_quickly_and_by_its_start():
    a = "Kaffee " * 50_000
    assert similarity(a, a + "Ende") == 1.0
