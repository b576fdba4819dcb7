"""The variant validator: one test per problem, bad input, and both languages."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.content import validate as validate_module
from townsquare.content.validate import (
    MediaInput,
    Problem,
    VariantInput,
    validate_variant,
    variant_input_from,
)
from townsquare.networks.base import MediaRef, VariantToPublish
from townsquare.networks.rules.loader import NETWORK_KEYS, effective_rules, load_rules
from townsquare.networks.rules.model import NetworkRules

RULES = load_rules()
PHOTO = MediaInput("image", "image/jpeg", 500_000, 1080, 1350, alt_text="A cup of coffee")
CLIP = MediaInput("video", "video/mp4", 5_000_000, 1080, 1920, 30.0, alt_text="A short clip")


def problems(variant: VariantInput, network: str | NetworkRules) -> list[Problem]:
    rules = RULES[network] if isinstance(network, str) else network
    return validate_variant(variant, rules)


def codes(variant: VariantInput, network: str | NetworkRules) -> list[str]:
    return [problem.code for problem in problems(variant, network)]


def only(variant: VariantInput, network: str | NetworkRules, code: str) -> Problem:
    (found,) = [problem for problem in problems(variant, network) if problem.code == code]
    return found


# --- clean variants ------------------------------------------------------------------------------
@pytest.mark.parametrize("network", NETWORK_KEYS)
def test_a_short_post_with_a_described_photo_passes_everywhere_that_takes_photos(
    network: str,
) -> None:
    rules = RULES[network]
    media = (PHOTO,) if "image" in rules.media_kinds.value else (CLIP,)
    variant = VariantInput(text="Guten Morgen!", title="Morgen", media=media)
    assert [p for p in problems(variant, network) if p.is_error] == []


# --- text length ---------------------------------------------------------------------------------
def test_a_long_bluesky_text_is_reported_in_both_languages_with_its_span() -> None:
    problem = only(VariantInput(text="a" * 312), "bluesky", "text_too_long")
    assert problem.severity == "error"
    assert problem.message_en == "The text is 312 characters long; Bluesky allows 300."
    assert problem.message_de == "Der Text ist 312 Zeichen lang; Bluesky erlaubt 300."
    assert (problem.span, problem.part_index) == ((300, 312), 0)


def test_x_reports_its_weighted_count() -> None:
    problem = only(VariantInput(text="日本" * 141), "x", "text_too_long")
    assert "564 characters as X counts them" in problem.message_en
    assert "564 Zeichen nach X-Zählung" in problem.message_de


def test_bluesky_also_limits_utf8_bytes() -> None:
    family = "👨‍👩‍👧‍👦"
    problem = only(VariantInput(text=family * 200), "bluesky", "text_too_many_bytes")
    assert "Bluesky allows 3,000" in problem.message_en
    assert problem.span is not None


def test_mastodon_counts_the_content_warning_into_the_length() -> None:
    variant = VariantInput(text="a" * 495, content_warning="Spoilers!!")
    assert "text_too_long" in codes(variant, "mastodon")
    assert "text_too_long" not in codes(VariantInput(text="a" * 495), "mastodon")


def test_a_mastodon_instance_with_more_characters_accepts_longer_texts() -> None:
    rules = effective_rules(RULES["mastodon"], account_overrides={"text_max": 5000})
    assert codes(VariantInput(text="a" * 1200), rules) == []


def test_telegram_limits_captions_when_media_are_attached() -> None:
    text = "a" * 2000
    assert codes(VariantInput(text=text), "telegram_channel") == []
    problem = only(VariantInput(text=text, media=(PHOTO,)), "telegram_channel", "caption_too_long")
    assert problem.message_de.startswith("Die Bildunterschrift ist 2000 Zeichen lang")


def test_youtube_counts_its_description_in_bytes() -> None:
    variant = VariantInput(text="ü" * 3000, title="Titel", media=(CLIP,))
    problem = only(variant, "youtube", "text_too_long")
    assert problem.message_en == "The text takes 6,000 bytes; YouTube allows 5,000."


# --- text content --------------------------------------------------------------------------------
def test_youtube_refuses_angle_brackets_in_text_and_title() -> None:
    variant = VariantInput(text="a <b>", title="x > y", media=(CLIP,))
    found = codes(variant, "youtube")
    assert "text_forbidden_characters" in found
    assert "title_forbidden_characters" in found
    assert only(variant, "youtube", "text_forbidden_characters").span == (2, 3)


def test_instagram_allows_five_hashtags() -> None:
    text = "#a #b #c #d #e #f #g"
    problem = only(VariantInput(text=text, media=(PHOTO,)), "instagram", "hashtags_too_many")
    assert problem.message_en == "The text has 7 hashtags; Instagram allows at most 5 hashtags."
    assert problem.message_de == "Der Text hat 7 Hashtags; Instagram erlaubt höchstens 5 Hashtags."
    assert problem.span == (15, 20)


def test_instagram_caps_user_tags() -> None:
    text = " ".join(f"@user{i}" for i in range(21))
    assert "mentions_too_many" in codes(VariantInput(text=text, media=(PHOTO,)), "instagram")


def test_x_allows_one_cashtag() -> None:
    assert "cashtags_too_many" in codes(VariantInput(text="$AAPL $MSFT"), "x")


def test_threads_allows_five_different_links() -> None:
    text = " ".join(f"https://site{i}.com" for i in range(6))
    assert "links_too_many" in codes(VariantInput(text=text), "threads")


def test_links_in_instagram_captions_get_a_warning() -> None:
    problem = only(
        VariantInput(text="More at example.com", media=(PHOTO,)), "instagram", "links_not_clickable"
    )
    assert (problem.severity, problem.span) == ("warning", (8, 19))


# --- empty posts and threads ---------------------------------------------------------------------
def test_a_post_needs_text_or_media() -> None:
    assert codes(VariantInput(text="   "), "mastodon") == ["post_empty"]
    assert codes(VariantInput(text="", media=(PHOTO,)), "mastodon") == []


def test_threads_are_refused_where_the_network_has_none() -> None:
    assert "thread_not_supported" in codes(VariantInput(parts=("one", "two")), "instagram")


def test_a_thread_longer_than_the_account_allows_is_refused() -> None:
    rules = effective_rules(RULES["x"], account_overrides={"thread_max_parts": 2})
    assert "thread_too_many_parts" in codes(VariantInput(parts=("a", "b", "c")), rules)


def test_each_thread_part_is_checked_and_named() -> None:
    found = problems(VariantInput(parts=("fine", "", "b" * 301)), "bluesky")
    assert [(p.code, p.part_index) for p in found] == [
        ("thread_part_empty", 1),
        ("text_too_long", 2),
    ]
    assert found[1].message_en.startswith("Part 3: ")
    assert found[1].message_de.startswith("Teil 3: ")


# --- content warning, title, link ----------------------------------------------------------------
def test_a_content_warning_where_there_are_none_gets_a_warning() -> None:
    problem = only(
        VariantInput(text="hi", content_warning="cw"), "bluesky", "content_warning_not_supported"
    )
    assert problem.severity == "warning"


def test_youtube_needs_a_title_of_at_most_100_characters() -> None:
    assert "title_missing" in codes(VariantInput(text="d", media=(CLIP,)), "youtube")
    long_title = VariantInput(text="d", title="t" * 101, media=(CLIP,))
    assert only(long_title, "youtube", "title_too_long").span == (100, 101)


def test_the_link_must_be_a_web_address() -> None:
    assert "link_url_invalid" in codes(VariantInput(text="x", link_url="javascript:alert(1)"), "x")
    assert "link_url_invalid" not in codes(VariantInput(text="x", link_url="https://a.com/b"), "x")


def test_pinterest_limits_the_destination_link() -> None:
    variant = VariantInput(text="x", media=(PHOTO,), link_url="https://a.com/" + "p" * 2048)
    assert "link_url_too_long" in codes(variant, "pinterest")


def test_instagram_suggests_the_link_in_bio() -> None:
    variant = VariantInput(text="x", media=(PHOTO,), link_url="https://a.com")
    assert only(variant, "instagram", "link_in_bio").severity == "warning"


# --- media ---------------------------------------------------------------------------------------
def test_instagram_needs_media() -> None:
    problem = only(VariantInput(text="hi"), "instagram", "media_required")
    assert problem.message_de == "Instagram braucht mindestens ein Bild oder Video."


def test_x_takes_four_photos_or_one_video() -> None:
    assert "media_too_many" in codes(VariantInput(text="x", media=(PHOTO,) * 5), "x")
    assert "media_kind_too_many" in codes(VariantInput(text="x", media=(CLIP,) * 2), "x")
    assert "media_kinds_mixed" in codes(VariantInput(text="x", media=(PHOTO, CLIP)), "x")


def test_youtube_takes_no_images() -> None:
    variant = VariantInput(text="x", title="t", media=(PHOTO,))
    problem = only(variant, "youtube", "media_kind_unsupported")
    assert problem.message_en.startswith("Media file 1: ")


def test_file_types_are_checked_against_the_network_list() -> None:
    png = MediaInput("image", "image/png", 1000, 1080, 1080, alt_text="x")
    assert "media_type_unsupported" in codes(VariantInput(text="x", media=(png,)), "instagram")
    assert "media_type_unsupported" not in codes(VariantInput(text="x", media=(png,)), "bluesky")


def test_a_refused_file_type_is_named_by_its_format_not_its_mime_type() -> None:
    png = MediaInput("image", "image/png", 1000, 1080, 1080, alt_text="x")
    problem = only(VariantInput(text="x", media=(png,)), "instagram", "media_type_unsupported")
    assert problem.message_en == "Media file 1: Instagram does not accept PNG files."
    assert problem.message_de == "Mediendatei 1: Instagram nimmt keine PNG-Dateien an."


def test_network_names_are_german_in_german_messages() -> None:
    variant = VariantInput(text="x" * 70_000)
    problem = only(variant, "matrix_room", "text_too_long")
    assert "Matrix-Raum" in problem.message_de and "Matrix room" in problem.message_en


def test_files_larger_than_allowed_are_refused() -> None:
    big = MediaInput("image", "image/jpeg", 3_000_000, 100, 100, alt_text="x")
    problem = only(VariantInput(text="x", media=(big,)), "bluesky", "media_too_large")
    assert problem.message_en == "Media file 1: The file is 3 MB; Bluesky allows 2 MB."
    assert problem.message_de == "Mediendatei 1: Die Datei ist 3 MB groß; Bluesky erlaubt 2 MB."


def test_x_allows_bigger_gifs_than_photos() -> None:
    gif = MediaInput("gif", "image/gif", 10_000_000, 400, 300)
    assert "media_too_large" not in codes(VariantInput(text="x", media=(gif,)), "x")


def test_aspect_ratios_outside_the_range_are_refused() -> None:
    tall = MediaInput("image", "image/jpeg", 1000, 1000, 3000, alt_text="x")
    assert "media_aspect_ratio" in codes(VariantInput(text="x", media=(tall,)), "instagram")
    portrait = MediaInput("image", "image/jpeg", 1000, 1080, 1351, alt_text="x")
    assert "media_aspect_ratio" not in codes(VariantInput(text="x", media=(portrait,)), "instagram")


def test_impossible_dimensions_are_reported_not_divided_by() -> None:
    flat = MediaInput("image", "image/jpeg", 1000, 100, 0)
    assert "media_dimensions_invalid" in codes(VariantInput(text="x", media=(flat,)), "instagram")


def test_video_durations_are_checked_both_ways() -> None:
    short = MediaInput("video", "video/mp4", 1000, 1280, 720, 0.2)
    long = MediaInput("video", "video/mp4", 1000, 1280, 720, 200.0)
    assert "media_too_short" in codes(VariantInput(text="x", media=(short,)), "x")
    problem = only(VariantInput(text="x", media=(long,)), "x", "media_too_long")
    assert problem.message_en == "Media file 1: The video runs 200 s; X allows at most 140 s."


def test_alt_text_missing_is_a_warning_where_it_can_be_carried() -> None:
    bare = MediaInput("image", "image/jpeg", 1000, 1000, 1000)
    assert only(VariantInput(text="x", media=(bare,)), "mastodon", "alt_text_missing").severity == (
        "warning"
    )
    assert "alt_text_missing" not in codes(VariantInput(text="x", media=(bare,)), "tiktok")


def test_alt_text_that_cannot_be_carried_is_announced() -> None:
    assert "alt_text_dropped" in codes(VariantInput(text="x", media=(PHOTO,)), "tiktok")
    assert "alt_text_dropped" in codes(VariantInput(text="x", media=(CLIP,)), "x")


def test_alt_text_longer_than_allowed_is_refused() -> None:
    wordy = MediaInput("image", "image/jpeg", 1000, 1000, 1000, alt_text="a" * 1001)
    assert "alt_text_too_long" in codes(VariantInput(text="x", media=(wordy,)), "x")


def test_unknown_media_kinds_are_refused() -> None:
    hologram = MediaInput("hologram", "model/gltf")
    assert "media_kind_unsupported" in codes(VariantInput(text="x", media=(hologram,)), "discord")


# --- bad input -----------------------------------------------------------------------------------
def test_lone_surrogates_are_a_problem_not_an_exception() -> None:
    problem = only(VariantInput(text="ok \ud83d then"), "bluesky", "text_invalid_unicode")
    assert problem.span == (3, 4)


def test_control_characters_are_reported_with_their_code_point() -> None:
    problem = only(VariantInput(text="bell\x07"), "x", "text_control_characters")
    assert "U+0007" in problem.message_en
    assert problem.span == (4, 5)


def test_a_megabyte_of_text_is_refused_quickly() -> None:
    # The CPU time of this process, not the clock: other work on the machine must not count.
    started = time.process_time()
    for network in NETWORK_KEYS:
        found = codes(VariantInput(text="ä" * 1_000_000), network)
        assert found[0] == "text_too_large"
        assert not {"text_too_long", "text_too_many_bytes"} & set(found)
    assert time.process_time() - started < 5


def _cpu_seconds_to_check(text: str, repeats: int = 1) -> tuple[float, list[list[str]]]:
    """The CPU time of this process to validate `text` for every network (the least of
    `repeats` runs; other work on the machine does not count), and the codes found."""
    best, found = float("inf"), []
    for _ in range(repeats):
        started = time.process_time()
        found = [codes(VariantInput(text=text), network) for network in NETWORK_KEYS]
        best = min(best, time.process_time() - started)
    return best, found


@pytest.mark.parametrize(
    ("hostile", "size"),
    [
        pytest.param(lambda n: "a." * n, 49_999, id="dotted chain without a top-level domain"),
        pytest.param(lambda n: "日" * n + ".com", 99_990, id="one long run before a domain"),
        pytest.param(lambda n: ("a." * 120 + "com.") * n, 400, id="long domains everywhere"),
    ],
)
def test_hostile_texts_below_the_cap_are_checked_in_linear_time(hostile, size: int) -> None:
    # A quadratic URL search once took 25 s here. The text ten times as long must take about
    # ten times as long, measured in the same run (a quadratic search would take a hundred
    # times as long), so the verdict does not depend on how fast or busy the machine is. The
    # small text's time is the least of three runs; the allowance covers the rest of noise.
    tenth, _ = _cpu_seconds_to_check(hostile(size // 10), repeats=3)
    whole, found = _cpu_seconds_to_check(hostile(size))
    assert all("text_too_long" in codes_of_network for codes_of_network in found)
    assert whole < 40 * tenth + 0.25, f"{whole:.2f} s for the whole, {tenth:.3f} s for a tenth"


def test_broken_titles_warnings_and_alt_texts_are_reported_by_field() -> None:
    alt = MediaInput("image", "image/jpeg", 1000, 100, 100, alt_text="x\x00")
    variant = VariantInput(text="x", title="\ud800", content_warning="a" * 100_001, media=(alt,))
    for network in ("mastodon", "youtube"):
        found = set(codes(variant, network))
        assert {"title_invalid_unicode", "content_warning_too_large"} <= found
    assert "alt_text_control_characters" in codes(variant, "x")


def test_an_unexpected_failure_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(validate_module, "text_length", explode)
    (problem,) = problems(VariantInput(text="hello"), "x")
    assert problem.code == "validation_failed"
    assert problem.message_de.startswith("Dieser Beitrag konnte nicht geprüft werden")


_media = st.builds(
    MediaInput,
    kind=st.sampled_from(["image", "gif", "video", "document", "", "x"]),
    mime_type=st.text(max_size=20),
    size_bytes=st.none() | st.integers(-10, 10**10),
    width=st.none() | st.integers(-5, 10_000),
    height=st.none() | st.integers(-5, 10_000),
    duration_s=st.none() | st.floats(allow_nan=True, allow_infinity=True),
    alt_text=st.text(max_size=30),
)


@settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.sampled_from(NETWORK_KEYS),
    st.lists(st.text(max_size=80), max_size=3),
    st.text(max_size=20),
    st.text(max_size=20),
    st.lists(_media, max_size=5),
    st.text(max_size=30),
)
def test_the_validator_never_raises_on_any_input(
    network: str,
    parts: list[str],
    warning: str,
    title: str,
    media: list[MediaInput],
    link: str,
) -> None:
    variant = VariantInput(
        parts=tuple(parts), content_warning=warning, title=title, media=tuple(media), link_url=link
    )
    for problem in problems(variant, network):
        assert problem.code != "validation_failed"
        assert problem.severity in ("error", "warning")
        assert problem.message_en and problem.message_de


def test_a_variant_to_publish_is_validated_through_the_same_input() -> None:
    variant = VariantToPublish(
        1, 2, "x", parts=("hi",), media=(MediaRef("k", "image", "image/png", 10, 10, 10),)
    )
    converted = variant_input_from(variant)
    assert converted.texts == ("hi",)
    assert converted.media[0].mime_type == "image/png"
    assert codes(converted, "x") == ["alt_text_missing"]
