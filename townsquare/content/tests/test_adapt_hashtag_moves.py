"""Moving hashtags to the end: words of a sentence keep their "#", tags that stand apart
move intact, and no post of a thread is made of hashtags alone."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.content.adapt import (
    ContactBook,
    MasterPost,
    StyleSettings,
    adapt_variant,
    rejoin_thread,
)
from townsquare.content.adapting.threads import numbering
from townsquare.content.adapting.tokens import HASHTAG_RE
from townsquare.content.tests.test_adapt_support import codes, target

MOVE = StyleSettings(hashtag_policy="move_to_end")
KEEP = StyleSettings()


def adapt(master, style=MOVE, **target_options):
    return adapt_variant(master, target(**target_options), style, ContactBook())


def holds_only_hashtags(part: str, index: int, total: int) -> bool:
    """Whether a post of a thread, numbering aside, has nothing but hashtags in it."""
    content = part.removesuffix(numbering(index, total)) if total > 1 else part
    return not regex.search(r"\w", HASHTAG_RE.sub("", content))


def hashtag_only_parts(variant) -> list[str]:
    total = len(variant.parts)
    return [
        part
        for index, part in enumerate(variant.parts, start=1)
        if holds_only_hashtags(part, index, total)
    ]


def test_move_to_end_leaves_hashtags_that_are_words_of_the_sentence_in_place():
    master = MasterPost("Wir lieben #Kaffee aus #Leipzig.", language="de")

    variant = adapt(master, network="mastodon", max_length=500)

    assert variant.text == "Wir lieben #Kaffee aus #Leipzig."
    assert codes(variant.changes) == ["hashtags_kept_in_sentence"]
    kept = variant.changes[0]
    assert "#Kaffee #Leipzig" in kept.message_en and "words of the sentence" in kept.message_en
    assert "#Kaffee #Leipzig bleiben" in kept.message_de and "Wörter des Satzes" in kept.message_de


def test_one_hashtag_kept_in_the_sentence_is_explained_in_the_singular():
    variant = adapt(MasterPost("Wir lieben #Kaffee.", language="de"), network="x")

    kept = variant.changes[0]
    assert "#Kaffee is a word of the sentence" in kept.message_en
    assert "#Kaffee bleibt" in kept.message_de and "ein Wort des Satzes" in kept.message_de


def test_a_trailing_run_of_hashtags_moves_intact_into_a_block_of_its_own():
    master = MasterPost("Hallo Welt #Kaffee #Leipzig", language="de")

    variant = adapt(master, network="mastodon", max_length=500)

    assert variant.text == "Hallo Welt\n\n#Kaffee #Leipzig"
    assert codes(variant.changes) == ["hashtags_moved_to_end"]
    moved = variant.changes[0]
    assert "#Kaffee #Leipzig" in moved.message_en
    assert moved.message_de.startswith("#Kaffee #Leipzig ans Ende verschoben")


def test_a_line_of_hashtags_in_the_middle_moves_to_the_end_and_its_line_goes():
    master = MasterPost(
        "Neue Bohnen sind da.\n#Kaffee #Leipzig\nAb Montag im Laden. #Röstung", language="de"
    )

    variant = adapt(master, network="mastodon", max_length=500)

    assert variant.text == "Neue Bohnen sind da.\nAb Montag im Laden.\n\n#Kaffee #Leipzig #Röstung"
    assert codes(variant.changes) == ["hashtags_moved_to_end"]


def test_keep_inline_leaves_a_trailing_run_where_the_author_put_it():
    master = MasterPost("Hallo Welt #Kaffee #Leipzig", language="de", hashtags=("Sachsen",))

    variant = adapt(master, KEEP, network="mastodon", max_length=500)

    assert variant.text == "Hallo Welt #Kaffee #Leipzig #Sachsen"


def test_the_hashtags_of_a_thread_stay_with_the_last_text_instead_of_a_post_of_their_own():
    # 272 characters without a sentence end fill the first post: the two tags after them
    # used to become a post of their own.
    body = "Hallo Welt, " + "wir rösten heute frisch, " * 10 + "bis morgen"
    master = MasterPost(body + " #Kaffee #Leipzig", language="de")

    for style in (MOVE, KEEP):
        variant = adapt(master, style, network="x", max_length=280, threads=True)

        assert len(variant.parts) == 2
        assert hashtag_only_parts(variant) == []
        assert variant.parts[-1].startswith("morgen"), "the tags go with the last words"
        assert variant.parts[-1].endswith("#Kaffee #Leipzig 2/2")
        assert "Kaffee Leipzig" not in variant.text, "no word lost its hashtag sign"
        assert rejoin_thread(variant.parts, variant.joints) == variant.text


def test_hashtags_that_do_not_fit_beside_the_last_text_are_left_out_lowest_priority_first():
    tags = ("Kaffee", "Leipzig", "Sachsen", "Röstung", "Espresso", "Frühstück", "Sonntag")
    master = MasterPost("Neue Bohnen sind da. " * 6, language="de", hashtags=tags)

    variant = adapt(master, KEEP, network="bluesky", max_length=60, threads=True)

    assert hashtag_only_parts(variant) == []
    assert variant.fits
    left_out = next(c for c in variant.changes if c.code == "hashtags_for_thread")
    kept = [tag for tag in tags if f"#{tag}" in variant.text]
    dropped = [tag for tag in tags if tag not in kept]
    assert kept == list(tags[: len(kept)]) and dropped, "the post's last tags go first"
    assert " ".join(f"#{tag}" for tag in dropped) in left_out.message_en
    assert "hashtags alone" in left_out.message_en
    assert "nur aus Hashtags" in left_out.message_de


# --- property: what the author wrote as words stays, and no post is hashtags only ---------------

PLAIN_WORDS = st.sampled_from(
    ["wir", "rösten", "heute", "frisch", "bohnen", "und", "milch", "laden", "morgen", "gut"]
)
TAG_WORDS = st.sampled_from(
    ["Kaffee", "Leipzig", "Sachsen", "Röstung", "Espresso", "Barista", "Crema", "Filter"]
)


@st.composite
def sentences(draw):
    """A sentence starting with a plain word; some later words are hashtags, never more
    than two in a row (a sentence that is mostly a run of hashtags longer than a whole
    post cannot be split without a post of hashtags, and nobody writes one)."""
    words = [draw(PLAIN_WORDS).capitalize()]
    in_a_row = 0
    for _ in range(draw(st.integers(1, 12))):
        if in_a_row < 2 and draw(st.integers(0, 4)) == 0:
            words.append("#" + draw(TAG_WORDS))
            in_a_row += 1
        else:
            words.append(draw(PLAIN_WORDS))
            in_a_row = 0
    return " ".join(words) + draw(st.sampled_from([".", "!", "?"]))


@st.composite
def masters(draw):
    """Sentences, lines of hashtags between them, and a closing run of hashtags."""
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        pieces.append(draw(sentences()))
        if draw(st.integers(0, 4)) == 0:
            run = " ".join("#" + tag for tag in draw(st.lists(TAG_WORDS, min_size=1, max_size=3)))
            pieces.append("\n" + run + "\n")
    text = " ".join(pieces)
    ending = draw(st.sampled_from(["", " ", "\n\n"]))
    if ending:
        closing = draw(st.lists(TAG_WORDS, min_size=1, max_size=4))
        text = text.rstrip(".!?") if ending == " " and len(closing) > 1 else text
        text += ending + " ".join("#" + tag for tag in closing)
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=masters(),
    added=st.lists(TAG_WORDS, max_size=5),
    style=st.sampled_from([MOVE, KEEP]),
    limit=st.integers(min_value=80, max_value=300),
)
def test_no_post_of_a_thread_is_hashtags_only_and_no_word_loses_its_sign(text, added, style, limit):
    master = MasterPost(text, language="de", hashtags=tuple(added))

    variant = adapt(master, style, network="bluesky", max_length=limit, threads=True)

    assert hashtag_only_parts(variant) == []
    assert variant.fits
    assert rejoin_thread(variant.parts, variant.joints) == variant.text
    left_out = " ".join(c.message_en for c in variant.changes if c.code in ("hashtags_for_thread",))
    for tag in set(regex.findall(r"#(\w+)", text)) | set(added):
        # A tag word never stands in the variant without its sign: it kept its place in the
        # sentence, moved intact, or was left out with a note saying so.
        assert not regex.search(rf"(?<![#\w]){tag}(?!\w)", variant.text), (tag, variant.text)
        assert f"#{tag}" in variant.text or f"#{tag}" in left_out, (tag, variant.changes)
    for sentence in regex.findall(r"[A-Z][^.!?\n]*[.!?]", text):
        if "#" in sentence:
            assert sentence in variant.text, "a sentence with hashtags in it stays as written"
