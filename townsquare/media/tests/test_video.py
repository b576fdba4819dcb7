"""The container parser: MP4/MOV boxes and WebM/Matroska elements, read but never decoded."""

import io
import shutil
import subprocess

import pytest

from townsquare.media.tests import samples
from townsquare.media.video import VideoUnreadable, blank_metadata, probe_video
from townsquare.testing.services import unavailable


def probe(data: bytes, container: str = "mp4"):
    return probe_video(io.BytesIO(data), container)


def test_a_small_mp4_written_in_the_test_is_probed_for_duration_size_and_codec():
    facts = probe(samples.mp4(width=1280, height=720, seconds=42.0, codec=b"avc1"))
    assert facts.container == "mp4"
    assert facts.duration_seconds == 42.0
    assert (facts.width, facts.height) == (1280, 720)
    assert facts.codec == "h264"
    assert facts.has_audio


@pytest.mark.parametrize(
    ("fourcc", "codec"),
    [(b"hvc1", "hevc"), (b"hev1", "hevc"), (b"av01", "av1"), (b"vp09", "vp9"), (b"apcn", "prores")],
)
def test_sample_entry_codes_are_named(fourcc, codec):
    assert probe(samples.mp4(codec=fourcc)).codec == codec


def test_an_unknown_codec_keeps_its_four_letter_code():
    assert probe(samples.mp4(codec=b"xyz1")).codec == "xyz1"


def test_portrait_video_stored_with_a_rotation_matrix_reports_its_display_size():
    facts = probe(samples.mp4(width=1080, height=1920, rotated=True))
    assert (facts.width, facts.height) == (1080, 1920)


def test_a_quicktime_brand_makes_it_a_mov():
    assert probe(samples.mp4(brand=b"qt  "), "mov").container == "mov"


def test_a_video_without_sound_says_so():
    assert not probe(samples.mp4(audio=False)).has_audio


def test_a_location_box_is_found_and_blanked_without_moving_anything():
    data = samples.mp4(location="+52.5200+013.4050/")
    facts = probe(data)
    assert len(facts.metadata_ranges) == 1
    copy = io.BytesIO(data)
    blank_metadata(copy, facts.metadata_ranges)
    cleaned = copy.getvalue()
    assert len(cleaned) == len(data)
    assert b"52.5200" not in cleaned and b"udta" not in cleaned
    again = probe(cleaned)
    assert again.metadata_ranges == () and again.duration_seconds == facts.duration_seconds


def test_a_file_cut_before_its_index_is_unreadable():
    data = samples.mp4()
    with pytest.raises(VideoUnreadable):
        probe(data[: data.index(b"moov") + 40])


def test_an_mp4_without_index_is_unreadable():
    ftyp = samples.box(b"ftyp", b"isom\x00\x00\x02\x00isom")
    with pytest.raises(VideoUnreadable, match="moov"):
        probe(ftyp + samples.box(b"mdat", b"\x00" * 100))


def test_an_audio_only_mp4_is_not_a_video():
    data = samples.mp4()
    # Turn the video handler into a second sound handler.
    with pytest.raises(VideoUnreadable, match="no video track"):
        probe(data.replace(b"vide", b"soun", 1))


def test_a_box_that_claims_more_than_the_file_holds_is_unreadable():
    data = bytearray(samples.mp4())
    at = data.index(b"moov") - 4
    data[at : at + 4] = (10**9).to_bytes(4, "big")
    with pytest.raises(VideoUnreadable):
        probe(bytes(data))


def test_a_webm_is_probed_for_duration_size_and_codec():
    facts = probe(samples.webm(width=640, height=360, seconds=7.5), "webm")
    assert (facts.container, facts.codec) == ("webm", "vp9")
    assert (facts.width, facts.height, facts.duration_seconds) == (640, 360, 7.5)
    assert facts.has_audio


def test_a_webm_recorded_in_a_browser_with_unknown_segment_size_is_read():
    facts = probe(samples.webm(unknown_size=True, codec=b"V_VP8"), "webm")
    assert facts.codec == "vp8" and facts.duration_seconds == 7.5


def test_a_webm_without_a_video_track_is_unreadable():
    with pytest.raises(VideoUnreadable, match="no video track"):
        probe(samples.webm(video_track=False), "webm")


FFMPEG = shutil.which("ffmpeg")


@pytest.mark.parametrize(
    ("args", "suffix", "container", "codec"),
    [
        (["-c:v", "libx264", "-pix_fmt", "yuv420p"], "mp4", "mp4", "h264"),
        (["-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mov"], "mov", "mov", "h264"),
        (["-c:v", "libvpx-vp9", "-b:v", "100k"], "webm", "webm", "vp9"),
    ],
)
def test_videos_made_by_ffmpeg_agree_with_the_parser(tmp_path, args, suffix, container, codec):
    # Files from a real encoder check the hand-written parser against what cameras and editors
    # write; `make test` installs Debian's ffmpeg when it can.
    if FFMPEG is None:
        unavailable("ffmpeg is not installed (`apt-get install ffmpeg`)")
    target = tmp_path / f"clip.{suffix}"
    source = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2"]
    result = subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *source, *args, str(target)],
        capture_output=True,
        timeout=120,
    )
    if result.returncode != 0:
        unavailable(f"this ffmpeg cannot encode {codec}: {result.stderr[-200:]!r}")
    with target.open("rb") as handle:
        facts = probe_video(handle, "webm" if suffix == "webm" else "mp4")
    assert facts.container == container and facts.codec == codec
    assert (facts.width, facts.height) == (320, 240)
    assert facts.duration_seconds == pytest.approx(2.0, abs=0.1)
