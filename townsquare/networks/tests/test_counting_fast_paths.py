"""The fast paths of the counters give exactly what the general (slow) way gives.

Each counter skips work where it can prove nothing happens (no joining code point, no dot
before a top-level domain, no emoji start) and segments or walks only small windows. These
tests compare them with the plain algorithms on generated text that mixes ASCII, emoji
(whole, cut short and joined), URLs, CJK, combining marks, Hangul, flags and line breaks.
"""

from __future__ import annotations

import emoji
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from townsquare.networks.rules import counting as counting_module
from townsquare.networks.rules import text_units, urls, x_weighted
from townsquare.networks.rules.counting import text_length
from townsquare.networks.rules.text_units import (
    emoji_spans,
    emoji_spans_by_tokenizer,
    grapheme_count,
    grapheme_ends,
    joining_code_points,
)
from townsquare.networks.rules.urls import extract_urls
from townsquare.networks.rules.x_weighted import (
    X_CONFIG_V2,
    X_CONFIG_V3,
    XCountingConfig,
    parse_x_text,
    x_weighted_length,
)

_EMOJI = sorted(emoji.EMOJI_DATA)
_PIECES = [
    "Hallo Welt. ",
    "https://example.com/path?q=1",
    "http://t.co/abc",
    "example.org",
    "shop.example/x",
    "z.B. ",
    "@alice@social.example",
    "#tag ",
    "日本語",
    "みんな",
    ".рф",
    "cafe\u0301",
    "e\u0301\u0302",
    "\u0915\u094d\u0937",  # Devanagari conjunct
    "\u1100\u1161\u11a8",  # Hangul jamo
    "\uac00\u11a8",
    "\U0001f1e9\U0001f1ea\U0001f1e9",  # a flag and a lone regional indicator
    "\u200d",
    "\ufe0f",
    "\ufe0e",
    "\u20e3",
    "1",
    "#",
    "©",
    "\r\n",
    "\r",
    "\n",
    " ",
    "\u00a0",
    "\ufeff",
    "\u0600",  # a prepended concatenation mark
    "\U000e0067\U000e007f",  # tag characters
]
_piece = st.one_of(
    st.sampled_from(_PIECES),
    st.sampled_from(_EMOJI),
    st.sampled_from(_EMOJI).flatmap(lambda key: st.integers(1, len(key)).map(lambda n: key[:n])),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=4),
)
texts = st.lists(_piece, max_size=30).map("".join)
thorough = settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

_GRAPHEME = regex.compile(r"\X")


# --- graphemes -----------------------------------------------------------------------------------
@thorough
@given(texts)
@example("\U0001f3f3\ufe0f\u200d©\u200d\U0001f308")  # a ZWJ sequence through a light "©"
@example("a\u0301b\u0301")  # joining runs one code point apart share a window
@example("\r\n\r\r\n")
def test_grapheme_count_equals_a_full_segmentation(text: str) -> None:
    clusters = _GRAPHEME.findall(text)
    assert grapheme_count(text) == len(clusters)
    assert grapheme_ends(text) == [m.end() for m in _GRAPHEME.finditer(text)]


def test_the_joining_scan_covers_every_joining_code_point_of_every_plane() -> None:
    everything = "".join(map(chr, range(0x110000)))
    properties = text_units._JOINING_PROPERTIES
    joining = set(regex.findall(f"[{properties}]", everything))
    assert joining == joining_code_points()  # none outside the planes that are scanned
    scanned = "".join(text_units._JOINING_SCAN.findall("".join(sorted(joining))))
    assert len(scanned) == len(joining)


# --- emoji ---------------------------------------------------------------------------------------
@thorough
@given(texts)
@example("\U0001f468\u200dx")  # a ZWJ after an emoji start, outside every sequence
@example(" \U0001f9d1\U0001f3fc\u200d\U0001f430\u200d\U0001f3fb\u200d\n")
@example("1\u20e3 #\ufe0f\u20e3 *x 12")
def test_emoji_spans_equal_the_emoji_package(text: str) -> None:
    expected = tuple((found["match_start"], found["match_end"]) for found in emoji.emoji_list(text))
    assert emoji_spans(text) == expected
    assert emoji_spans_by_tokenizer(text) == expected


def test_emoji_spans_need_no_tokenizer_for_standard_sequences() -> None:
    text = "Neu 🏳️‍🌈 und 👩🏽‍💻, 1️⃣ 🇩🇪"
    assert emoji_spans(text) == emoji_spans_by_tokenizer(text)
    assert not text_units._tokenizer_steps_back(text, list(emoji_spans(text)))


# --- URLs ----------------------------------------------------------------------------------------
_DOTTED_TOKEN = regex.compile(r"(?<!\S)\S*?\.\S*")


def _urls_token_by_token(text: str, without_protocol: bool) -> tuple[urls.UrlMatch, ...]:
    """The general way: every whitespace-free token with a dot is searched."""
    found: list[urls.UrlMatch] = []
    for token in _DOTTED_TOKEN.finditer(text):
        urls._extract_in(text, token.start(), token.end(), without_protocol, found)
    return tuple(found)


@thorough
@given(texts, st.booleans())
@example("a.com\u3000b.de x.рф", True)
@example("see https://example.com/a. And www.example.com", False)
def test_url_extraction_equals_searching_every_dotted_token(
    text: str, without_protocol: bool
) -> None:
    expected = _urls_token_by_token(text, without_protocol)
    assert extract_urls(text, without_protocol=without_protocol) == expected


def test_every_top_level_domain_starts_with_a_letter_in_any_case() -> None:
    # The extraction only tries a dot followed by what `_DOT_BEFORE_LETTER` calls a letter.
    starts = "".join(sorted({name[0] for name in urls.TLDS} | {"x"}))
    first = regex.compile(f"[{regex.escape(starts)}]", regex.I)
    everything = "".join(map(chr, range(0x110000)))
    for char in first.findall(everything):
        assert urls._DOT_BEFORE_LETTER.match("." + char), char


# --- X -------------------------------------------------------------------------------------------
def _x_weight_code_point_by_code_point(text: str, config: XCountingConfig) -> int:
    """twitter-text's way: every code point weighed, then URLs and emoji as one each."""

    def weigh(start: int, end: int) -> int:
        return sum(x_weighted._code_point_weight(ord(char), config) for char in text[start:end])

    urls_found = extract_urls(text)
    total = weigh(0, len(text))
    for url in urls_found:
        total += config.transformed_url_length * config.scale - weigh(url.start, url.end)
    for start, end in emoji_spans(text) if config.emoji_parsing else ():
        if not any(url.start <= start < url.end for url in urls_found):
            total += config.default_weight - weigh(start, end)
    return total


_X_CONFIGS = [
    X_CONFIG_V3,
    X_CONFIG_V2,
    XCountingConfig(transformed_url_length=30),
    XCountingConfig(ranges=((48, 57, 100), (128, 4351, 100))),  # ASCII letters weigh double
    XCountingConfig(ranges=((0, 127, 100), (128, 4351, 150))),  # not one weight for all
]


@thorough
@given(texts, st.sampled_from(_X_CONFIGS))
@example("\ufeff\u0958 a", X_CONFIG_V3)
def test_x_weight_from_heavy_runs_equals_weighing_every_code_point(
    text: str, config: XCountingConfig
) -> None:
    assert x_weighted._scaled_weight(text, config)[0] == _x_weight_code_point_by_code_point(
        text, config
    )
    assert x_weighted_length(text, config) == parse_x_text(text, config).weighted_length


def test_configurations_with_several_range_weights_weigh_code_point_by_code_point() -> None:
    config = XCountingConfig(ranges=((0, 127, 100), (128, 4351, 150)))
    assert x_weighted_length("aä", config) == 2  # (100 + 150) // 100
    assert x_weighted_length("ä" * 4, config) == 6


# --- remembered counts and thread numbering ---------------------------------------------------
_RULES = ["x_weighted_v3", "bluesky", "mastodon", "threads"]


@thorough
@given(
    texts,
    st.integers(0, 120),
    st.integers(0, 120),
    st.sampled_from(["", "x", " ", "\u0301", "\ufe0f", "\u20e3"]),
    st.sampled_from(_RULES),
    st.sampled_from([(None, ""), (30, "Spoiler\u0301 "), (23, "A")]),
)
@example("see example.com", 1, 2, "", "x_weighted_v3", (None, ""))
@example("\u0600a", 1, 2, "", "bluesky", (None, ""))  # a prepended mark joins the "a" only
@example("@alice@social.example", 3, 4, "", "mastodon", (None, "cw"))
def test_a_numbered_part_counts_as_its_head_plus_the_numbering(
    text: str,
    index: int,
    total: int,
    after: str,
    counting: str,
    options: tuple[int | None, str],
) -> None:
    url_weight, warning = options
    numbered = f"{text} {index}/{total}{after}"
    expected = counting_module._count(counting, numbered, url_weight, warning)
    counting_module._remembered.cache_clear()
    assert (
        text_length(counting, numbered, url_weight=url_weight, content_warning=warning) == expected
    )
    # Again with the head remembered, as after a thread split.
    text_length(counting, text, url_weight=url_weight, content_warning=warning)
    assert (
        text_length(counting, numbered, url_weight=url_weight, content_warning=warning) == expected
    )
