"""Each network's counting rule, on the cases that make it different from the others."""

from __future__ import annotations

import pytest

from townsquare.networks.rules.counting import (
    bluesky_length,
    count_cashtags,
    count_hashtags,
    count_mentions,
    distinct_links,
    emoji_spans,
    find_hashtags,
    grapheme_count,
    linkedin_escape,
    linkedin_length,
    mastodon_countable_text,
    mastodon_length,
    overflow_index,
    parse_x_text,
    telegram_length,
    telegram_visible_text,
    text_length,
    threads_length,
    utf8_length,
    utf16_length,
    x_weighted_length,
)
from townsquare.networks.rules.model import TEXT_COUNTINGS

FAMILY_2023 = "\U0001f9d1\u200d\U0001f9d1\u200d\U0001f9d2"  # 🧑‍🧑‍🧒 (Emoji 15.1)
HEAD_SHAKING = "\U0001f642\u200d\u2194\ufe0f"  # 🙂‍↔️ (Emoji 15.1)


# --- X ------------------------------------------------------------------------------------------
def test_x_counts_every_url_as_23() -> None:
    assert x_weighted_length("https://example.com/a/very/long/path/that/goes/on") == 23
    assert x_weighted_length("see example.com") == 4 + 23


def test_x_counts_cjk_as_two_and_latin_as_one() -> None:
    assert x_weighted_length("abc") == 3
    assert x_weighted_length("日本") == 4


def test_x_counts_recent_zwj_emoji_sequences_as_two() -> None:
    assert x_weighted_length(FAMILY_2023) == 2
    assert x_weighted_length(HEAD_SHAKING) == 2
    assert x_weighted_length("🇩🇪") == 2


def test_x_normalises_to_nfc_before_counting() -> None:
    assert x_weighted_length("cafe\u0301") == 4


def test_x_reports_where_the_text_stops_fitting() -> None:
    result = parse_x_text("a" * 285)
    assert (result.weighted_length, result.valid, result.overflow_index) == (285, False, 280)
    assert parse_x_text("a" * 280).overflow_index is None


def test_x_url_weight_can_follow_a_different_configuration() -> None:
    assert text_length("x_weighted_v3", "https://example.com", url_weight=30) == 30


def test_x_empty_text_is_not_valid() -> None:
    assert parse_x_text("").valid is False


# --- Bluesky -------------------------------------------------------------------------------------
def test_bluesky_counts_graphemes_and_bytes_separately() -> None:
    length = bluesky_length("Grüße 👋🏽")
    assert length.graphemes == 7
    assert length.utf8_bytes == len("Grüße 👋🏽".encode())


def test_bluesky_counts_a_crlf_pair_as_one_grapheme() -> None:
    assert grapheme_count("a\r\nb") == 3


def test_bluesky_does_not_shorten_links() -> None:
    url = "https://example.com/" + "a" * 50
    assert text_length("bluesky", url) == len(url)


# --- Mastodon ------------------------------------------------------------------------------------
def test_mastodon_counts_a_url_as_23_characters() -> None:
    assert mastodon_length("read https://example.com/" + "x" * 100) == 5 + 23


def test_mastodon_counts_remote_mentions_without_their_domain() -> None:
    assert mastodon_countable_text("hi @alice@social.example!") == "hi @alice!"
    assert mastodon_length("hi @alice@social.example") == len("hi @alice")


def test_mastodon_counts_the_content_warning_with_the_text() -> None:
    assert mastodon_length("text", content_warning="spoiler") == 11


def test_mastodon_ignores_bare_domains_when_shortening() -> None:
    assert mastodon_length("example.com") == 11


def test_mastodon_uses_the_instance_url_weight() -> None:
    assert mastodon_length("https://example.com/abc", url_weight=10) == 10


def test_mastodon_counts_graphemes_not_code_points() -> None:
    assert mastodon_length("👨‍👩‍👧‍👦") == 1


# --- Threads -------------------------------------------------------------------------------------
def test_threads_counts_emoji_by_their_utf8_bytes() -> None:
    assert threads_length("hi 👋") == 3 + 4
    assert threads_length(FAMILY_2023) == len(FAMILY_2023.encode())


def test_threads_counts_other_text_as_characters() -> None:
    assert threads_length("Grüße") == 5


# --- Telegram ------------------------------------------------------------------------------------
def test_telegram_counts_the_text_left_after_html_parsing() -> None:
    html = '<b>Bold</b> &amp; <a href="https://example.com">link</a>'
    assert telegram_visible_text(html) == "Bold & link"
    assert telegram_length(html) == 11


def test_telegram_counts_utf16_code_units() -> None:
    assert telegram_length("😀", parse_mode=None) == 2
    assert telegram_length("ä", parse_mode=None) == 1


def test_telegram_leaves_plain_text_alone() -> None:
    assert telegram_visible_text("a <b> c", parse_mode=None) == "a <b> c"


def test_telegram_decodes_numeric_references() -> None:
    assert telegram_visible_text("&#128512; &#x41;") == "😀 A"


# --- LinkedIn ------------------------------------------------------------------------------------
def test_linkedin_escapes_every_reserved_character() -> None:
    assert linkedin_escape(r"a\b|c{d}e@f[g]h(i)j<k>l*m_n~o", hashtags=False) == (
        r"a\\b\|c\{d\}e\@f\[g\]h\(i\)j\<k\>l\*m\_n\~o"
    )


def test_linkedin_turns_hashtags_into_templates() -> None:
    assert linkedin_escape("Hello #community (new)") == r"Hello {hashtag|\#|community} \(new\)"


def test_linkedin_escapes_a_lone_hash() -> None:
    assert linkedin_escape("# 1") == r"\# 1"


def test_linkedin_counts_the_visible_text() -> None:
    assert linkedin_length("a_b (c)") == 7


# --- Instagram and friends: hashtags, mentions, cashtags, links -----------------------------
def test_hashtags_need_a_letter_and_a_word_start() -> None:
    assert count_hashtags("#eins #zwei #3 a#b #über") == 3
    assert find_hashtags("x #tag") == ((2, 6),)


def test_mentions_are_counted_for_user_tag_caps() -> None:
    assert count_mentions("@anna and @ben.k, mail@example.com") == 2


def test_cashtags_are_counted() -> None:
    assert count_cashtags("$TWTR and $AAPL but not $1 or a$B") == 2


def test_distinct_links_ignore_repeats() -> None:
    text = "https://a.com https://A.com/ https://b.com example.org"
    assert distinct_links(text) == ("https://a.com", "https://b.com", "example.org")


# --- units, dispatch, overflow ------------------------------------------------------
def test_utf_lengths_survive_lone_surrogates() -> None:
    assert utf16_length("a\ud800") == 2
    assert utf8_length("a\ud800") == 4


def test_emoji_spans_cover_whole_sequences() -> None:
    assert emoji_spans("a " + FAMILY_2023 + " b") == ((2, 2 + len(FAMILY_2023)),)
    assert emoji_spans("plain text") == ()


@pytest.mark.parametrize("counting", TEXT_COUNTINGS)
def test_every_counting_rule_has_a_function(counting: str) -> None:
    assert text_length(counting, "Hallo") == 5


def test_an_unknown_counting_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown text counting"):
        text_length("morse", "...")


def test_overflow_index_points_at_the_first_grapheme_that_does_not_fit() -> None:
    assert overflow_index("bluesky", "ab👋🏽cd", 3) == 4
    assert overflow_index("utf16", "abc", 3) is None
    assert overflow_index("utf8_bytes", "ääää", 5) == 2
