"""Hashtags placed per the style settings and capped per network."""

from __future__ import annotations

from townsquare.content.adapt import (
    ContactBook,
    HashtagSet,
    MasterPost,
    StyleSettings,
    adapt_variant,
)
from townsquare.content.tests.test_adapt_support import codes, target

LEIPZIG_SET = HashtagSet("Leipzig", ("Leipzig", "Sachsen"))
INSTAGRAM_ONLY_SET = HashtagSet("Insta", ("InstaCoffee",), networks=("instagram",))


def adapt(master, style=None, **target_options):
    return adapt_variant(
        master,
        target(**target_options),
        style or StyleSettings(hashtag_sets=(LEIPZIG_SET, INSTAGRAM_ONLY_SET)),
        ContactBook(),
    )


def test_the_posts_hashtags_are_added_at_the_end_after_a_blank_line():
    master = MasterPost("Neue Bohnen sind da.", language="de", hashtags=("Kaffee", "#Espresso"))

    variant = adapt(master, network="mastodon", max_length=500)

    assert variant.text == "Neue Bohnen sind da.\n\n#Kaffee #Espresso"
    assert codes(variant.changes) == ["hashtags_added"]
    assert "#Kaffee #Espresso" in variant.changes[0].message_de


def test_inline_hashtags_stay_and_are_not_added_twice_whatever_their_case():
    master = MasterPost(
        "Wir lieben #Kaffee aus Leipzig.", language="de", hashtags=("kaffee", "Röstung")
    )

    variant = adapt(master, network="mastodon", max_length=500)

    assert variant.text == "Wir lieben #Kaffee aus Leipzig.\n\n#Röstung"


def test_a_closing_hashtag_block_keeps_its_own_separator_and_gets_the_additions():
    master = MasterPost("Neue Bohnen sind da! #Kaffee", language="de", hashtags=("Espresso",))

    variant = adapt(master, network="mastodon", max_length=500)

    assert variant.text == "Neue Bohnen sind da! #Kaffee #Espresso"


def test_move_to_end_keeps_words_of_the_sentence_and_adds_the_posts_tags_at_the_end():
    master = MasterPost("We love #coffee from #Leipzig.", language="en", hashtags=("roastery",))
    style = StyleSettings(hashtag_policy="move_to_end")

    variant = adapt(master, style, network="linkedin", max_length=3000)

    assert variant.text == "We love #coffee from #Leipzig.\n\n#roastery"
    assert codes(variant.changes) == ["hashtags_kept_in_sentence", "hashtags_added"]


def test_policy_none_removes_every_hashtag_sign_and_adds_nothing():
    master = MasterPost(
        "Wir lieben #Kaffee aus Leipzig. #Röstung #Espresso", language="de", hashtags=("Extra",)
    )
    style = StyleSettings(hashtag_policy="none")

    variant = adapt(master, style, network="facebook", max_length=5000)

    assert variant.text == "Wir lieben Kaffee aus Leipzig."
    assert codes(variant.changes) == ["hashtags_removed_by_policy"]


def test_hashtag_sets_are_added_and_a_set_limited_to_other_networks_is_skipped():
    master = MasterPost("Frisch geröstet.", language="de", hashtag_sets=("Leipzig", "Insta"))

    on_mastodon = adapt(master, network="mastodon", max_length=500)
    on_instagram = adapt(master, network="instagram", max_length=2200, hashtag_cap=30)

    assert on_mastodon.text == "Frisch geröstet.\n\n#Leipzig #Sachsen"
    assert on_instagram.text == "Frisch geröstet.\n\n#Leipzig #Sachsen #InstaCoffee"


def test_an_unknown_hashtag_set_and_an_impossible_hashtag_are_warned_about():
    master = MasterPost(
        "Frisch geröstet.",
        language="de",
        hashtags=("Leipziger Allerlei", "2026"),
        hashtag_sets=("Nope",),
    )

    variant = adapt(master, network="mastodon", max_length=500)

    assert variant.text == "Frisch geröstet."
    assert codes(variant.warnings) == ["hashtag_invalid", "hashtag_invalid", "hashtag_set_unknown"]


def test_x_keeps_the_recommended_number_and_explains_which_tags_were_left_out():
    master = MasterPost(
        "New beans!", language="en", hashtags=("coffee", "espresso", "roastery", "leipzig")
    )

    variant = adapt(master, network="x", hashtag_recommended=2)

    assert variant.text == "New beans!\n\n#coffee #espresso"
    over = [change for change in variant.changes if change.code == "hashtags_over_cap"]
    assert "#roastery #leipzig" in over[0].message_en
    assert "recommended for X" in over[0].message_en
    assert "Empfehlung für X" in over[0].message_de


def test_instagram_never_exceeds_its_hard_cap_even_if_the_plan_allows_more():
    master = MasterPost(
        "Neue Bohnen!", language="de", hashtags=tuple(f"tag{n}x" for n in range(40))
    )
    style = StyleSettings(max_hashtags={"instagram": 50})

    variant = adapt(master, style, network="instagram", max_length=2200, hashtag_cap=30)

    assert variant.text.count("#") == 30
    assert "Instagram allows no more" in variant.changes[-1].message_en


def test_the_plans_maximum_replaces_the_networks_recommendation():
    master = MasterPost("Neu.", language="de", hashtags=("a1", "b2", "c3", "d4", "e5", "f6"))
    style = StyleSettings(max_hashtags={"linkedin": 3})

    variant = adapt(master, style, network="linkedin", max_length=3000, hashtag_recommended=5)

    assert variant.text == "Neu.\n\n#a1 #b2 #c3"
    assert "the plan says so for LinkedIn" in variant.changes[-1].message_en


def test_over_the_cap_inline_hashtags_lose_only_their_sign():
    master = MasterPost("Wir lieben #Kaffee, #Espresso und #Kakao.", language="de")

    variant = adapt(master, network="x", hashtag_recommended=2)

    assert variant.text == "Wir lieben #Kaffee, #Espresso und Kakao."


def test_hashtags_in_link_fragments_are_not_hashtags():
    master = MasterPost("Details: https://kaffee.example/faq#lagerung", language="de")

    variant = adapt(master, network="x", hashtag_recommended=1, link_mode="inline")

    assert variant.text == master.text
    assert variant.changes == ()


def test_end_hashtags_are_left_out_before_any_of_the_message_is_cut():
    body = "Unsere neue Röstung aus Kolumbien ist da, mit Noten von Kakao und Kirsche."
    master = MasterPost(
        body, language="de", hashtags=("Kaffee", "Kolumbien", "Röstung", "Espresso")
    )

    variant = adapt(master, network="pinterest", max_length=len(body) + 20)

    assert variant.text == body + "\n\n#Kaffee #Kolumbien"
    assert codes(variant.changes) == ["hashtags_added", "hashtags_for_length"]
    assert "#Röstung #Espresso" in variant.changes[-1].message_en


def test_on_a_thread_the_end_hashtags_go_into_the_last_part():
    master = MasterPost("Kaffee. " * 60, language="de", hashtags=("Kaffee", "Leipzig"))

    variant = adapt(master, network="bluesky", max_length=100, threads=True)

    assert variant.parts[-1].endswith(f"#Kaffee #Leipzig {len(variant.parts)}/{len(variant.parts)}")
    assert variant.fits


def test_a_network_style_without_hashtag_sets_uses_the_workspaces_sets():
    master = MasterPost("Frisch geröstet.", language="de", hashtag_sets=("Leipzig",))
    style = StyleSettings(
        hashtag_sets=(LEIPZIG_SET,), network_styles={"linkedin": StyleSettings(address="sie")}
    )

    variant = adapt(master, style, network="linkedin", max_length=3000)

    assert variant.text == "Frisch geröstet.\n\n#Leipzig #Sachsen"
    assert variant.warnings == ()
