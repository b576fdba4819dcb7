"""Every accepted picture fits the budget of one upload: the largest ones, processed in a
process of their own, stay under its memory; one step beyond, they are refused before a
decoder sees them, with the reason in English and German."""

import io
import json
import subprocess
import sys

import pytest
from PIL import Image, JpegImagePlugin

from townsquare.media import budget
from townsquare.media.facts import MediaRejected
from townsquare.media.processing import UploadLimits, process_upload
from townsquare.media.tests import worst_cases

MB = 1024 * 1024


def run(data: bytes, **limits):
    return process_upload(io.BytesIO(data), size=len(data), limits=UploadLimits(**limits))


def refusal(data: bytes):
    with pytest.raises(MediaRejected) as caught:
        run(data)
    return caught.value.problem


def peak(tmp_path, data: bytes, name: str) -> dict:
    """What processing `data` costs in a fresh process (see peak.py)."""
    path = tmp_path / name
    path.write_bytes(data)
    answer = subprocess.run(
        [sys.executable, "-m", "townsquare.media.tests.peak", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(answer.stdout)


@pytest.fixture
def no_decoding(monkeypatch):
    """Any attempt to open a picture with Pillow fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the file reached a decoder")

    monkeypatch.setattr(Image, "open", refuse)
    monkeypatch.setattr(JpegImagePlugin, "JpegImageFile", refuse)


# --- the budget itself --------------------------------------------------------------------


def test_the_budget_fits_the_machine_with_every_web_thread_and_task_worker_busy():
    from townsquare.runtime.management.commands.up import WEB_THREADS, Command

    defaults = Command().create_parser("townsquare", "up").parse_args([])
    assert budget.WEB_THREADS == WEB_THREADS
    assert defaults.web_workers == budget.WEB_PROCESSES
    assert defaults.task_workers == budget.TASK_WORKERS
    assert budget.UPLOADS_AT_ONCE * budget.MEMORY_BUDGET <= budget.MACHINE_MEMORY / 2


def test_pillow_refuses_for_everyone_what_no_upload_may_decode():
    import townsquare.media.processing  # noqa: F401  (sets the limit on import)

    assert Image.MAX_IMAGE_PIXELS == budget.MAX_DECODED_PIXELS


# --- at the limit: within the budget ------------------------------------------------------


def test_the_largest_png_accepted_is_processed_within_the_memory_budget(tmp_path):
    width, height = worst_cases.square_within(budget.still_cost("image/png").max_pixels)
    # Turned by its EXIF orientation: the one step that holds the pixels twice.
    data = worst_cases.png(width, height, orientation=6)
    assert len(data) < 200_000, "a small file of huge dimensions"

    result = peak(tmp_path, data, "largest.png")

    assert result["outcomes"] == [f"accepted {height}x{width}"]
    assert result["peak_bytes"] < budget.MEMORY_BUDGET, f"{result['peak_bytes'] / MB:.0f} MB"


def test_the_largest_animated_gif_accepted_is_processed_within_the_memory_budget(tmp_path):
    width, height, frames = worst_cases.animation_at_limit()
    assert frames > 1
    data = worst_cases.gif(width, height, frames)
    assert len(data) < 400_000, "a small file of huge dimensions"

    result = peak(tmp_path, data, "largest.gif")

    assert result["outcomes"] == [f"accepted {width}x{height}"]
    assert result["peak_bytes"] < budget.MEMORY_BUDGET, f"{result['peak_bytes'] / MB:.0f} MB"


def test_the_largest_cmyk_photo_accepted_costs_what_the_budget_counts_per_pixel(tmp_path):
    """Turned by EXIF, then converted to RGB: the decoded CMYK pixels must go once the RGB
    copy exists, not stay beside it while the copy is encoded. The limits are the budget
    divided by the cost per pixel, so the cost must hold, not only the budget."""
    cost = budget.still_cost("image/jpeg")
    width, height = worst_cases.square_within(cost.max_pixels)
    data = worst_cases.jpeg(width, height, orientation=6, cmyk=True)
    counted = cost.bytes_per_pixel * width * height + cost.file_copies * len(data)

    result = peak(tmp_path, data, "largest-cmyk.jpg")

    assert result["outcomes"] == [f"accepted {height}x{width}"]
    assert result["peak_bytes"] < counted, f"{result['peak_bytes'] / MB:.0f} MB"


# --- one step beyond: refused before decoding ---------------------------------------------


def test_a_png_one_row_beyond_the_limit_is_refused_before_it_is_decoded(no_decoding):
    width, height = worst_cases.square_within(budget.still_cost("image/png").max_pixels)
    mp = budget.still_cost("image/png").max_pixels // 1_000_000

    problem = refusal(worst_cases.png(width, height + 1))

    assert problem.code == "too_many_pixels"
    assert problem.message_en == (
        f"This image has {width} × {height + 1} pixels; Townsquare takes at most {mp} "
        "megapixels. Scale it down before uploading."
    )
    assert problem.message_de == (
        f"Dieses Bild hat {width} × {height + 1} Pixel; Townsquare nimmt höchstens {mp} "
        "Megapixel an. Verkleinern Sie es vor dem Hochladen."
    )


def test_an_animated_gif_one_frame_beyond_the_limit_is_refused_before_it_is_decoded(
    no_decoding,
):
    width, height, frames = worst_cases.animation_at_limit()
    total = width * height * (frames + 1) // 1_000_000
    limit = budget.MAX_ANIMATION_PIXELS // 1_000_000

    problem = refusal(worst_cases.gif(width, height, frames + 1))

    assert problem.code == "too_many_pixels"
    assert problem.message_en == (
        f"This animation has {frames + 1} frames of {width} × {height} pixels, {total} "
        f"megapixels in all; Townsquare takes at most {limit} megapixels in all. Shorten it "
        "or scale it down, or upload it as a video (MP4)."
    )
    assert problem.message_de == (
        f"Diese Animation hat {frames + 1} Einzelbilder zu {width} × {height} Pixeln, "
        f"insgesamt {total} Megapixel; Townsquare nimmt höchstens {limit} Megapixel "
        "insgesamt an. Kürzen oder verkleinern Sie sie, oder laden Sie sie als Video (MP4) "
        "hoch."
    )


def test_an_animated_gif_one_pixel_wider_than_the_frame_limit_is_refused_before_decoding(
    no_decoding,
):
    width, height, _frames = worst_cases.animation_at_limit()
    mp = round(budget.MAX_ANIMATION_FRAME_PIXELS / 1_000_000, 1)

    problem = refusal(worst_cases.gif(width + 1, height, 2))

    assert problem.code == "too_many_pixels"
    assert problem.message_en == (
        f"This animation is {width + 1} × {height} pixels; Townsquare takes animations of "
        f"at most {mp} megapixels per frame. Scale it down, or upload it as a video (MP4)."
    )
    assert problem.message_de == (
        f"Diese Animation ist {width + 1} × {height} Pixel groß; Townsquare nimmt "
        f"Animationen mit höchstens {str(mp).replace('.', ',')} Megapixeln je Bild an. "
        "Verkleinern Sie sie, oder laden Sie sie als Video (MP4) hoch."
    )


def test_an_animation_of_tiny_frames_beyond_the_frame_count_is_refused_before_decoding(
    no_decoding,
):
    problem = refusal(worst_cases.gif(1, 1, budget.MAX_ANIMATION_FRAMES + 1))
    assert problem.code == "too_many_frames"
    assert f"{budget.MAX_ANIMATION_FRAMES + 1} frames" in problem.message_en
    assert f"{budget.MAX_ANIMATION_FRAMES + 1} Einzelbilder" in problem.message_de


def test_a_gif_whose_frame_outgrows_its_screen_is_judged_by_the_frame(no_decoding):
    """Decoders grow the canvas to hold every frame, so the frames decide what it costs."""
    width, height, _frames = worst_cases.animation_at_limit()
    data = bytearray(worst_cases.gif(width + 1, height, 2))
    data[6:10] = (16).to_bytes(2, "little") * 2  # the screen claims 16 x 16

    problem = refusal(bytes(data))

    assert problem.code == "too_many_pixels"
    assert f"{width + 1} × {height} pixels" in problem.message_en


# --- JPEG: read smaller, or refused by what it costs ---------------------------------------


@pytest.fixture
def small_budget(monkeypatch):
    """A budget with room for one megapixel of stills, so the tests stay quick."""
    room = budget.STILL_WORK_BYTES_PER_PIXEL * 1_000_000
    monkeypatch.setattr(budget, "MEMORY_BUDGET", budget.FILE_COPIES * budget.MAX_IMAGE_BYTES + room)
    return budget.still_cost("image/jpeg").max_pixels


def test_a_photo_larger_than_its_budget_is_stored_at_half_its_size(small_budget):
    width, height = worst_cases.square_within(small_budget)
    processed = run(worst_cases.jpeg(2 * width, 2 * height))
    assert (processed.facts.width, processed.facts.height) == (width, height)
    assert processed.reduced_from == (2 * width, 2 * height)
    assert Image.open(io.BytesIO(processed.content)).size == (width, height)


def test_a_photo_beyond_a_quarter_of_its_budget_is_refused_with_the_largest_size_taken(
    small_budget, no_decoding
):
    width, height = worst_cases.square_within(small_budget)
    problem = refusal(worst_cases.jpeg(4 * width + 8, 4 * height))
    assert problem.code == "too_many_pixels"
    mp = small_budget * 16 // 1_000_000  # 16: a quarter of the width and of the height
    assert f"at most {mp} megapixels" in problem.message_en


def test_a_progressive_jpeg_over_its_budget_is_refused_not_read_smaller(small_budget):
    out = io.BytesIO()
    Image.new("RGB", (1500, 1000), "teal").save(out, "JPEG", progressive=True)
    problem = refusal(out.getvalue())
    assert problem.code == "too_many_pixels"
    assert "for a progressive JPEG" in problem.message_en
    assert "bei einem progressiven JPEG" in problem.message_de


def test_a_jpeg_in_a_coding_browsers_do_not_show_is_refused_with_how_to_save_it():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG")
    data = out.getvalue().replace(b"\xff\xc0", b"\xff\xc3", 1)  # lossless
    problem = refusal(data)
    assert problem.code == "unusual_jpeg"
    assert "Save it again as an ordinary JPEG" in problem.message_en
    assert "Speichern Sie es erneut als gewöhnliches JPEG" in problem.message_de
