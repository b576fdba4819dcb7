"""Files read by their structure: sizes and costs before decoding, and animations stored
frame for frame as uploaded, without the blocks that say where, when or by whom."""

import io
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin

from townsquare.media.containers import ContainerError, read_header
from townsquare.media.facts import MediaRejected
from townsquare.media.processing import process_upload
from townsquare.media.tests import samples


def run(data: bytes):
    return process_upload(io.BytesIO(data), size=len(data))


def refusal(data: bytes):
    with pytest.raises(MediaRejected) as caught:
        run(data)
    return caught.value.problem


def frames_of(data: bytes) -> list[bytes]:
    image = Image.open(io.BytesIO(data))
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGBA").tobytes())
    return frames


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# --- animations ---------------------------------------------------------------------------

XMP_GIF_EXTENSION = b"\x21\xff\x0bXMP DataXMP" + b"\x0bJane Roe 52" + b"\x00"


def test_a_gif_keeps_its_frames_byte_for_byte_and_loses_comments_xmp_and_trailing_bytes():
    original = samples.animated_gif(frames=3)
    header_end = original.index(b"\x21\xf9")  # before the first frame's control block
    upload = (
        original[:header_end]
        + XMP_GIF_EXTENSION
        + original[header_end:]
        + b"PK\x03\x04 a zip file appended to the picture"
    )

    processed = run(upload)

    stored = processed.content
    assert b"XMP DataXMP" not in stored and b"Jane Roe" not in stored
    assert b"\x21\xfe\x02hi" not in stored  # the comment samples.animated_gif() writes
    assert stored.endswith(b"\x3b") and b"PK\x03\x04" not in stored
    assert b"NETSCAPE2.0" in stored, "how often it loops is kept"
    frame_data = original[original.index(b"\x2c") : original.index(b"\x21\xf9", header_end + 1)]
    assert frame_data in stored, "the first frame is stored as uploaded"
    assert frames_of(stored) == frames_of(original)
    assert processed.facts.animated and processed.facts.size_bytes == len(stored)


def test_an_animated_png_loses_its_text_and_exif_and_keeps_its_frames():
    frames = [Image.new("RGBA", (30, 20), colour) for colour in ("red", "lime", "blue")]
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Roe")
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], pnginfo=info, duration=100)
    iend = out.getvalue().rindex(b"IEND") - 4
    upload = out.getvalue()[:iend] + _png_chunk(b"eXIf", b"MM\x00*GPS 52.5") + out.getvalue()[iend:]

    processed = run(upload)

    assert b"Jane Roe" not in processed.content and b"eXIf" not in processed.content
    assert frames_of(processed.content) == frames_of(upload)
    assert Image.open(io.BytesIO(processed.content)).n_frames == 3


def test_an_animated_webp_loses_its_exif_and_xmp_and_keeps_its_frames():
    frames = [Image.new("RGB", (32, 24), colour) for colour in ("red", "lime", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out,
        "WEBP",
        save_all=True,
        append_images=frames[1:],
        duration=100,
        lossless=True,
        exif=b"Exif\x00\x00MM\x00*Phone 15 Pro",
        xmp=b"<x:xmpmeta>Jane Roe</x:xmpmeta>",
    )
    upload = out.getvalue()
    assert b"Phone 15 Pro" in upload and b"Jane Roe" in upload

    processed = run(upload)

    stored = processed.content
    assert b"Phone 15 Pro" not in stored and b"Jane Roe" not in stored
    assert stored[20] & 0x2C == 0, "VP8X no longer announces EXIF, XMP or a profile"
    assert frames_of(stored) == frames_of(upload)
    assert processed.facts.animated and processed.facts.width == 32


def test_a_gif_without_its_trailer_is_taken_as_browsers_take_it():
    data = samples.animated_gif(frames=2)
    processed = run(data[:-1])
    assert processed.facts.animated and processed.content.endswith(b"\x3b")


def test_a_gif_cut_off_inside_a_frame_is_refused_as_damaged():
    data = samples.animated_gif(frames=3)
    assert refusal(data[: len(data) - 12]).code == "damaged"


def test_an_animated_png_frame_outside_its_image_is_refused_as_damaged():
    frames = [Image.new("RGB", (30, 20), colour) for colour in ("red", "lime")]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
    data = bytearray(out.getvalue())
    at = data.rindex(b"fcTL") + 4
    data[at + 4 : at + 8] = struct.pack(">I", 31)  # the second frame is wider than the image
    data[at + 26 : at + 30] = struct.pack(">I", zlib.crc32(bytes(data[at - 4 : at + 26])))
    assert refusal(bytes(data)).code == "damaged"


# --- what decoding a JPEG costs -----------------------------------------------------------


def _jpeg(**options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG", **options)
    return out.getvalue()


def test_a_baseline_jpeg_is_decoded_row_by_row_and_a_progressive_one_all_at_once():
    baseline = read_header(_jpeg(subsampling=2), "image/jpeg")
    progressive = read_header(_jpeg(progressive=True, subsampling=0), "image/jpeg")
    assert (baseline.width, baseline.height, baseline.buffered) == (64, 48, False)
    assert baseline.samples_per_pixel == 1.5  # 4:2:0
    assert progressive.buffered and progressive.samples_per_pixel == 3.0


def test_a_jpeg_of_a_hundred_scans_and_more_is_refused_before_it_burns_the_processor():
    data = _jpeg()
    scan_start = data.index(b"\xff\xda")
    scan = data[scan_start : data.rindex(b"\xff\xd9")]
    many = data[:scan_start] + scan * 101 + b"\xff\xd9"
    with pytest.raises(ContainerError):
        read_header(many, "image/jpeg")
    assert refusal(many).code == "damaged"
