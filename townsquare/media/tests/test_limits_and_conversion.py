"""check_against explains in English and German; convert_image makes images fit."""

import io

import pytest
from PIL import Image

from townsquare.media import budget
from townsquare.media.convert import MIN_LONG_EDGE, convert_image
from townsquare.media.facts import Kind, MediaFacts, MediaRejected
from townsquare.media.limits import MediaLimits, check_against
from townsquare.media.tests import samples

JPEG_ONLY = frozenset({"image/jpeg"})
MB = 1024 * 1024


def image_facts(**overrides):
    values = {
        "kind": Kind.IMAGE,
        "mime_type": "image/png",
        "size_bytes": 3 * MB,
        "width": 4000,
        "height": 3000,
    }
    return MediaFacts(**{**values, **overrides})


def video_facts(**overrides):
    values = {
        "kind": Kind.VIDEO,
        "mime_type": "video/mp4",
        "size_bytes": 40 * MB,
        "width": 1080,
        "height": 1920,
        "duration_seconds": 75.0,
        "video_codec": "h264",
    }
    return MediaFacts(**{**values, **overrides})


def codes(problems):
    return [p.code for p in problems]


def test_a_file_within_every_limit_has_no_problems():
    limits = MediaLimits(
        frozenset({"image/png", "image/jpeg"}),
        max_bytes=5 * MB,
        max_long_edge=4096,
        min_aspect_ratio=0.8,
        max_aspect_ratio=1.91,
    )
    assert check_against(image_facts(), limits) == ()


def test_limits_are_a_frozen_dataclass():
    limits = MediaLimits(JPEG_ONLY)
    with pytest.raises(AttributeError):
        limits.max_bytes = 1  # type: ignore[misc]


def test_an_image_in_the_wrong_format_is_explained_and_marked_fixable():
    (problem,) = check_against(image_facts(), MediaLimits(JPEG_ONLY, network="Instagram"))
    assert problem.code == "type_not_accepted" and problem.fixable
    assert problem.message_en == (
        "Instagram accepts JPEG; this file is PNG. Townsquare can convert it."
    )
    assert problem.message_de == (
        "Instagram akzeptiert JPEG; diese Datei ist PNG. Townsquare kann sie umwandeln."
    )
    assert problem.message("de-at") == problem.message_de
    assert problem.message("en") == problem.message_en


def test_an_image_too_large_and_too_big_is_explained_with_numbers():
    limits = MediaLimits(frozenset({"image/png"}), max_bytes=1 * MB, max_long_edge=2048)
    too_large, long_edge = check_against(image_facts(size_bytes=int(2.5 * MB)), limits)
    assert too_large.code == "too_large" and too_large.fixable
    assert "files up to 1 MB; this one is 2.5 MB" in too_large.message_en
    assert "Dateien bis 1 MB; diese ist 2,5 MB groß" in too_large.message_de
    assert long_edge.code == "long_edge_too_large"
    assert "up to 2048 pixels on the long side; this one is 4000 × 3000" in long_edge.message_en
    assert long_edge.message_en.startswith("This network")
    assert long_edge.message_de.startswith("Dieses Netzwerk")


def test_a_wrong_aspect_ratio_is_never_fixed_automatically():
    limits = MediaLimits(frozenset({"image/png"}), min_aspect_ratio=0.8, max_aspect_ratio=1.91)
    (problem,) = check_against(image_facts(width=3000, height=1000), limits)
    assert problem.code == "aspect_too_wide" and not problem.fixable
    assert "from 0.8 to 1.91; this one is 3. Crop the image to fit." in problem.message_en
    assert "von 0,8 bis 1,91; diese Datei hat 3. Schneiden Sie das Bild passend zu." in (
        problem.message_de
    )
    (narrow,) = check_against(image_facts(width=1000, height=3000), limits)
    assert narrow.code == "aspect_too_narrow"


def test_an_exact_4_to_5_portrait_passes_a_4_to_5_minimum():
    limits = MediaLimits(frozenset({"image/png"}), min_aspect_ratio=0.8)
    assert check_against(image_facts(width=1079, height=1350), limits) == ()


def test_a_video_too_long_for_the_network_says_how_long_and_what_to_do():
    limits = MediaLimits(
        frozenset({"video/mp4"}), min_duration_seconds=3, max_duration_seconds=60, network="X"
    )
    (problem,) = check_against(video_facts(), limits)
    assert problem.code == "too_long" and not problem.fixable
    assert problem.message_en == (
        "X accepts videos of up to 60 seconds; this one is 75 seconds. "
        "Shorten it in a video editor."
    )
    assert problem.message_de == (
        "X akzeptiert Videos bis 60 Sekunden; dieses dauert 75 Sekunden. "
        "Kürzen Sie es in einem Videoprogramm."
    )
    (short,) = check_against(video_facts(duration_seconds=1.5), limits)
    assert short.code == "too_short" and "at least 3 seconds; this one is 1.5" in short.message_en


def test_a_video_in_a_format_or_codec_the_network_refuses_is_explained():
    limits = MediaLimits(
        frozenset({"video/mp4"}), allowed_video_codecs=frozenset({"h264"}), max_bytes=20 * MB
    )
    problems = check_against(video_facts(mime_type="video/webm", video_codec="vp9"), limits)
    assert codes(problems) == ["type_not_accepted", "too_large", "codec_not_accepted"]
    assert not any(p.fixable for p in problems)
    assert "Export the video again at a lower bit rate." in problems[1].message_en
    assert "encoded as H.264; this one is VP9" in problems[2].message_en
    assert "im Format H.264; dieses ist VP9" in problems[2].message_de


def test_a_video_whose_length_is_unknown_cannot_be_checked_against_a_duration_limit():
    limits = MediaLimits(frozenset({"video/webm"}), max_duration_seconds=140, network="X")
    (problem,) = check_against(video_facts(mime_type="video/webm", duration_seconds=None), limits)
    assert problem.code == "duration_unknown"
    assert "against X's limits" in problem.message_en


# --- conversion ---------------------------------------------------------------------------


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_png_becomes_a_jpeg_under_a_byte_limit_and_long_edge():
    source = io.BytesIO()
    noise = opened(samples.noisy_jpeg(size=(2400, 1600)))
    noise.save(source, "PNG")
    limits = MediaLimits(JPEG_ONLY, max_bytes=300_000, max_long_edge=1080)

    result = convert_image(source.getvalue(), limits)

    image = opened(result.data)
    assert image.format == "JPEG" and not image.getexif()
    assert len(result.data) <= 300_000 and result.facts.size_bytes == len(result.data)
    assert max(image.size) <= 1080 and image.size == (result.facts.width, result.facts.height)
    assert result.steps[0] == "format image/png -> image/jpeg"
    assert "long edge 2400 -> 1080" in result.steps
    assert check_against(result.facts, limits) == ()


def test_quality_is_lowered_before_the_size():
    data = samples.noisy_jpeg(size=(1000, 800), quality=95)
    at_full_quality = len(convert_image(data, MediaLimits(JPEG_ONLY)).data)
    limits = MediaLimits(JPEG_ONLY, max_bytes=at_full_quality * 9 // 10)
    result = convert_image(data, limits)
    assert len(result.data) <= limits.max_bytes
    assert any(step.startswith("quality") for step in result.steps)
    assert (result.facts.width, result.facts.height) == (1000, 800)


def test_the_size_goes_down_when_quality_alone_is_not_enough():
    data = samples.noisy_jpeg(size=(1600, 1200))
    result = convert_image(data, MediaLimits(JPEG_ONLY, max_bytes=120_000))
    assert len(result.data) <= 120_000
    assert max(result.facts.width, result.facts.height) < 1600
    assert any("for size" in step for step in result.steps)


def test_an_impossible_byte_limit_is_refused_instead_of_sending_a_stamp():
    with pytest.raises(MediaRejected) as caught:
        convert_image(samples.noisy_jpeg(size=(800, 600)), MediaLimits(JPEG_ONLY, max_bytes=500))
    assert caught.value.problem.code == "cannot_fit"
    assert MIN_LONG_EDGE == 320


def test_transparency_stays_when_png_is_allowed_and_becomes_white_for_jpeg():
    data = samples.transparent_png()
    kept = convert_image(data, MediaLimits(frozenset({"image/png", "image/jpeg"})))
    assert kept.facts.mime_type == "image/png" and kept.facts.has_alpha

    webp_only = convert_image(data, MediaLimits(frozenset({"image/webp", "image/jpeg"})))
    assert webp_only.facts.mime_type == "image/webp" and webp_only.facts.has_alpha

    flat = convert_image(data, MediaLimits(JPEG_ONLY))
    image = opened(flat.data).convert("RGB")
    assert flat.facts.mime_type == "image/jpeg" and not flat.facts.has_alpha
    assert image.getpixel((5, 5)) == (255, 255, 255)  # was transparent
    assert "transparency -> white background" in flat.steps


def test_an_image_that_already_fits_is_only_cleaned():
    data = samples.jpeg_with_gps()
    result = convert_image(data, MediaLimits(JPEG_ONLY, max_bytes=5 * MB))
    assert result.steps == ()
    assert not opened(result.data).getexif()
    assert result.facts.width == 200  # orientation applied


def test_an_animated_gif_keeps_its_animation_when_gif_is_accepted():
    data = samples.animated_gif(frames=3)
    result = convert_image(data, MediaLimits(frozenset({"image/gif"})))
    assert opened(result.data).n_frames == 3 and result.facts.animated
    first = convert_image(data, MediaLimits(JPEG_ONLY))
    assert "animation -> first frame" in first.steps


def test_a_network_without_image_formats_cannot_receive_a_conversion():
    with pytest.raises(MediaRejected) as caught:
        convert_image(samples.png(), MediaLimits(frozenset({"video/mp4"})))
    assert caught.value.problem.code == "no_image_format"


def test_conversion_refuses_what_upload_refuses():
    with pytest.raises(MediaRejected) as caught:
        convert_image(samples.png_bomb(), MediaLimits(JPEG_ONLY))
    assert caught.value.problem.code == "too_many_pixels"


def test_a_copy_too_large_for_its_format_within_the_budget_is_made_smaller(monkeypatch):
    # Room for half a megapixel of WebP (whose coder needs the most memory per pixel).
    webp = budget.still_cost("image/webp")
    room = budget.FILE_COPIES_WEBP_OR_ANIMATION * budget.MAX_IMAGE_BYTES
    monkeypatch.setattr(budget, "MEMORY_BUDGET", room + int(webp.bytes_per_pixel * 500_000))
    data = samples.transparent_png(size=(1500, 1000))

    result = convert_image(data, MediaLimits(frozenset({"image/webp"})))

    assert result.facts.mime_type == "image/webp" and result.facts.has_alpha
    assert result.facts.width * result.facts.height <= 500_000
    assert f"long edge 1500 -> {result.facts.width}" in result.steps
    assert opened(result.data).size == (result.facts.width, result.facts.height)
