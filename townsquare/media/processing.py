"""Upload processing: what a file really is, whether we take it, and a clean copy of it.

Pure: no Django. Files are judged by their content, never by their name: the first bytes
say which format it claims to be, and its structure (containers.py), Pillow (decoding.py)
or our container parser for videos must agree. Every accepted file costs at most the
budget in budget.py; anything larger is refused before it is decoded. Videos are stored as
uploaded, minus the MP4/MOV metadata boxes, and only described, never converted.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import BinaryIO

from townsquare.media.budget import MAX_IMAGE_BYTES, MAX_SOURCE_PIXELS, MAX_VIDEO_BYTES
from townsquare.media.decoding import damaged, process_image
from townsquare.media.facts import (
    FORMAT_LABELS,
    Kind,
    MediaFacts,
    MediaRejected,
    Size,
    labels_of,
    problem,
)
from townsquare.media.video import VideoUnreadable, probe_video

# The most pixels a file may have, whatever its kind; each kind's own limit, from what its
# pixels cost to decode, is lower (budget.py).
MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
ACCEPTED_TYPES = IMAGE_TYPES | VIDEO_TYPES
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
}

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
MP4_BRANDS_QT = {b"qt  "}
# Classic QuickTime files may start without an ftyp box.
QT_FIRST_BOXES = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


@dataclass(frozen=True)
class UploadLimits:
    """Per-call limits; the defaults are the library's own, independent of any network."""

    max_image_bytes: int = MAX_IMAGE_BYTES
    max_video_bytes: int = MAX_VIDEO_BYTES
    max_image_pixels: int = MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class Sniffed:
    kind: Kind
    mime_type: str
    container: str = ""  # for videos: mp4, mov, webm, matroska


@dataclass(frozen=True)
class ProcessedUpload:
    facts: MediaFacts  # of the file as it will be stored
    extension: str
    sha256: str  # of the bytes as uploaded, so the same file uploaded twice is recognised
    content: bytes | None  # the clean image; None for videos (stored as uploaded)
    thumbnail: bytes | None  # WebP, 400 pixels on the long side; None for videos
    metadata_ranges: tuple[tuple[int, int], ...] = ()  # video boxes to blank when storing
    # A photo larger than its budget, stored at half or a quarter of this (width, height).
    reduced_from: tuple[int, int] | None = None


def sniff(head: bytes) -> Sniffed | None:
    """The format the first bytes announce (at least 32 bytes are needed), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(Kind.IMAGE, "image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(Kind.IMAGE, "image/png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed(Kind.IMAGE, "image/gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(Kind.IMAGE, "image/webp")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # The DocType sits a few bytes into the EBML header; "webm" or "matroska".
        if b"webm" in head[:64]:
            return Sniffed(Kind.VIDEO, "video/webm", "webm")
        return Sniffed(Kind.VIDEO, "video/x-matroska", "matroska")
    if head[4:8] == b"ftyp":
        size = struct.unpack(">I", head[:4])[0]
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(size, len(head)), 4)}
        if head[8:12] in HEIF_BRANDS or (brands & HEIF_BRANDS and not brands & {b"isom"}):
            return Sniffed(Kind.IMAGE, "image/heic")
        if head[8:12] in AVIF_BRANDS:
            return Sniffed(Kind.IMAGE, "image/avif")
        if head[8:12] in MP4_BRANDS_QT:
            return Sniffed(Kind.VIDEO, "video/quicktime", "mov")
        return Sniffed(Kind.VIDEO, "video/mp4", "mp4")
    if head[4:8] in QT_FIRST_BOXES:
        return Sniffed(Kind.VIDEO, "video/quicktime", "mov")
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sample.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def _refuse_type(head: bytes, sniffed: Sniffed | None) -> MediaRejected:
    accepted = labels_of(ACCEPTED_TYPES)
    if sniffed is not None and sniffed.mime_type == "image/heic":
        return MediaRejected(
            problem(
                "heic_not_supported",
                "This is a HEIC photo, which Townsquare cannot read yet. Export it as JPEG "
                "(on an iPhone: Settings > Camera > Formats > Most Compatible).",
                "Dies ist ein HEIC-Foto, das Townsquare noch nicht lesen kann. Exportieren "
                "Sie es als JPEG (am iPhone: Einstellungen > Kamera > Formate > Maximale "
                "Kompatibilität).",
            )
        )
    if sniffed is not None:
        return MediaRejected(
            problem(
                "unsupported_type",
                "This is a {kind} file. Townsquare accepts {accepted}.",
                "Dies ist eine {kind}-Datei. Townsquare akzeptiert {accepted}.",
                kind=FORMAT_LABELS.get(sniffed.mime_type, sniffed.mime_type),
                accepted=accepted,
            )
        )
    if _looks_like_text(head):
        return MediaRejected(
            problem(
                "not_media",
                "This file contains text, not a picture or video, whatever its name says. "
                "Townsquare accepts {accepted}.",
                "Diese Datei enthält Text, kein Bild und kein Video, auch wenn der Name "
                "anderes vermuten lässt. Townsquare akzeptiert {accepted}.",
                accepted=accepted,
            )
        )
    return MediaRejected(
        problem(
            "unknown_type",
            "This file is not a picture or video Townsquare can read. It accepts {accepted}.",
            "Diese Datei ist kein Bild oder Video, das Townsquare lesen kann. Akzeptiert "
            "werden {accepted}.",
            accepted=accepted,
        )
    )


def image_type(data: bytes) -> str:
    """The MIME type of an image Townsquare reads, or the refusal that explains why not."""
    sniffed = sniff(data[:64])
    if sniffed is None or sniffed.mime_type not in IMAGE_TYPES:
        raise _refuse_type(data[:512], sniffed)
    return sniffed.mime_type


def _too_large(kind: Kind, size: int, limit: int) -> MediaRejected:
    if kind == Kind.VIDEO:
        en = "This video is {size}; videos may be at most {limit}."
        de = "Dieses Video ist {size} groß; Videos dürfen höchstens {limit} groß sein."
    else:
        en = "This image is {size}; images may be at most {limit}."
        de = "Dieses Bild ist {size} groß; Bilder dürfen höchstens {limit} groß sein."
    return MediaRejected(problem("too_large", en, de, size=Size(size), limit=Size(limit)))


# --- the whole upload ---------------------------------------------------------------------


def _sha256(stream: BinaryIO) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def process_upload(
    stream: BinaryIO, *, size: int, limits: UploadLimits | None = None
) -> ProcessedUpload:
    """Judge and clean one uploaded file. Raises MediaRejected with the reason."""
    limits = limits or UploadLimits()
    if size <= 0:
        raise MediaRejected(problem("empty", "The file is empty.", "Die Datei ist leer."))
    stream.seek(0)
    head = stream.read(512)
    sniffed = sniff(head)
    if sniffed is None or sniffed.mime_type not in ACCEPTED_TYPES:
        raise _refuse_type(head, sniffed)
    limit = limits.max_video_bytes if sniffed.kind == Kind.VIDEO else limits.max_image_bytes
    if size > limit:
        raise _too_large(sniffed.kind, size, limit)
    sha = _sha256(stream)
    if sniffed.kind == Kind.IMAGE:
        data = stream.read(limit + 1)
        if len(data) > limit:  # the size we were told was wrong
            raise _too_large(sniffed.kind, len(data), limit)
        image = process_image(data, sniffed.mime_type, max_pixels=limits.max_image_pixels)
        return ProcessedUpload(
            image.facts,
            EXTENSIONS[image.facts.mime_type],
            sha,
            image.content,
            image.thumbnail,
            reduced_from=image.reduced_from,
        )
    try:
        video = probe_video(stream, sniffed.container)
    except (VideoUnreadable, struct.error) as error:
        raise damaged(FORMAT_LABELS[sniffed.mime_type]) from error
    mime_type = "video/quicktime" if video.container == "mov" else sniffed.mime_type
    facts = MediaFacts(
        kind=Kind.VIDEO,
        mime_type=mime_type,
        size_bytes=size,
        width=video.width,
        height=video.height,
        duration_seconds=video.duration_seconds,
        video_codec=video.codec,
    )
    return ProcessedUpload(
        facts, EXTENSIONS[mime_type], sha, None, None, metadata_ranges=video.metadata_ranges
    )
