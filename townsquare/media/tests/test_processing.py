"""Upload processing, without Django: content decides, metadata goes, bombs are refused."""

import io

import pytest
from PIL import Image

from townsquare.media.budget import MAX_DECODED_PIXELS
from townsquare.media.decoding import THUMBNAIL_LONG_EDGE
from townsquare.media.facts import Kind, MediaRejected
from townsquare.media.processing import (
    MAX_IMAGE_BYTES,
    MAX_VIDEO_BYTES,
    UploadLimits,
    process_upload,
    sniff,
)
from townsquare.media.tests import samples


def run(data: bytes, **limits):
    return process_upload(io.BytesIO(data), size=len(data), limits=UploadLimits(**limits))


def refusal(data: bytes, **limits):
    with pytest.raises(MediaRejected) as caught:
        run(data, **limits)
    return caught.value.problem


def test_the_library_limits_are_200_mb_for_videos_and_30_mb_for_images():
    assert MAX_VIDEO_BYTES == 200 * 1024 * 1024
    assert MAX_IMAGE_BYTES == 30 * 1024 * 1024
    assert UploadLimits().max_image_bytes == MAX_IMAGE_BYTES


@pytest.mark.parametrize(
    ("data", "mime_type"),
    [
        (samples.jpeg_with_gps(), "image/jpeg"),
        (samples.png(), "image/png"),
        (samples.animated_gif(), "image/gif"),
        (samples.mp4(), "video/mp4"),
        (samples.mp4(brand=b"qt  "), "video/quicktime"),
        (samples.webm(), "video/webm"),
    ],
)
def test_the_format_is_read_from_the_first_bytes(data, mime_type):
    assert sniff(data[:64]).mime_type == mime_type


def test_a_webp_image_is_recognised_and_kept_as_webp():
    out = io.BytesIO()
    Image.new("RGB", (50, 40), "teal").save(out, "WEBP")
    processed = run(out.getvalue())
    assert processed.facts.mime_type == "image/webp" and processed.extension == "webp"


def test_a_jpeg_loses_its_exif_gps_and_camera_model_but_keeps_its_orientation():
    original = samples.jpeg_with_gps(size=(300, 200), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get(samples.GPS_IFD)

    processed = run(original)

    stored = Image.open(io.BytesIO(processed.content))
    assert not stored.getexif(), "EXIF survived"
    assert "exif" not in stored.info and "xmp" not in stored.info
    assert b"Phone 15 Pro" not in processed.content
    # Orientation 6 means "rotate 90 degrees to view": the pixels now stand upright.
    assert stored.size == (200, 300)
    assert (processed.facts.width, processed.facts.height) == (200, 300)
    top = stored.convert("RGB").getpixel((100, 10))
    assert top[1] > top[0], "the green half should now be on top"


def test_png_text_chunks_and_colour_profiles_are_dropped():
    data = samples.png(text={"Author": "Jane Roe", "Location": "Leipzig"})
    processed = run(data)
    assert b"Jane Roe" not in processed.content and b"Leipzig" not in processed.content
    assert not Image.open(io.BytesIO(processed.content)).text


def test_a_thumbnail_of_400_pixels_on_the_long_side_is_made_as_webp():
    processed = run(samples.noisy_jpeg(size=(1200, 800)))
    thumb = Image.open(io.BytesIO(processed.thumbnail))
    assert thumb.format == "WEBP"
    assert thumb.size == (THUMBNAIL_LONG_EDGE, 267)


def test_small_images_get_a_thumbnail_at_their_own_size():
    thumb = Image.open(io.BytesIO(run(samples.png(size=(64, 48))).thumbnail))
    assert thumb.size == (64, 48)


def test_transparency_is_kept_and_reported():
    processed = run(samples.transparent_png())
    assert processed.facts.has_alpha
    assert Image.open(io.BytesIO(processed.content)).mode == "RGBA"
    assert Image.open(io.BytesIO(processed.thumbnail)).mode == "RGBA"


def test_an_animated_gif_stays_animated_without_its_comment():
    processed = run(samples.animated_gif(frames=3))
    stored = Image.open(io.BytesIO(processed.content))
    assert processed.facts.animated and stored.n_frames == 3
    assert "comment" not in stored.info


def test_a_text_file_named_png_is_refused_as_text():
    problem = refusal(b"Meeting notes\nBring the coffee samples.\n")
    assert problem.code == "not_media"
    assert "contains text" in problem.message_en
    assert "JPEG, PNG, WebP, GIF, MP4, MOV, WebM" in problem.message_en
    assert "enthält Text" in problem.message_de


def test_unknown_binary_content_is_refused_with_the_accepted_formats():
    problem = refusal(bytes(range(256)) * 4)
    assert problem.code == "unknown_type" and "JPEG" in problem.message_en


def test_a_pdf_is_refused_as_unknown():
    assert refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 100).code == "unknown_type"


def test_heic_photos_are_refused_with_how_to_export_them():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    problem = refusal(heic)
    assert problem.code == "heic_not_supported"
    assert "Most Compatible" in problem.message_en
    assert "Maximale Kompatibilität" in problem.message_de


def test_a_matroska_video_is_named_and_refused():
    mkv = samples.webm(doc_type=b"matroska")
    problem = refusal(mkv)
    assert problem.code == "unsupported_type" and "MKV" in problem.message_en


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = samples.noisy_jpeg()
    problem = refusal(data[: len(data) * 6 // 10])
    assert problem.code == "damaged"
    assert "damaged or incomplete" in problem.message_en
    assert "beschädigt oder unvollständig" in problem.message_de


def test_a_png_with_a_broken_checksum_is_refused_as_damaged():
    data = bytearray(samples.png(size=(32, 32)))
    data[40] ^= 0xFF  # inside the image data: the CRC no longer matches
    assert refusal(bytes(data)).code == "damaged"


def test_an_empty_file_is_refused():
    with pytest.raises(MediaRejected) as caught:
        process_upload(io.BytesIO(b""), size=0)
    assert caught.value.problem.code == "empty"


def test_an_image_over_the_per_call_limit_is_refused_with_both_sizes():
    data = samples.noisy_jpeg(size=(400, 300))
    problem = refusal(data, max_image_bytes=10_000)
    assert problem.code == "too_large"
    assert "images may be at most 9.8 KB" in problem.message_en
    assert "höchstens 9,8 KB" in problem.message_de


def test_a_video_over_the_default_limit_is_refused_before_it_is_read():
    head = samples.mp4()[:64]

    class Huge(io.BytesIO):
        def read(self, n=-1):
            if self.tell() >= 64:
                raise AssertionError("read beyond the head of an oversized file")
            return super().read(n)

    with pytest.raises(MediaRejected) as caught:
        process_upload(Huge(head), size=MAX_VIDEO_BYTES + 1)
    assert caught.value.problem.code == "too_large"
    assert "videos may be at most 200 MB" in caught.value.problem.message_en


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = samples.png_bomb(20000, 20000)  # 48 KB on disk, 400 megapixels decoded
    assert len(bomb) < 100_000
    problem = refusal(bomb)
    assert problem.code == "too_many_pixels"
    assert f"at most {MAX_DECODED_PIXELS // 1_000_000} megapixels" in problem.message_en


def test_an_image_just_over_the_pixel_limit_is_refused_with_its_size():
    problem = refusal(samples.png_bomb(10000, 8000))
    assert problem.code == "too_many_pixels"
    assert "10000 × 8000" in problem.message_en


def test_the_pixel_limit_can_be_lowered_per_call():
    assert refusal(samples.png(size=(300, 300)), max_image_pixels=50_000).code == (
        "too_many_pixels"
    )


def test_the_sha256_is_of_the_bytes_as_uploaded():
    import hashlib

    data = samples.jpeg_with_gps()
    assert run(data).sha256 == hashlib.sha256(data).hexdigest()


def test_a_video_is_described_not_converted():
    data = samples.mp4(width=1080, height=1920, seconds=12.5)
    processed = run(data)
    assert processed.content is None and processed.thumbnail is None
    facts = processed.facts
    assert facts.kind == Kind.VIDEO and facts.mime_type == "video/mp4"
    assert (facts.width, facts.height, facts.duration_seconds) == (1080, 1920, 12.5)
    assert facts.video_codec == "h264" and facts.size_bytes == len(data)
