"""Video facts from container headers: MP4/MOV (ISO base media) and WebM/Matroska (EBML).

Pure Python that reads headers only; videos are never decoded or converted. We parse the
few boxes we need ourselves instead of depending on PyAV or ffprobe: duration, size, codec
and rotation sit in a handful of header structures, a small parser has no native code to
ship, and untrusted uploads never reach a decoder. Everything is bounded: box counts, the
size of the index we read into memory and the depth we descend.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# The moov box holds the sample tables: a few MB even for long videos. More is not a video
# we want to hold in memory.
MAX_INDEX_BYTES = 64 * 1024 * 1024
MAX_TOP_LEVEL_BOXES = 100_000
MAX_EBML_ELEMENT_BYTES = 4 * 1024 * 1024
MAX_EBML_CHILDREN = 10_000

MP4_CODECS = {
    b"avc1": "h264",
    b"avc3": "h264",
    b"hvc1": "hevc",
    b"hev1": "hevc",
    b"dvh1": "hevc",
    b"dvhe": "hevc",
    b"av01": "av1",
    b"vp09": "vp9",
    b"vp08": "vp8",
    b"mp4v": "mpeg4",
    b"apch": "prores",
    b"apcn": "prores",
    b"apcs": "prores",
    b"apco": "prores",
    b"ap4h": "prores",
    b"ap4x": "prores",
}
MATROSKA_CODECS = {
    "V_VP8": "vp8",
    "V_VP9": "vp9",
    "V_AV1": "av1",
    "V_MPEG4/ISO/AVC": "h264",
    "V_MPEGH/ISO/HEVC": "hevc",
}
# Boxes that only hold other boxes, on the path to the ones we read.
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"mvex", b"edts"}
# Free-form metadata (camera model, GPS position as ISO 6709 text, software): blanked on
# upload by turning them into `free` boxes of the same size, which keeps every offset valid.
MP4_METADATA = {b"udta", b"meta"}


class VideoUnreadable(Exception):
    """The container is damaged or not what its signature claims."""


@dataclass(frozen=True)
class VideoFacts:
    container: str  # mp4, mov, webm, matroska
    duration_seconds: float | None
    width: int | None
    height: int | None
    codec: str  # short name (h264, hevc, vp9...) or the raw code when unknown
    has_audio: bool
    # (offset, length) of metadata boxes that may be overwritten as `free` boxes.
    metadata_ranges: tuple[tuple[int, int], ...] = ()


def probe_video(stream: BinaryIO, container: str) -> VideoFacts:
    stream.seek(0)
    if container in ("webm", "matroska"):
        return _probe_matroska(stream)
    return _probe_mp4(stream, container)


# --- MP4 / MOV ----------------------------------------------------------------------------


def _box_header(stream: BinaryIO, pos: int, end: int) -> tuple[bytes, int, int]:
    """(type, header length, box length) of the box at pos."""
    stream.seek(pos)
    head = stream.read(16)
    if len(head) < 8:
        raise VideoUnreadable("truncated box header")
    size, kind = struct.unpack(">I4s", head[:8])
    header = 8
    if size == 1:
        if len(head) < 16:
            raise VideoUnreadable("truncated box header")
        size, header = struct.unpack(">Q", head[8:16])[0], 16
    elif size == 0:  # "to the end of the file"
        size = end - pos
    if size < header or pos + size > end:
        raise VideoUnreadable(f"box {kind!r} runs past the end of the file")
    return kind, header, size


def _children(buf: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, payload start, payload end, box start) of the boxes in buf[start:end]."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", buf, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise VideoUnreadable("truncated box header")
            size, header = struct.unpack_from(">Q", buf, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise VideoUnreadable(f"box {kind!r} runs past its parent")
        yield kind, pos + header, pos + size, pos
        pos += size


@dataclass
class _Track:
    handler: bytes = b""
    width: float = 0.0
    height: float = 0.0
    rotated: bool = False
    codec: str = ""
    coded_size: tuple[int, int] = (0, 0)
    timescale: int = 0
    duration: int = 0


def _probe_mp4(stream: BinaryIO, container: str) -> VideoFacts:
    end = stream.seek(0, 2)
    pos, seen, moov, moov_at, moov_header, metadata = 0, 0, None, 0, 8, []
    major_brand = b""
    while pos < end:
        seen += 1
        if seen > MAX_TOP_LEVEL_BOXES:
            raise VideoUnreadable("too many boxes")
        if end - pos < 8:
            break  # trailing padding some muxers leave
        kind, header, size = _box_header(stream, pos, end)
        if kind == b"ftyp":
            major_brand = stream.read(4) if header == 8 else b""
        elif kind == b"moov":
            if size > MAX_INDEX_BYTES:
                raise VideoUnreadable("the index (moov box) is implausibly large")
            stream.seek(pos)
            moov, moov_at, moov_header = stream.read(size), pos, header
        elif kind in MP4_METADATA:
            metadata.append((pos, size))
        pos += size
    if moov is None:
        raise VideoUnreadable("no index (moov box): the file is incomplete")
    if major_brand == b"qt  ":
        container = "mov"

    movie_timescale, movie_duration, tracks = 0, 0, []
    for kind, start, stop, box_at in _children(moov, moov_header, len(moov)):
        if kind == b"mvhd":
            movie_timescale, movie_duration = _mvhd(moov, start)
        elif kind == b"trak":
            tracks.append(_trak(moov, start, stop, moov_at, metadata))
        elif kind == b"mvex":
            for sub, s, _e, _at in _children(moov, start, stop):
                if sub == b"mehd" and not movie_duration:
                    movie_duration = _read_versioned(moov, s, 0, 0)
        elif kind in MP4_METADATA:
            metadata.append((moov_at + box_at, stop - box_at))

    video = next((t for t in tracks if t.handler == b"vide"), None)
    if video is None:
        raise VideoUnreadable("no video track")
    duration = None
    if movie_timescale and 0 < movie_duration < 0xFFFFFFFF:
        duration = movie_duration / movie_timescale
    elif video.timescale and 0 < video.duration < 0xFFFFFFFF:
        duration = video.duration / video.timescale
    width, height = round(video.width), round(video.height)
    if not (width and height):
        width, height = video.coded_size
    if video.rotated:
        width, height = height, width
    return VideoFacts(
        container=container,
        duration_seconds=duration,
        width=width or None,
        height=height or None,
        codec=video.codec,
        has_audio=any(t.handler == b"soun" for t in tracks),
        metadata_ranges=tuple(metadata),
    )


def _read_versioned(buf: bytes, start: int, v0_skip: int, v1_skip: int) -> int:
    """The 32- or 64-bit value after a full box header, skipping v0_skip/v1_skip bytes."""
    if start + 4 > len(buf):
        raise VideoUnreadable("truncated box")
    version = buf[start]
    at = start + 4 + (v1_skip if version == 1 else v0_skip)
    fmt = ">Q" if version == 1 else ">I"
    if at + struct.calcsize(fmt) > len(buf):
        raise VideoUnreadable("truncated box")
    return int(struct.unpack_from(fmt, buf, at)[0])


def _mvhd(buf: bytes, start: int) -> tuple[int, int]:
    """(timescale, duration) of an mvhd or mdhd box; both share this layout."""
    version = buf[start] if start < len(buf) else 0
    if version == 1:
        if start + 32 > len(buf):
            raise VideoUnreadable("truncated mvhd")
        timescale, duration = struct.unpack_from(">IQ", buf, start + 20)
    else:
        if start + 20 > len(buf):
            raise VideoUnreadable("truncated mvhd")
        timescale, duration = struct.unpack_from(">II", buf, start + 12)
    return int(timescale), int(duration)


def _trak(
    buf: bytes, start: int, stop: int, moov_at: int, metadata: list[tuple[int, int]]
) -> _Track:
    track = _Track()
    for kind, s, e, box_at in _children(buf, start, stop):
        if kind == b"tkhd":
            _tkhd(buf, s, e, track)
        elif kind in MP4_METADATA:
            metadata.append((moov_at + box_at, e - box_at))
        elif kind == b"mdia":
            for sub, ss, se, _at in _children(buf, s, e):
                if sub == b"mdhd":
                    track.timescale, track.duration = _mvhd(buf, ss)
                elif sub == b"hdlr" and ss + 12 <= se:
                    track.handler = buf[ss + 8 : ss + 12]
                elif sub == b"minf":
                    _minf(buf, ss, se, track)
    return track


def _tkhd(buf: bytes, start: int, stop: int, track: _Track) -> None:
    version = buf[start]
    # Full box header (4), times and ids (20 or 32), reserved (8), layer, group, volume,
    # reserved (8), then the 3x3 matrix and the display size in 16.16 fixed point.
    matrix_at = start + 4 + (32 if version == 1 else 20) + 8 + 8
    if matrix_at + 44 > stop:
        raise VideoUnreadable("truncated tkhd")
    a, b, _u, c, d = struct.unpack_from(">iiiii", buf, matrix_at)
    width, height = struct.unpack_from(">II", buf, matrix_at + 36)
    track.width, track.height = width / 65536, height / 65536
    # Phones store portrait video as landscape frames plus a 90 or 270 degree matrix.
    track.rotated = a == 0 and d == 0 and b != 0 and c != 0


def _minf(buf: bytes, start: int, stop: int, track: _Track) -> None:
    for kind, s, e, _at in _children(buf, start, stop):
        if kind != b"stbl":
            continue
        for sub, ss, se, _sat in _children(buf, s, e):
            if sub != b"stsd" or ss + 8 > se:
                continue
            entries = _children(buf, ss + 8, se)  # after version/flags and entry count
            first = next(entries, None)
            if first is None:
                return
            fourcc, es, ee, _eat = first
            track.codec = MP4_CODECS.get(fourcc, fourcc.decode("latin-1").strip())
            # Visual sample entry: 6 reserved + 2 index + 16 predefined, then width, height.
            if es + 28 <= ee:
                track.coded_size = struct.unpack_from(">HH", buf, es + 24)
            return


# --- WebM / Matroska ----------------------------------------------------------------------

EBML = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
INFO = 0x1549A966
TIMESTAMP_SCALE = 0x2AD7B1
DURATION = 0x4489
TRACKS = 0x1654AE6B
TRACK_ENTRY = 0xAE
TRACK_TYPE = 0x83
CODEC_ID = 0x86
VIDEO = 0xE0
PIXEL_WIDTH = 0xB0
PIXEL_HEIGHT = 0xBA
CLUSTER = 0x1F43B675


def _vint(data: bytes, pos: int, *, is_id: bool) -> tuple[int, int, bool]:
    """(value, length, unknown) of an EBML variable-length integer at pos."""
    if pos >= len(data):
        raise VideoUnreadable("truncated EBML number")
    first = data[pos]
    if first == 0:
        raise VideoUnreadable("invalid EBML number")
    length = 8 - first.bit_length() + 1
    if pos + length > len(data):
        raise VideoUnreadable("truncated EBML number")
    value = int.from_bytes(data[pos : pos + length], "big")
    if is_id:
        return value, length, False
    value &= (1 << (7 * length)) - 1
    return value, length, value == (1 << (7 * length)) - 1


def _element_header(stream: BinaryIO) -> tuple[int, int | None, int] | None:
    """(id, payload size or None when unknown, header length) read from the stream."""
    head = stream.read(12)
    if not head:
        return None
    ident, id_len, _ = _vint(head, 0, is_id=True)
    size, size_len, unknown = _vint(head, id_len, is_id=False)
    stream.seek(len(head) * -1 + id_len + size_len, 1)
    return ident, None if unknown else size, id_len + size_len


def _elements(data: bytes) -> Iterator[tuple[int, bytes]]:
    pos, count = 0, 0
    while pos < len(data):
        count += 1
        if count > MAX_EBML_CHILDREN:
            raise VideoUnreadable("too many EBML elements")
        ident, id_len, _ = _vint(data, pos, is_id=True)
        size, size_len, unknown = _vint(data, pos + id_len, is_id=False)
        start = pos + id_len + size_len
        end = len(data) if unknown else start + size
        if end > len(data):
            raise VideoUnreadable("EBML element runs past its parent")
        yield ident, data[start:end]
        pos = end


def _read_payload(stream: BinaryIO, size: int | None) -> bytes:
    if size is None or size > MAX_EBML_ELEMENT_BYTES:
        raise VideoUnreadable("implausibly large header element")
    data = stream.read(size)
    if len(data) < size:
        raise VideoUnreadable("truncated header element")
    return data


def _probe_matroska(stream: BinaryIO) -> VideoFacts:
    header = _element_header(stream)
    if header is None or header[0] != EBML:
        raise VideoUnreadable("no EBML header")
    doc_type = "matroska"
    for ident, value in _elements(_read_payload(stream, header[1])):
        if ident == DOC_TYPE:
            doc_type = value.decode("ascii", "replace").rstrip("\x00")
    segment = _element_header(stream)
    if segment is None or segment[0] != SEGMENT:
        raise VideoUnreadable("no segment")
    scale, duration_ticks, tracks = 1_000_000, None, []
    seen = 0
    while (element := _element_header(stream)) is not None:
        seen += 1
        if seen > MAX_EBML_CHILDREN:
            raise VideoUnreadable("too many EBML elements")
        ident, size, _ = element
        if ident == CLUSTER:
            break  # the frames start; every header we need comes before them
        if ident == INFO:
            for sub, value in _elements(_read_payload(stream, size)):
                if sub == TIMESTAMP_SCALE:
                    scale = int.from_bytes(value, "big") or scale
                elif sub == DURATION and len(value) in (4, 8):
                    duration_ticks = struct.unpack(">f" if len(value) == 4 else ">d", value)[0]
        elif ident == TRACKS:
            tracks = [
                _matroska_track(value)
                for sub, value in _elements(_read_payload(stream, size))
                if sub == TRACK_ENTRY
            ]
        elif size is None:
            break  # an element of unknown size other than a cluster: nothing more we can skip
        else:
            stream.seek(size, 1)
    video = next((t for t in tracks if t[0] == 1), None)
    if video is None:
        raise VideoUnreadable("no video track")
    duration = duration_ticks * scale / 1e9 if duration_ticks else None
    return VideoFacts(
        container="webm" if doc_type == "webm" else "matroska",
        duration_seconds=duration,
        width=video[2] or None,
        height=video[3] or None,
        codec=video[1],
        has_audio=any(t[0] == 2 for t in tracks),
    )


def _matroska_track(data: bytes) -> tuple[int, str, int, int]:
    """(track type, codec, width, height) of a TrackEntry."""
    kind, codec, width, height = 0, "", 0, 0
    for ident, value in _elements(data):
        if ident == TRACK_TYPE:
            kind = int.from_bytes(value, "big")
        elif ident == CODEC_ID:
            raw = value.decode("ascii", "replace").rstrip("\x00")
            codec = MATROSKA_CODECS.get(raw, raw)
        elif ident == VIDEO:
            for sub, v in _elements(value):
                if sub == PIXEL_WIDTH:
                    width = int.from_bytes(v, "big")
                elif sub == PIXEL_HEIGHT:
                    height = int.from_bytes(v, "big")
    return kind, codec, width, height


def blank_metadata(stream: BinaryIO, ranges: tuple[tuple[int, int], ...]) -> None:
    """Turn the given MP4 boxes into `free` boxes of the same length, zeroing their content.

    Works in place on a writable copy of the upload; no offset in the file changes.
    """
    for offset, length in ranges:
        stream.seek(offset)
        head = stream.read(16)
        header = 16 if struct.unpack(">I", head[:4])[0] == 1 else 8
        stream.seek(offset + 4)
        stream.write(b"free")
        stream.seek(offset + header)
        remaining = length - header
        while remaining > 0:
            chunk = min(remaining, 1024 * 1024)
            stream.write(b"\x00" * chunk)
            remaining -= chunk
