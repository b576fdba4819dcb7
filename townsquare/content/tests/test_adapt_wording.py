"""Wording hints from the plan: formality, call to action, words to prefer (English and German)."""

from __future__ import annotations

import pytest

from townsquare.content.adapt import (
    ContactBook,
    MasterPost,
    PreviousVariant,
    StyleSettings,
    adapt_post,
)
from townsquare.content.adapting.tone import ToneReader
from townsquare.content.adapting.wording import (
    check_call_to_action,
    check_wording,
    has_call_to_action,
    split_preferences,
)
from townsquare.content.tests.test_adapt_support import codes, target


def wording(text: str, language: str = "de", **style: object) -> tuple:
    return check_wording(ToneReader(text, language), StyleSettings(**style))  # type: ignore[arg-type]


# Formality, German


def test_a_formal_tone_without_an_address_rule_flags_du_and_says_why_in_both_languages():
    (hint,) = wording("Schau dir unsere neuen Bohnen an!", formality="formal")

    assert hint.code == "formality_informal_address"
    assert "“dir”" in hint.message_en and "formal" in hint.message_en
    assert "„dir“" in hint.message_de and "förmlichen" in hint.message_de


def test_a_casual_tone_without_an_address_rule_flags_a_mid_sentence_sie():
    (hint,) = wording("Wir freuen uns auf Sie und Ihre Familie.", formality="casual")

    assert hint.code == "formality_formal_address"
    assert "“Sie”" in hint.message_en and "„Ihre“" in hint.message_de


@pytest.mark.parametrize(
    "text",
    [
        "Sie können jetzt bestellen.",  # may mean "they": no evidence either way
        "Die Rösterin zeigt ihr Handwerk.",  # "ihr" = her
        "Unsere neuen Bohnen sind da.",
    ],
)
def test_ambiguous_or_neutral_german_gets_no_formality_hint(text):
    assert wording(text, formality="formal") == ()
    assert wording(text, formality="casual") == ()


def test_the_plans_own_form_of_address_wins_over_its_formality():
    # The plan chose "du" explicitly: a formal tone does not contradict it.
    assert wording("Schau dir das an!", formality="formal", address="du") == ()
    # With "Sie" the address check in `tone` already speaks; no second hint.
    assert wording("Schau dir das an!", formality="formal", address="sie") == ()


def test_a_mix_of_du_and_sie_is_left_to_the_address_check():
    assert wording("Danke für Ihr Vertrauen, wir zeigen dir mehr.", formality="formal") == ()


def test_a_formal_german_tone_flags_colloquial_words():
    (hint,) = wording("Unsere neue Röstung ist echt krass gut, mega!", formality="formal")

    assert hint.code == "formality_colloquial"
    assert "„krass“, „mega“" in hint.message_de


def test_a_neutral_tone_checks_nothing():
    assert wording("Schau dir das an, krass!", formality="neutral") == ()


# Formality, English


def test_a_formal_english_tone_flags_contractions_and_slang_lightly():
    (hint,) = wording(
        "We're gonna open early, don't miss it! It's worth it.", "en", formality="formal"
    )

    assert hint.code == "formality_contractions"
    assert "“We're”, “gonna”, “don't”" in hint.message_en  # at most three, as written
    assert "It's" not in hint.message_en
    assert "förmlichen" in hint.message_de


def test_possessives_links_and_handles_are_not_contractions():
    text = "Anna's beans and its aroma: see https://example.com/don't or @we're_here"
    assert wording(text, "en", formality="formal") == ()


def test_english_has_no_address_rule_and_a_casual_tone_flags_nothing():
    assert wording("We're gonna open early!", "en", formality="casual") == ()


# Words to prefer


def test_entries_with_an_arrow_are_replacements_and_the_rest_brand_words():
    pairs, plain = split_preferences(("Kunde -> Kundschaft", "Genuss", "client → customer"))

    assert pairs == [("Kunde", "Kundschaft"), ("client", "customer")]
    assert plain == ["Genuss"]


def test_a_word_with_a_preferred_replacement_gets_a_hint_in_both_languages():
    (hint,) = wording(
        "Jeder Kunde bekommt einen Genuss-Gutschein.", prefer_words=("Kunde -> Kundschaft",)
    )

    assert hint.code == "prefer_word_instead"
    assert hint.message_en == "The plan prefers “Kundschaft” to “Kunde”."
    assert hint.message_de == "Der Plan bevorzugt „Kundschaft“ statt „Kunde“."


def test_a_text_without_any_of_the_brands_words_gets_one_gentle_hint():
    (hint,) = wording("Our new beans are here.", "en", prefer_words=("aroma", "roastery", "craft"))

    assert hint.code == "prefer_words_unused"
    assert "“aroma”, “roastery”, “craft”" in hint.message_en
    assert "keines" in hint.message_de


@pytest.mark.parametrize(
    "text",
    [
        "Purer Genuss am Morgen.",
        "Ein Moment des Genusses.",  # inflected
        "Roestereiführung am Samstag.",  # starts with a preferred word, umlaut spelled out
    ],
)
def test_a_preferred_word_counts_also_inflected(text):
    assert wording(text, prefer_words=("Genuss", "Rösterei")) == ()


# Call to action


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Jetzt Tickets sichern!", "de"),
        ("Bestellen Sie bis Freitag.", "de"),
        ("Mehr erfahren im Blog.", "de"),
        ("Meldet euch an, wir freuen uns.", "de"),
        ("🎉 Probier die Herbströstung!", "de"),
        ("Alle Infos: https://example.com/herbst", "de"),
        ("Book your table for Friday.", "en"),
        ("New roast. Learn more on our site", "en"),
        ("New roast, link in bio", "en"),
    ],
)
def test_requests_to_act_and_links_count_as_a_call_to_action(text, language):
    assert has_call_to_action(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Unsere neuen Bohnen sind da.", "de"),
        ("Jetzt ist Herbst.", "de"),
        ("Teil 2 der Serie: die Röstung.", "de"),
        ("Our new beans are here.", "en"),
    ],
)
def test_statements_are_no_call_to_action(text, language):
    assert not has_call_to_action(text, language)


def test_a_missing_call_to_action_is_suggested_with_the_plans_words():
    style = StyleSettings(call_to_action="Jetzt Tisch reservieren")

    (hint,) = check_call_to_action("Der Herbst ist da.", "de", style, "instagram", False)

    assert hint.code == "call_to_action_missing"
    assert hint.suggestion == "Jetzt Tisch reservieren"
    assert "Instagram" in hint.message_en and "„Jetzt Tisch reservieren“" in hint.message_de


def test_the_plans_own_words_a_link_or_no_setting_mean_no_hint():
    style = StyleSettings(call_to_action="Visit the café")
    assert check_call_to_action("Fresh beans. Visit the café!", "en", style, "x", False) == ()
    assert check_call_to_action("Fresh beans.", "en", style, "x", True) == ()
    assert check_call_to_action("Fresh beans.", "en", StyleSettings(), "x", False) == ()


def test_the_engine_asks_for_the_call_to_action_per_network():
    style = StyleSettings(
        network_styles={"instagram": StyleSettings(call_to_action="Link in bio: book a table")}
    )
    master = MasterPost("Our autumn roast is here.", language="en")

    x, instagram = adapt_post(master, [target("x"), target("instagram")], style, ContactBook())

    assert "call_to_action_missing" not in codes(x.warnings)
    assert "call_to_action_missing" in codes(instagram.warnings)


def test_a_card_or_bio_link_is_a_call_to_action():
    style = StyleSettings(call_to_action="Read the story")
    master = MasterPost("Our autumn roast is here.", language="en", link_url="https://ex.com/a")

    (card,) = adapt_post(master, [target("bluesky", link_mode="card")], style, ContactBook())

    assert "call_to_action_missing" not in codes(card.warnings)


def test_a_hand_edited_variant_is_checked_for_the_wording_too():
    style = StyleSettings(formality="formal", call_to_action="Book now")
    master = MasterPost("We are open.", language="en")
    edited = PreviousVariant("x", "@brand", "We're open, y'know.", edited_by_hand=True)

    (variant,) = adapt_post(master, [target("x")], style, ContactBook(), (edited,))

    assert variant.text == "We're open, y'know."
    assert {"formality_contractions", "call_to_action_missing"} <= set(codes(variant.warnings))
