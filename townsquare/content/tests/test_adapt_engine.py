"""The adaptation engine as a whole: one master, a variant per account, every reason listed."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.content.adapt import (
    Contact,
    ContactBook,
    MasterPost,
    PreviousVariant,
    StyleSettings,
    adapt_post,
    adapt_variant,
    rejoin_thread,
)
from townsquare.content.tests.test_adapt_support import codes, graphemes, target, url_counts_23

CONTACTS = ContactBook(
    (Contact("Stadtwerke Leipzig", {"x": "@SWLeipzig", "bluesky": "@swl.bsky.social"}),)
)
STYLE = StyleSettings(address="du", emoji_policy="few", max_emoji=3, banned_words=("billig",))
LONG_GERMAN = (
    "Ab Montag rösten wir mit Ökostrom von @[Stadtwerke Leipzig]. "
    "Das spart im Jahr rund vier Tonnen CO2, so viel wie ein Auto auf 30.000 Kilometern. "
    "Am Samstag zeigen wir dir die neue Röstmaschine, mit Führung um 11 und um 15 Uhr. "
    "Für Kinder gibt es Kakao, für alle anderen unseren neuen Espresso aus Kolumbien. "
    "Wir freuen uns auf dich!"
)


def test_each_target_gets_its_own_variant_in_the_order_given():
    master = MasterPost(LONG_GERMAN, language="de")
    targets = [
        target("x", 280, url_counts_23, threads=True),
        target("bluesky", 300, graphemes, threads=True, link_mode="card"),
        target("instagram", 2200, link_mode="bio", hashtag_cap=30),
    ]

    variants = adapt_post(master, targets, STYLE, CONTACTS)

    assert [variant.network for variant in variants] == ["x", "bluesky", "instagram"]
    assert "@SWLeipzig" in variants[0].parts[0]
    assert "@swl.bsky.social" in variants[1].parts[0]
    assert "Stadtwerke Leipzig" in variants[2].text
    assert all(variant.fits for variant in variants)


def test_a_thread_is_explained_with_its_count_and_the_networks_limit():
    master = MasterPost(LONG_GERMAN, language="de")

    variant = adapt_variant(master, target("x", 200, url_counts_23, threads=True), STYLE, CONTACTS)

    split = next(change for change in variant.changes if change.code == "thread_split")
    assert f"{len(variant.parts)} posts" in split.message_en
    assert "X allows 200 per post" in split.message_en
    assert "X erlaubt 200 pro Beitrag" in split.message_de
    assert rejoin_thread(variant.parts, variant.joints) == variant.text
    assert variant.is_thread


def test_a_thread_over_the_networks_part_limit_keeps_all_its_text_for_the_validator_to_flag():
    master = MasterPost(LONG_GERMAN, language="de")

    variant = adapt_variant(master, target("x", 120, threads=True, max_parts=2), STYLE, CONTACTS)

    assert len(variant.parts) == 4, "nothing is cut away unseen"
    assert variant.fits
    assert "content_cut" not in codes(variant.warnings)
    assert "Kolumbien. Wir freuen uns auf dich!" in variant.text


def test_a_network_without_threads_gets_a_shortened_text_with_a_warning():
    master = MasterPost(LONG_GERMAN, language="de")

    variant = adapt_variant(master, target("pinterest", 150), STYLE, CONTACTS)

    assert variant.parts == (variant.text,)
    assert variant.text.endswith(".")
    assert variant.fits
    shortened = next(change for change in variant.changes if change.code == "text_shortened")
    assert "after the last complete sentence" in shortened.message_en
    assert "Pinterest allows 150" in shortened.message_en
    assert "content_cut" in codes(variant.warnings)


def test_a_word_longer_than_a_part_is_broken_with_a_warning():
    master = MasterPost(
        "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz " * 2, language="de"
    )

    variant = adapt_variant(master, target("x", 40, threads=True), StyleSettings(), ContactBook())

    assert variant.fits
    assert "word_broken" in codes(variant.warnings)


def test_a_hand_edited_variant_comes_back_exactly_as_it_was():
    master = MasterPost("Neuer Text, ganz anders als vorher.", language="de", hashtags=("Kaffee",))
    edited = PreviousVariant(
        network="x",
        account_label="@brand",
        text="Von Hand: unser Espresso ist da!",
        edited_by_hand=True,
        master_text="Alter Text.",
    )

    variant = adapt_variant(master, target("x"), STYLE, CONTACTS, previous=edited)

    assert variant.text == edited.text
    assert variant.parts == (edited.text,)
    assert variant.changes == ()
    assert variant.edited_by_hand
    assert codes(variant.warnings) == ["master_changed_since_edit"]


def test_a_hand_edited_variant_is_checked_again_and_problems_are_warned_about():
    text = (
        "Schauen Sie vorbei, dir gefällt es! @[Stadtwerke Leipzig] https://kaffee.example #a #b #c"
    )
    edited = PreviousVariant("instagram", "@brand", text, edited_by_hand=True)
    master = MasterPost("Irgendein Haupttext.", language="de")

    variant = adapt_variant(
        master,
        target("instagram", 40, link_mode="bio", hashtag_cap=2),
        STYLE,
        CONTACTS,
        previous=edited,
    )

    assert variant.text == text
    assert codes(variant.warnings) == [
        "part_too_long",
        "mention_syntax_left",
        "link_left_in_caption",
        "hashtags_too_many",
        "address_mixed",
    ]


def test_a_hand_edited_thread_keeps_its_parts_and_each_part_is_checked():
    parts = ("Teil eins, von Hand. 1/2", "Teil zwei ist viel zu lang für das Limit. 2/2")
    edited = PreviousVariant("x", "@brand", "\n\n".join(parts), edited_by_hand=True, parts=parts)

    variant = adapt_variant(
        MasterPost("Neu.", language="de"), target("x", 30, threads=True), STYLE, CONTACTS, edited
    )

    assert variant.parts == parts
    assert codes(variant.warnings) == ["part_too_long"]
    assert "Post 2 counts" in variant.warnings[0].message_en


def test_a_previous_variant_that_nobody_edited_is_adapted_afresh():
    master = MasterPost("Frisch geröstet.", language="de")
    earlier = PreviousVariant("x", "@brand", "Alter Text.", edited_by_hand=False)

    variant = adapt_variant(master, target("x"), STYLE, CONTACTS, previous=earlier)

    assert variant.text == "Frisch geröstet."
    assert not variant.edited_by_hand


def test_previous_variants_are_matched_by_network_and_account():
    master = MasterPost("Frisch geröstet.", language="de")
    edited = PreviousVariant("x", "@kaffee_leipzig", "Von Hand.", edited_by_hand=True)
    targets = [
        target("x", account_label="@kaffee_leipzig"),
        target("x", account_label="@kaffee_dresden"),
        target("mastodon", account_label="@kaffee_leipzig"),
    ]

    variants = adapt_post(master, targets, STYLE, CONTACTS, previous=[edited])

    assert [variant.text for variant in variants] == [
        "Von Hand.",
        "Frisch geröstet.",
        "Frisch geröstet.",
    ]


def test_a_post_in_another_language_than_the_accounts_audience_is_warned_about():
    master = MasterPost("Fresh beans are in!", language="en")
    profile = dataclasses.replace(target("x"), language="de")

    variant = adapt_variant(master, profile, StyleSettings(), ContactBook())

    assert codes(variant.warnings) == ["language_mismatch"]
    assert "English" in variant.warnings[0].message_en
    assert "Englisch" in variant.warnings[0].message_de


def test_the_same_input_always_gives_the_same_variants():
    master = MasterPost(LONG_GERMAN, language="de", hashtags=("Kaffee",))
    targets = [target("x", 150, threads=True), target("pinterest", 150)]

    assert adapt_post(master, targets, STYLE, CONTACTS) == adapt_post(
        master, targets, STYLE, CONTACTS
    )


def test_results_are_frozen():
    variant = adapt_variant(MasterPost("Hallo."), target("x"), StyleSettings(), ContactBook())

    with pytest.raises(dataclasses.FrozenInstanceError):
        variant.text = "anders"  # type: ignore[misc]


def test_adaptation_imports_neither_django_nor_the_network_rules():
    code = (
        "import sys, townsquare.content.adapt; "
        "forbidden = ('django', 'townsquare.networks'); "
        "loaded = [name for name in sys.modules if name.startswith(forbidden)]; "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


words = st.sampled_from(
    [
        "Kaffee", "Espresso", "Röstung", "frisch", "Leipzig", "heute", "Ökostrom", "z. B.",
        "https://kaffee.example/shop", "#Kaffee", "@[Stadtwerke Leipzig]", "@[Unbekannt]",
        "👩‍💻", "🇩🇪", "Danke!", "Neu.", "Wirklich?", "du", "Sie", "\n\n",
    ]
)  # fmt: skip
master_texts = st.lists(words, min_size=1, max_size=120).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    text=master_texts,
    limit=st.integers(min_value=60, max_value=400),
    counter=st.sampled_from([len, url_counts_23, graphemes]),
    threads=st.booleans(),
    link_mode=st.sampled_from(["inline", "card", "bio"]),
    language=st.sampled_from(["de", "en"]),
    hashtags=st.lists(
        st.sampled_from(["Kaffee", "kaffee", "Leipzig", "Röstung", "bad tag"]), max_size=5
    ),
    adds_up=st.booleans(),
)
def test_every_variant_fits_and_a_thread_rejoins_to_the_variant_text(
    text, limit, counter, threads, link_mode, language, hashtags, adds_up
):
    master = MasterPost(
        text, language=language, link_url="https://kaffee.example/x", hashtags=tuple(hashtags)
    )
    profile = target(
        "x", limit, counter, threads=threads, link_mode=link_mode, hashtag_cap=3, adds_up=adds_up
    )

    variant = adapt_variant(master, profile, STYLE, CONTACTS)

    assert variant.fits
    for part, counted in zip(variant.parts, variant.lengths, strict=True):
        assert counter(part) <= counted
    assert rejoin_thread(variant.parts, variant.joints) == variant.text
    assert "@[" not in variant.text
    assert variant.text.count("#") <= 3
    for note in variant.changes + variant.warnings:
        assert note.message_en and note.message_de


def test_a_hand_edited_linkedin_mention_is_not_mistaken_for_contact_syntax():
    text = "Danke an @[Stadtwerke Leipzig](urn:li:organization:1) für den Ökostrom!"
    edited = PreviousVariant("linkedin", "@brand", text, edited_by_hand=True)

    variant = adapt_variant(
        MasterPost("Neu.", language="de"), target("linkedin", 3000), STYLE, CONTACTS, edited
    )

    assert variant.warnings == ()
