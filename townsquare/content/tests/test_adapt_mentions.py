"""Mentions from the contact book, written `@[Name]` in the master text."""

from __future__ import annotations

import pytest

from townsquare.content.adapt import (
    Contact,
    ContactBook,
    MasterPost,
    StyleSettings,
    adapt_variant,
)
from townsquare.content.tests.test_adapt_support import codes, target

UTILITY = Contact(
    "Stadtwerke Leipzig",
    {"bluesky": "@swl.bsky.social", "x": "@SWLeipzig", "linkedin": "urn:li:organization:1"},
)
BARISTA = Contact("Lena Vogt", {"instagram": "@lena.brueht"})
CONTACTS = ContactBook((UTILITY, BARISTA))
STYLE = StyleSettings()


def adapt(text: str, network: str, language: str = "de", **target_options):
    master = MasterPost(text=text, language=language)
    return adapt_variant(master, target(network, **target_options), STYLE, CONTACTS)


def test_a_contact_becomes_its_handle_on_each_network():
    text = "Wir rösten jetzt mit Ökostrom von @[Stadtwerke Leipzig]!"

    assert adapt(text, "bluesky").text == "Wir rösten jetzt mit Ökostrom von @swl.bsky.social!"
    assert adapt(text, "x").text == "Wir rösten jetzt mit Ökostrom von @SWLeipzig!"


def test_every_mapped_mention_is_listed_as_a_change_in_english_and_german():
    variant = adapt("Thanks to @[Stadtwerke Leipzig] for the green power!", "x", language="en")

    (change,) = variant.changes
    assert change.code == "mention_mapped"
    assert "@SWLeipzig" in change.message_en
    assert "@SWLeipzig" in change.message_de
    assert change.message_de != change.message_en


def test_a_contact_without_a_handle_on_the_network_is_written_as_plain_name_with_a_warning():
    variant = adapt("Danke an @[Stadtwerke Leipzig] für den Ökostrom!", "mastodon")

    assert variant.text == "Danke an Stadtwerke Leipzig für den Ökostrom!"
    assert codes(variant.warnings) == ["mention_without_handle"]
    assert "Mastodon" in variant.warnings[0].message_de


def test_a_name_that_is_not_in_the_contact_book_is_written_as_plain_name_with_a_warning():
    variant = adapt("Grüße an @[Café Milchbart]!", "x")

    assert variant.text == "Grüße an Café Milchbart!"
    assert codes(variant.warnings) == ["mention_unknown"]


def test_contact_names_match_regardless_of_case_and_spacing():
    variant = adapt("Danke @[stadtwerke   LEIPZIG]!", "x")

    assert variant.text == "Danke @SWLeipzig!"


def test_the_mention_template_renders_linkedin_mentions_with_name_and_urn():
    variant = adapt(
        "Danke an @[Stadtwerke Leipzig].", "linkedin", mention_template="@[{name}]({handle})"
    )

    assert variant.text == "Danke an @[Stadtwerke Leipzig](urn:li:organization:1)."


def test_the_same_contact_twice_is_mapped_twice_and_reported_once():
    variant = adapt("@[Lena Vogt] zeigt Latte Art. Folgt @[Lena Vogt]!", "instagram")

    assert variant.text == "@lena.brueht zeigt Latte Art. Folgt @lena.brueht!"
    assert codes(variant.changes) == ["mention_mapped"]


def test_plain_handles_and_email_addresses_are_left_as_written():
    text = "Schreib an hallo@kaffee.example oder folge @bohnenwerk."

    assert adapt(text, "x").text == text


def test_contact_syntax_inside_a_link_is_not_a_mention():
    text = "Mehr unter https://example.com/@[Lena Vogt]/profil"

    assert adapt(text, "instagram", link_mode="inline").text == text


def test_an_unclosed_bracket_is_left_as_written():
    text = "Das @[ ist kein Kontakt"

    assert adapt(text, "x").text == text


def test_linkedin_mentions_written_by_hand_are_not_taken_for_contact_syntax():
    text = "Danke an @[Stadtwerke Leipzig](urn:li:organization:1)!"

    assert adapt(text, "linkedin").text == text
    assert adapt(text, "linkedin").warnings == ()


def test_a_mention_template_with_unknown_fields_is_refused_when_the_profile_is_made():
    with pytest.raises(ValueError, match="handle"):
        target("linkedin", mention_template="@{urn}")
