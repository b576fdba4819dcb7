"""Bluesky facets: what is detected, and UTF-8 byte offsets the AT Protocol expects."""

from __future__ import annotations

from townsquare.networks.rules.bluesky import Facet, detect_bluesky_facets


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(facet.kind, facet.value) for facet in detect_bluesky_facets(text)]


def _byte_slice(text: str, facet: Facet) -> str:
    return text.encode()[facet.byte_start : facet.byte_end].decode()


def test_links_mentions_and_tags_are_found_in_order() -> None:
    text = "Hi @alice.bsky.social, see https://example.com/x #news"
    assert _kinds(text) == [
        ("mention", "alice.bsky.social"),
        ("link", "https://example.com/x"),
        ("tag", "news"),
    ]


def test_byte_offsets_count_utf8_bytes_not_characters() -> None:
    text = "Grüße 👋🏽 https://example.com"
    (facet,) = detect_bluesky_facets(text)
    prefix = "Grüße 👋🏽 "
    assert facet.byte_start == len(prefix.encode())
    assert facet.byte_end == len(text.encode())
    assert facet.start == len(prefix)
    assert _byte_slice(text, facet) == "https://example.com"


def test_trailing_punctuation_is_not_part_of_a_link() -> None:
    text = "Read (https://example.com/a). Or https://example.org!"
    assert [value for _, value in _kinds(text)] == ["https://example.com/a", "https://example.org"]


def test_bare_domains_become_https_links_only_with_a_real_tld() -> None:
    assert _kinds("visit example.com today") == [("link", "https://example.com")]
    assert _kinds("file.notatld and readme.txt") == []


def test_mentions_need_a_handle_that_is_a_domain() -> None:
    assert _kinds("@alice @bob.example.com") == [("mention", "bob.example.com")]
    assert _kinds("mail me: me@example.com") == []


def test_tags_drop_trailing_punctuation_and_need_a_non_digit() -> None:
    assert _kinds("#Fest2026! #2026 #ÜberAll") == [("tag", "Fest2026"), ("tag", "ÜberAll")]


def test_tags_longer_than_64_graphemes_are_ignored() -> None:
    assert _kinds("#" + "a" * 65) == []
    assert _kinds("#" + "a" * 64) == [("tag", "a" * 64)]


def test_a_hash_in_a_url_is_not_a_tag() -> None:
    assert _kinds("https://example.com/#section") == [("link", "https://example.com/#section")]


def test_text_without_features_has_no_facets() -> None:
    assert detect_bluesky_facets("nothing to see here") == ()
