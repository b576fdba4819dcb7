"""Splitting into numbered threads and shortening, with simple stand-in counters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.content.adapting.shortening import ELLIPSIS, shorten
from townsquare.content.adapting.threads import (
    LimitTooSmall,
    numbering,
    rejoin_thread,
    split_thread,
)
from townsquare.content.tests.test_adapt_support import graphemes, url_counts_23, utf8_bytes


def grows_faster_than_its_pieces(text: str) -> int:
    # Counts joined text higher than its pieces apart, so the splitter's measurements of
    # pieces can be wrong: the finished parts must still all fit.
    return len(text) + len(text) // 10


COUNTERS: list[Callable[[str], int]] = [
    len,
    url_counts_23,
    utf8_bytes,
    graphemes,
    grows_faster_than_its_pieces,
]

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=" \n"),
    min_size=1,
    max_size=30,
)
separators = st.sampled_from([" ", "  ", "\n", "\n\n", ". ", "! ", "? ", ", ", " \t "])
wordy_text = st.lists(st.tuples(words, separators), max_size=80).map(
    lambda pairs: "".join(word + separator for word, separator in pairs)
)
any_text = st.one_of(st.text(max_size=600), wordy_text)


@settings(max_examples=400, deadline=None)
@given(
    text=any_text, limit=st.integers(min_value=16, max_value=200), counter=st.sampled_from(COUNTERS)
)
def test_any_text_splits_into_valid_parts_that_rejoin_to_the_original(text, limit, counter):
    split = split_thread(text, limit, counter)

    assert rejoin_thread(split.parts, split.joints) == text
    assert all(counter(part) <= limit for part in split.parts)
    assert list(split.lengths) == [counter(part) for part in split.parts]
    assert all(joint == "" or joint.isspace() for joint in split.joints)
    assert split.dropped == ""


@settings(max_examples=200, deadline=None)
@given(
    text=any_text,
    limit=st.integers(min_value=16, max_value=300),
    counter=st.sampled_from([len, url_counts_23, utf8_bytes]),
)
def test_a_counter_that_adds_up_is_trusted_and_its_sums_are_exact(text, limit, counter):
    split = split_thread(text, limit, counter, adds_up=True)

    assert rejoin_thread(split.parts, split.joints) == text
    assert list(split.lengths) == [counter(part) for part in split.parts]
    assert all(counted <= limit for counted in split.lengths)
    assert split.whole == counter(text)


@settings(max_examples=200, deadline=None)
@given(text=any_text, limit=st.integers(min_value=16, max_value=300))
def test_graphemes_may_add_up_to_less_and_trusted_parts_still_fit(text, limit):
    # A grapheme can absorb the following space, so joined text may count less than its
    # pieces: the promise is "never more", and every part must still fit.
    split = split_thread(text, limit, graphemes, adds_up=True)

    assert rejoin_thread(split.parts, split.joints) == text
    for part, counted in zip(split.parts, split.lengths, strict=True):
        assert graphemes(part) <= counted <= limit


@settings(max_examples=200, deadline=None)
@given(text=wordy_text, limit=st.integers(min_value=40, max_value=300))
def test_words_that_fit_into_a_part_are_never_broken(text, limit):
    if any(len(word) + len(" 99/99") > limit for word in text.split()):
        return
    split = split_thread(text, limit, len)

    assert "" not in split.joints
    assert split.broken_words == 0


@settings(max_examples=200, deadline=None)
@given(
    text=any_text,
    limit=st.integers(min_value=20, max_value=120),
    max_parts=st.integers(min_value=1, max_value=5),
)
def test_a_thread_with_a_part_limit_loses_nothing_and_every_part_fits(text, limit, max_parts):
    split = split_thread(text, limit, len, max_parts=max_parts)

    assert all(len(part) <= limit for part in split.parts)
    if max_parts == 1:
        assert len(split.parts) == 1, "one post: shortened, not split"
    else:
        assert split.dropped == ""
        assert rejoin_thread(split.parts, split.joints) == text


@settings(max_examples=300, deadline=None)
@given(
    text=any_text, limit=st.integers(min_value=8, max_value=200), counter=st.sampled_from(COUNTERS)
)
def test_shortened_text_always_fits_and_is_a_prefix_of_the_original(text, limit, counter):
    cut = shorten(text, limit, counter)

    assert counter(cut.text) == cut.length <= limit
    kept = cut.text.removesuffix(ELLIPSIS)
    assert text.startswith(kept.rstrip(",;:-–—/ \t")) or text.startswith(kept)


def test_text_that_fits_stays_one_part_without_numbering():
    split = split_thread("Frisch geröstet: unser neuer Espresso.", 280, len)

    assert split.parts == ("Frisch geröstet: unser neuer Espresso.",)
    assert split.joints == ()


def test_parts_are_numbered_one_of_n_and_the_numbering_is_counted():
    text = " ".join(["Kaffee"] * 40)

    split = split_thread(text, 50, len)

    total = len(split.parts)
    for index, part in enumerate(split.parts, start=1):
        assert part.endswith(numbering(index, total))
        assert len(part) <= 50
    assert split.parts[0].endswith(" 1/" + str(total))


def test_a_thread_breaks_at_sentence_ends_when_the_next_sentence_fits_alone():
    text = (
        "We roast every Tuesday in Leipzig. "
        "This week: a washed Ethiopian with notes of jasmine. "
        "Come by the shop and taste it!"
    )

    split = split_thread(text, 70, len)

    assert split.parts == (
        "We roast every Tuesday in Leipzig. 1/3",
        "This week: a washed Ethiopian with notes of jasmine. 2/3",
        "Come by the shop and taste it! 3/3",
    )


def test_german_abbreviations_and_ordinals_do_not_end_a_sentence():
    text = (
        "Wir öffnen am 1. Mai die neue Rösterei, z. B. mit Führungen. "
        "Kommt vorbei und probiert unseren Espresso!"
    )

    split = split_thread(text, 70, len)

    assert split.parts[0] == "Wir öffnen am 1. Mai die neue Rösterei, z. B. mit Führungen. 1/2"


def test_a_long_sentence_is_split_at_word_boundaries():
    text = "Unsere Bohnen kommen direkt von kleinen Kooperativen aus Äthiopien und Kolumbien"

    split = split_thread(text, 40, len)

    assert all(joint == " " for joint in split.joints)
    assert rejoin_thread(split.parts, split.joints) == text


def test_a_word_longer_than_a_part_is_broken_at_grapheme_boundaries():
    family = "👨\u200d👩\u200d👧"
    text = family * 30

    split = split_thread(text, 40, len)

    assert "" in split.joints
    for part in split.parts:
        content = part.rsplit(" ", 1)[0]
        assert len(content) % len(family) == 0  # never inside the ZWJ sequence
    assert rejoin_thread(split.parts, split.joints) == text


def test_numbering_grows_to_two_digits_when_a_thread_has_ten_parts_or_more():
    text = " ".join(["word"] * 100)

    split = split_thread(text, 20, len)

    assert len(split.parts) >= 10
    assert split.parts[-1].endswith(f" {len(split.parts)}/{len(split.parts)}")
    assert all(len(part) <= 20 for part in split.parts)


def test_links_count_as_23_when_the_counter_says_so():
    link = "https://example.com/" + "a" * 100
    text = f"Unser Shop: {link} und mehr Text dahinter, damit es zwei Teile werden."

    split = split_thread(text, 60, url_counts_23)

    assert any(link in part for part in split.parts)
    assert all(url_counts_23(part) <= 60 for part in split.parts)


def test_the_counter_is_not_called_for_every_prefix():
    calls = 0

    def counting_len(text: str) -> int:
        nonlocal calls
        calls += 1
        return len(text)

    text = " ".join(f"Satz {n} über Kaffee, Röstung und Leipzig." for n in range(50))

    split = split_thread(text, 280, counting_len)

    assert len(text) > 2000
    assert calls <= 1 + 8 * len(split.parts)


def test_too_many_parts_pack_words_densely_when_that_makes_the_thread_short_enough():
    text = "Ein Satz hier. Noch ein Satz hier dabei. Und der dritte Satz folgt. Und der letzte."

    by_sentence = split_thread(text, 40, len)
    packed = split_thread(text, 40, len, max_parts=3)

    assert len(by_sentence.parts) == 4
    assert len(packed.parts) == 3
    assert rejoin_thread(packed.parts, packed.joints) == text


def test_a_thread_too_long_for_its_part_limit_keeps_all_of_its_text():
    text = " ".join(f"Sentence number {n} is here." for n in range(30))

    split = split_thread(text, 60, len, max_parts=3)

    assert len(split.parts) > 3
    assert split.dropped == ""
    assert rejoin_thread(split.parts, split.joints) == text


def test_a_limit_without_room_for_numbering_is_refused():
    with pytest.raises(LimitTooSmall):
        split_thread("a" * 50, 4, len)


def test_shortening_prefers_a_sentence_end_that_keeps_half_the_limit():
    text = "Neue Bohnen sind da und warten auf euch. Der Rest dieses Textes ist viel zu lang."

    cut = shorten(text, 60, len)

    assert cut.text == "Neue Bohnen sind da und warten auf euch."
    assert cut.cut == "sentence"
    assert cut.dropped == "Der Rest dieses Textes ist viel zu lang."


def test_shortening_uses_a_word_and_an_ellipsis_when_the_first_sentence_is_too_short():
    text = "Neu! Unsere Bohnen kommen direkt von kleinen Kooperativen aus Äthiopien."

    cut = shorten(text, 40, len)

    assert cut.cut == "word"
    assert cut.text.endswith(ELLIPSIS)
    assert len(cut.text) <= 40


def test_shortening_keeps_the_tail_the_caller_needs():
    cut = shorten("Ein langer Text über Kaffee. " * 10, 60, len, tail="\n\nLink in bio")

    assert cut.text.endswith("\n\nLink in bio")
    assert len(cut.text) <= 60


def test_a_cut_right_after_a_short_sentence_takes_no_ellipsis():
    text = "Neu! Jetzt" + " x" * 100

    cut = shorten(text, 8, len)

    assert cut.text == "Neu!"
    assert cut.cut == "sentence"
