"""Links per network: inline, as a Bluesky card, or in the Instagram bio."""

from __future__ import annotations

from townsquare.content.adapt import ContactBook, MasterPost, StyleSettings, adapt_variant
from townsquare.content.tests.test_adapt_support import codes, target, url_counts_23

SHOP = "https://kaffee.example/shop/espresso"


def adapt(master: MasterPost, **target_options):
    return adapt_variant(master, target(**target_options), StyleSettings(), ContactBook())


def test_bluesky_keeps_the_link_in_the_text_and_reports_the_card_it_will_attach():
    master = MasterPost(f"Neu im Shop: unser Espresso {SHOP}", language="de")

    variant = adapt(master, network="bluesky", link_mode="card")

    assert variant.text == master.text
    assert variant.link_card_url == SHOP
    assert codes(variant.changes) == ["link_card"]
    assert SHOP in variant.changes[0].message_en


def test_the_card_is_for_the_posts_main_link_even_if_the_text_has_none():
    master = MasterPost("Neu im Shop: unser Espresso.", language="de", link_url=SHOP)

    variant = adapt(master, network="bluesky", link_mode="card")

    assert variant.text == "Neu im Shop: unser Espresso."
    assert variant.link_card_url == SHOP


def test_instagram_replaces_the_link_with_a_german_link_in_bio_hint():
    master = MasterPost(f"Neu im Shop: unser Espresso. Mehr dazu: {SHOP}", language="de")

    variant = adapt(master, network="instagram", max_length=2200, link_mode="bio")

    assert variant.text == "Neu im Shop: unser Espresso. Mehr dazu: Link in der Bio"
    assert variant.bio_link_url == SHOP
    assert "link_replaced_by_hint" in codes(variant.changes)
    assert "bio_link_reminder" in codes(variant.warnings)


def test_instagram_uses_the_english_hint_for_an_english_post():
    master = MasterPost(f"New in the shop: our espresso. More: {SHOP}.", language="en")

    variant = adapt(master, network="instagram", max_length=2200, link_mode="bio")

    assert variant.text == "New in the shop: our espresso. More: Link in bio."


def test_instagram_adds_the_hint_when_only_the_post_has_a_link():
    master = MasterPost("Unser Espresso ist da!", language="de", link_url=SHOP)

    variant = adapt(master, network="instagram", max_length=2200, link_mode="bio")

    assert variant.text == "Unser Espresso ist da!\n\nLink in der Bio"
    assert codes(variant.changes) == ["link_hint_added"]


def test_instagram_removes_further_links_and_warns_that_they_are_unreachable():
    other = "https://kaffee.example/blog/ernte"
    master = MasterPost(f"Shop: {SHOP} und Blog: {other} und mehr.", language="de")

    variant = adapt(master, network="instagram", max_length=2200, link_mode="bio")

    assert variant.text == "Shop: Link in der Bio und Blog: und mehr."
    assert codes(variant.changes) == ["link_replaced_by_hint", "link_removed"]
    assert "several_links_for_bio" in codes(variant.warnings)
    assert other in variant.warnings[-1].message_en


def test_inline_networks_keep_links_and_append_the_main_link_when_missing():
    master = MasterPost("Unser Espresso ist da!", language="de", link_url=SHOP)

    variant = adapt(master, network="x", length=url_counts_23)

    assert variant.text == f"Unser Espresso ist da!\n\n{SHOP}"
    assert codes(variant.changes) == ["link_appended"]


def test_inline_networks_do_not_append_a_link_the_text_already_has():
    master = MasterPost(f"Unser Espresso: {SHOP}/", language="de", link_url=SHOP)

    variant = adapt(master, network="mastodon", length=url_counts_23)

    assert variant.text == master.text
    assert variant.changes == ()


def test_a_long_link_counts_23_when_the_networks_counter_says_so():
    long_link = "https://kaffee.example/" + "a" * 250
    master = MasterPost(f"Alles über unsere Bohnen: {long_link}", language="de")

    variant = adapt(master, network="x", max_length=60, length=url_counts_23, threads=True)

    assert variant.parts == (master.text,)
    assert variant.lengths == (len("Alles über unsere Bohnen: ") + 23,)


def test_a_link_is_never_cut_when_a_post_without_threads_is_shortened():
    master = MasterPost("Unsere neue Röstung ist da. " * 10, language="de", link_url=SHOP)

    variant = adapt(master, network="mastodon", max_length=120, length=url_counts_23)

    assert variant.text.endswith(SHOP)
    assert variant.fits
    assert "text_shortened" in codes(variant.changes)
    assert "content_cut" in codes(variant.warnings)


def test_trailing_punctuation_is_not_part_of_a_link():
    master = MasterPost(f"Mehr (siehe {SHOP}).", language="de")

    variant = adapt(master, network="instagram", max_length=2200, link_mode="bio")

    assert variant.text == "Mehr (siehe Link in der Bio)."
