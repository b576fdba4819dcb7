"""Tone checks: German form of address, emoji policy, words to avoid."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from townsquare.content.adapt import ContactBook, MasterPost, StyleSettings, adapt_post
from townsquare.content.adapting import tone
from townsquare.content.adapting.tone import (
    ToneReader,
    check_tone,
    find_address,
    find_banned_words,
)
from townsquare.content.tests.test_adapt_support import codes, target


@pytest.mark.parametrize(
    ("text", "informal", "formal"),
    [
        ("Habt ihr Lust auf Kaffee? Dann kommt vorbei!", ("ihr",), ()),
        ("Was macht ihr am Wochenende?", ("ihr",), ()),
        ("Ihr seid die Besten. Danke dir!", ("Ihr", "dir"), ()),
        ("Wir freuen uns, wenn ihr uns besucht.", ("ihr",), ()),
        ("Kommt Ihr auch?", ("Ihr",), ()),
        ("Wir freuen uns auf Sie und Ihre Familie.", (), ("Sie", "Ihre")),
        ("Danke für Ihr Vertrauen.", (), ("Ihr",)),
        ("Neu 🎉 Sie können jetzt online bestellen.", (), ("Sie",)),
        ("Bestellen Sie bis Freitag, dann liefern wir Ihnen am Montag.", (), ("Sie", "Ihnen")),
        ("Dein Kaffee, deine Regeln.", ("Dein", "deine"), ()),
    ],
)
def test_forms_of_address_are_recognised(text, informal, formal):
    found = find_address(text)

    assert found.informal == informal
    assert found.formal == formal


@pytest.mark.parametrize(
    "text",
    [
        "Sie können jetzt bestellen.",  # "Sie" opening a sentence may mean "they"
        "Die Rösterin zeigt ihr Handwerk.",  # "ihr" = her
        "Die Kundin und ihr Hund kommen.",
        "Sie liebt ihr neues Auto.",
        "Wir danken ihr.",
        "Die Bohnen? Sie sind fruchtig, sie kommen aus Peru.",
        "SIE SIND GEFRAGT",  # capitals carry no case
        "Folgt @sie und schaut unter #Ihr nach.",  # handles and hashtags are not read
        "Kommt Ihr Paket heute?",  # formal "your parcel" or informal "you" (capitalised)
    ],
)
def test_ambiguous_words_count_for_neither_form(text):
    found = find_address(text)

    assert found.informal == ()
    assert found.formal == ()


def test_mixing_du_and_sie_in_one_german_text_is_warned_about_in_both_languages():
    warnings = check_tone("Danke für Ihr Vertrauen, wir zeigen dir mehr.", "de", StyleSettings())

    (warning,) = warnings
    assert warning.code == "address_mixed"
    assert "dir" in warning.message_en and "Ihr" in warning.message_en
    assert "du" in warning.message_de and "Sie" in warning.message_de


def test_a_formal_plan_warns_about_du():
    warnings = check_tone("Schau dir unsere neuen Bohnen an!", "de", StyleSettings(address="sie"))

    assert codes(warnings) == ["address_informal_in_formal"]


def test_an_informal_plan_warns_about_sie():
    warnings = check_tone("Probieren Sie unseren Espresso!", "de", StyleSettings(address="du"))

    assert codes(warnings) == ["address_formal_in_informal"]


def test_a_consistent_text_gets_no_address_warning():
    assert (
        check_tone(
            "Probier unseren Espresso, er wird dir schmecken!", "de", StyleSettings(address="du")
        )
        == ()
    )


def test_english_texts_are_not_checked_for_german_address():
    assert (
        check_tone("Sie is our new barista. Say hi to her!", "en", StyleSettings(address="du"))
        == ()
    )


def test_no_emoji_policy_warns_about_any_emoji():
    warnings = check_tone("Frisch geröstet ☕", "de", StyleSettings(emoji_policy="none"))

    assert codes(warnings) == ["emoji_not_wanted"]


def test_few_emoji_counts_zwj_sequences_flags_and_skin_tones_as_one_each():
    text = "Team 👩‍💻 aus 🇩🇪 sagt danke 👍🏽 und 🏳️‍🌈"
    style = StyleSettings(emoji_policy="few", max_emoji=3)

    (warning,) = check_tone(text, "de", style)

    assert warning.code == "emoji_too_many"
    assert "4 emoji" in warning.message_en
    assert check_tone(text, "de", StyleSettings(emoji_policy="few", max_emoji=4)) == ()


def test_free_emoji_policy_never_warns():
    assert check_tone("🎉" * 40, "en", StyleSettings(emoji_policy="free")) == ()


def test_banned_words_match_whole_words_regardless_of_case():
    found = find_banned_words(
        "BILLIG? Nein, billig ist hier nichts. Billigflieger auch nicht.", ("billig",)
    )

    assert found == ["BILLIG", "billig"]


def test_banned_words_with_umlauts_match_their_two_letter_spelling_too():
    found = find_banned_words("Günstig, GÜNSTIG und guenstig.", ("günstig",))

    assert found == ["Günstig", "GÜNSTIG", "guenstig"]


def test_banned_words_with_sharp_s_match_ss_and_the_other_way_round():
    assert find_banned_words("Große Auswahl", ("grosse",)) == ["Große"]
    assert find_banned_words("GROSSE Auswahl", ("große",)) == ["GROSSE"]


def test_banned_phrases_match_across_any_whitespace():
    assert find_banned_words("Jetzt\n zuschlagen!", ("jetzt zuschlagen",)) == ["Jetzt\n zuschlagen"]


def test_banned_words_in_english_posts_are_warned_about():
    warnings = check_tone(
        "A real game changer for cheap coffee.",
        "en",
        StyleSettings(banned_words=("cheap", "game changer")),
    )

    (warning,) = warnings
    assert warning.code == "banned_word"
    assert "“game changer”" in warning.message_en
    assert "„cheap“" in warning.message_de


def test_tone_warnings_come_with_every_variant_and_per_network_styles_apply():
    master = MasterPost("Schau dir unsere neuen Bohnen an! ☕☕", language="de")
    style = StyleSettings(
        address="du",
        network_styles={"linkedin": StyleSettings(address="sie", emoji_policy="few", max_emoji=1)},
    )

    on_x, on_linkedin = adapt_post(
        master, [target("x"), target("linkedin", 3000)], style, ContactBook()
    )

    assert codes(on_x.warnings) == []
    assert codes(on_linkedin.warnings) == ["address_informal_in_formal", "emoji_too_many"]


_words = st.lists(
    st.one_of(
        st.sampled_from(["ihr", "Ihr", "habt", "Was", "macht", "Sie", "du", "Kaffee", "🎉"]),
        st.text(max_size=90),
    ),
    max_size=12,
)
_sentences = _words.flatmap(
    lambda words: st.sampled_from([" ", "? ", ". ", "\n", "", " – "]).map(lambda s: s.join(words))
)


@settings(max_examples=300, deadline=None, database=None)
@given(_sentences, st.integers(min_value=0, max_value=2000))
@example("a" * 300 + " ihr", 304)  # the last word is longer than the first window
@example("Wort" + " ." * 200, 404)  # nothing but punctuation in the first windows
def test_the_previous_word_is_found_as_a_search_from_the_start_finds_it(text, end):
    end = min(end, len(text))
    expected = tone._PREVIOUS_WORD_RE.search(text, 0, end)
    found = tone._previous_word(text, end)
    assert (found and (found.span(), found.group(1))) == (
        expected and (expected.span(), expected.group(1))
    )


@settings(max_examples=100, deadline=None, database=None)
@given(_sentences, st.sampled_from(["de", "en"]))
def test_one_reading_serves_every_style(text, language):
    styles = [
        StyleSettings(address="du", emoji_policy="few", max_emoji=1, banned_words=("Kaffee",)),
        StyleSettings(address="sie", emoji_policy="none"),
        StyleSettings(),
    ]
    reader = ToneReader(text, language)
    for style in styles:
        assert check_tone(text, language, style, reader) == check_tone(text, language, style)
