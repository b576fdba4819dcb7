"""Properties that must hold for any text, checked on generated input."""

from __future__ import annotations

import itertools

import emoji
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.networks.rules.bluesky import bluesky_length, detect_bluesky_facets
from townsquare.networks.rules.counting import (
    grapheme_count,
    telegram_length,
    text_length,
    utf8_length,
    utf16_length,
    x_weighted_length,
)
from townsquare.networks.rules.model import TEXT_COUNTINGS
from townsquare.networks.rules.text_units import emoji_spans

# Valid Unicode text (no lone surrogates), mixing scripts, emoji and post-like pieces.
_pieces = st.sampled_from(
    [
        "https://example.com/path",
        "example.org",
        "@alice.bsky.social",
        "#tag",
        "👋🏽",
        "👨‍👩‍👧‍👦",
        "\U0001f9d1\u200d\U0001f9d1\u200d\U0001f9d2",
        "🇩🇪",
        "日本語",
        "Grüße",
        " ",
        "\n",
        ".",
        "(",
        ")",
    ]
)
_chars = st.characters(blacklist_categories=("Cs",))
texts = st.lists(st.one_of(_pieces, st.text(_chars, max_size=8)), max_size=20).map("".join)
fast = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@fast
@given(texts)
def test_bluesky_byte_count_equals_the_utf8_encoding(text: str) -> None:
    assert bluesky_length(text).utf8_bytes == len(text.encode("utf-8"))


@fast
@given(texts)
def test_bluesky_facet_byte_ranges_slice_back_to_the_matched_text(text: str) -> None:
    encoded = text.encode("utf-8")
    for facet in detect_bluesky_facets(text):
        assert (
            encoded[facet.byte_start : facet.byte_end].decode("utf-8")
            == text[facet.start : facet.end]
        )
        assert 0 <= facet.byte_start < facet.byte_end <= len(encoded)


@fast
@given(texts)
def test_facets_never_overlap(text: str) -> None:
    facets = detect_bluesky_facets(text)
    for earlier, later in itertools.pairwise(facets):
        assert earlier.byte_end <= later.byte_start


@fast
@given(texts, texts)
def test_x_weighted_length_never_drops_when_a_new_word_is_appended(text: str, word: str) -> None:
    # Appending right after a URL may turn "example.com" into "example.com-", which is no URL
    # (twitter-text behaves the same), so the property holds from a word boundary on.
    assert x_weighted_length(text + " " + word) >= x_weighted_length(text)


@fast
@given(texts)
def test_x_weighted_length_is_positive_for_any_text_that_is_not_blank(text: str) -> None:
    assert x_weighted_length(text) >= 0
    if text.strip():
        assert x_weighted_length(text) >= 1


@fast
@given(st.text(max_size=60))
def test_telegram_counts_equal_utf16_length_for_plain_text(text: str) -> None:
    expected = len(text.encode("utf-16-le", "surrogatepass")) // 2
    assert telegram_length(text, parse_mode=None) == expected
    assert utf16_length(text) == expected


@fast
@given(st.text(max_size=60))
def test_utf8_length_matches_a_lenient_encoder(text: str) -> None:
    assert utf8_length(text) == len(text.encode("utf-8", "surrogatepass"))


@fast
@given(texts)
def test_grapheme_count_matches_the_unicode_segmentation(text: str) -> None:
    assert grapheme_count(text) == len(regex.findall(r"\X", text))


@fast
@given(texts)
def test_emoji_spans_agree_with_the_emoji_package(text: str) -> None:
    expected = tuple((item["match_start"], item["match_end"]) for item in emoji.emoji_list(text))
    assert emoji_spans(text) == expected


@fast
@given(st.text(max_size=80), st.sampled_from(TEXT_COUNTINGS))
def test_every_counting_rule_accepts_any_string(text: str, counting: str) -> None:
    assert text_length(counting, text) >= 0
