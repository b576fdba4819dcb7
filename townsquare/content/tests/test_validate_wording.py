"""The validator's findings that need care in their wording: template placeholders, threads
too long for a network, and numbers with the right form of their noun in both languages."""

from __future__ import annotations

import pytest

from townsquare.content.placeholders import unfilled_placeholders
from townsquare.content.tests.test_validate import PHOTO, RULES, codes, only, problems
from townsquare.content.validate import MediaInput, VariantInput
from townsquare.content.validate_messages import MESSAGES
from townsquare.networks.rules.loader import effective_rules

# --- template placeholders -----------------------------------------------------------------------


def test_an_unfilled_placeholder_is_an_error_with_its_span_in_both_languages() -> None:
    text = "Neu im Regal: {Sorte} aus Äthiopien."

    problem = only(VariantInput(text=text), "mastodon", "placeholder_unfilled")

    assert problem.severity == "error"
    assert problem.span == (14, 21) and text[14:21] == "{Sorte}"
    assert problem.message_en.startswith("Fill in {Sorte}")
    assert problem.message_de.startswith("Füllen Sie {Sorte} aus")


def test_every_placeholder_of_a_template_is_flagged_in_its_own_part() -> None:
    parts = ("Trail of the week: {route} ({distance} km).", "Best for {season}.")

    found = [p for p in problems(VariantInput(parts=parts), "bluesky") if p.is_error]

    assert [(p.part_index, p.span) for p in found] == [(0, (19, 26)), (0, (28, 38)), (1, (9, 17))]


@pytest.mark.parametrize(
    "text",
    [
        "Zwinker {: und :{ und }:-)",
        "Code: if (ok) { return x; }",
        'JSON sieht so aus: {"sorte": "Yirgacheffe"}',
        "Mengen wie {1} oder {x: 1} oder {} oder { Sorte }",
        "Jinja schreibt {{Sorte}}, die Shell ${HOME}, Ruby %{x}, Kotlin f{x}",
        "Ein {Name, der zu lang ist und viel zu viele Wörter hat, um einer zu sein}",
        "Ende mit Punkt {Sorte.} oder Strich {Sorte-}",
    ],
)
def test_braces_that_are_not_placeholders_are_left_alone(text: str) -> None:
    assert unfilled_placeholders(text) == []
    assert "placeholder_unfilled" not in codes(VariantInput(text=text), "mastodon")


def test_placeholders_may_hold_spaces_digits_and_any_script() -> None:
    text = "{product name} {start_date} {Größe} {ascent2} {Région}"

    assert [text[a:b] for a, b in unfilled_placeholders(text)] == [
        "{product name}",
        "{start_date}",
        "{Größe}",
        "{ascent2}",
        "{Région}",
    ]


# --- threads longer than a network allows --------------------------------------------------------


def test_a_thread_over_the_limit_says_it_is_too_long_and_how_to_fix_it() -> None:
    parts = tuple(f"Teil {n}." for n in range(1, 349))

    problem = only(VariantInput(parts=parts), "x", "thread_too_many_parts")

    assert problem.severity == "error"
    assert (
        problem.message_en == "Too long for a thread on X: 348 parts, at most 25. Shorten the text."
    )
    assert problem.message_de == (
        "Zu lang für einen Thread auf X: 348 Teile, höchstens 25. Kürzen Sie den Text."
    )


@pytest.mark.parametrize("network", [key for key, r in RULES.items() if r.thread_supported.value])
def test_every_network_with_threads_has_a_limit_on_their_length(network: str) -> None:
    allowed = RULES[network].thread_max_parts.value
    assert allowed is not None
    assert "thread_too_many_parts" not in codes(VariantInput(parts=("a",) * allowed), network)
    assert "thread_too_many_parts" in codes(VariantInput(parts=("a",) * (allowed + 1)), network)


# --- numbers and their nouns ---------------------------------------------------------------------


def test_one_and_many_take_the_singular_and_the_plural_in_both_languages() -> None:
    one_allowed = effective_rules(RULES["instagram"], account_overrides={"hashtags_max": 1})
    problem = only(VariantInput(text="#a #b", media=(PHOTO,)), one_allowed, "hashtags_too_many")
    assert problem.message_en == "The text has 2 hashtags; Instagram allows at most 1 hashtag."
    assert problem.message_de == "Der Text hat 2 Hashtags; Instagram erlaubt höchstens 1 Hashtag."

    three = effective_rules(RULES["instagram"], account_overrides={"hashtags_max": 3})
    problem = only(VariantInput(text="#a #b #c #d", media=(PHOTO,)), three, "hashtags_too_many")
    assert problem.message_de == "Der Text hat 4 Hashtags; Instagram erlaubt höchstens 3 Hashtags."


def test_files_links_and_parts_are_counted_with_the_right_noun() -> None:
    clip = MediaInput("video", "video/mp4", 1000, 1080, 1920, 10.0, alt_text="Clip")
    problem = only(VariantInput(text="x", media=(clip, clip)), "x", "media_kind_too_many")
    assert problem.message_en == "The post has 2 videos; X allows at most 1 video."
    assert problem.message_de == "Der Beitrag hat 2 Videos; X erlaubt höchstens 1 Video."

    one_link = effective_rules(RULES["threads"], account_overrides={"links_max": 1})
    text = "https://morgenrot.de/a und https://morgenrot.de/b"
    problem = only(VariantInput(text=text), one_link, "links_too_many")
    assert problem.message_en == "The text has 2 different links; Threads allows at most 1 link."
    assert problem.message_de == (
        "Der Text hat 2 verschiedene Links; Threads erlaubt höchstens 1 Link."
    )

    problem = only(VariantInput(parts=("a", "b")), "instagram", "thread_not_supported")
    assert problem.message_de == "Instagram unterstützt keine Threads; diese Variante hat 2 Teile."


def test_the_german_messages_address_people_formally() -> None:
    informal = {"du", "dich", "dir", "dein", "deine", "deiner", "versuch", "wende", "verweise"}
    for key, (_en, de) in MESSAGES.items():
        words = {word.strip(".,;:()„“").lower() for word in de.split()}
        assert not words & informal, (key, de)
