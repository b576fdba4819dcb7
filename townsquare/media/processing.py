"""Upload processing: what a file really is, whether we take it, and a clean copy of it.

Pure: no Django. Files are judged by their content, never by their name: the first bytes
say which format it claims to be, and Pillow (restricted to exactly that format, so no
other decoder ever sees the bytes) or our container parser must agree. Images are decoded
and re-encoded, which drops EXIF (GPS position, camera serial), XMP, comments and text
chunks while keeping the orientation applied. Videos are stored as uploaded, minus the
MP4/MOV metadata boxes, and only described, never converted.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

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

MB = 1024 * 1024
MAX_IMAGE_BYTES = 30 * MB
MAX_VIDEO_BYTES = 200 * MB
# 50 megapixels: more than any network accepts and than a 48 MP phone photo, far below
# what would exhaust memory when decoded (an RGBA image of this size takes 200 MB).
MAX_IMAGE_PIXELS = 50_000_000
# Animations multiply the pixels by their frames: a GIF of 2,000 full-HD frames is a bomb too.
MAX_ANIMATION_PIXELS = 400_000_000
THUMBNAIL_LONG_EDGE = 400
JPEG_QUALITY = 90

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
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
# The only image.info keys we carry over: what an animation or palette needs to look right.
KEEP_INFO = frozenset({"transparency", "duration", "loop", "background"})

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
    thumbnail: bytes | None  # WebP, THUMBNAIL_LONG_EDGE on the long side; None for videos
    metadata_ranges: tuple[tuple[int, int], ...] = ()  # video boxes to blank when storing


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


def _too_large(kind: Kind, size: int, limit: int) -> MediaRejected:
    if kind == Kind.VIDEO:
        en = "This video is {size}; videos may be at most {limit}."
        de = "Dieses Video ist {size} groß; Videos dürfen höchstens {limit} groß sein."
    else:
        en = "This image is {size}; images may be at most {limit}."
        de = "Dieses Bild ist {size} groß; Bilder dürfen höchstens {limit} groß sein."
    return MediaRejected(problem("too_large", en, de, size=Size(size), limit=Size(limit)))


def _damaged(kind_label: str) -> MediaRejected:
    return MediaRejected(
        problem(
            "damaged",
            "This {kind} file is damaged or incomplete (perhaps the upload was cut off). "
            "Open it on your device to check it, then upload it again.",
            "Diese {kind}-Datei ist beschädigt oder unvollständig (vielleicht wurde das "
            "Hochladen unterbrochen). Öffnen Sie sie auf Ihrem Gerät und laden Sie sie "
            "erneut hoch.",
            kind=kind_label,
        )
    )


def _too_many_pixels(limit: int, width: int = 0, height: int = 0) -> MediaRejected:
    if not (width and height):  # Pillow refused it before we learned the size
        return MediaRejected(
            problem(
                "too_many_pixels",
                "This image has too many pixels; Townsquare takes at most {mp} megapixels. "
                "Scale it down before uploading.",
                "Dieses Bild hat zu viele Pixel; Townsquare nimmt höchstens {mp} Megapixel an. "
                "Verkleinern Sie es vor dem Hochladen.",
                mp=limit // 1_000_000,
            )
        )
    return MediaRejected(
        problem(
            "too_many_pixels",
            "This image has {w} × {h} pixels; Townsquare takes at most {mp} megapixels. "
            "Scale it down before uploading.",
            "Dieses Bild hat {w} × {h} Pixel; Townsquare nimmt höchstens {mp} Megapixel an. "
            "Verkleinern Sie es vor dem Hochladen.",
            w=width,
            h=height,
            mp=limit // 1_000_000,
        )
    )


# --- images -------------------------------------------------------------------------------


def open_image(data: bytes, max_pixels: int = MAX_IMAGE_PIXELS) -> tuple[Image.Image, Sniffed]:
    """Decode an untrusted image fully, or refuse it with the reason."""
    sniffed = sniff(data[:64])
    if sniffed is None or sniffed.mime_type not in IMAGE_TYPES:
        raise _refuse_type(data[:512], sniffed)
    fmt = PIL_FORMATS[sniffed.mime_type]
    label = FORMAT_LABELS[sniffed.mime_type]
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice that; we refuse instead.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=[fmt])
            # The header is read, nothing is decoded yet: refuse bombs before they explode.
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
            if width * height > max_pixels:
                raise _too_many_pixels(max_pixels, width, height)
            if width * height * frames > MAX_ANIMATION_PIXELS:
                raise _too_many_pixels(MAX_ANIMATION_PIXELS, width, height * frames)
            probe.verify()  # checksums and structure, without decoding
            image = Image.open(io.BytesIO(data), formats=[fmt])
            image.load()  # decodes; a truncated or corrupt file fails here
            if frames > 1:
                for frame in ImageSequence.Iterator(image):
                    frame.load()
                image.seek(0)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise _damaged(label) from error
        except struct.error as error:
            raise _damaged(label) from error
    return image, sniffed


def has_alpha(image: Image.Image) -> bool:
    """Whether any pixel is (partly) transparent, not merely whether the mode could be."""
    if image.mode == "P":
        if "transparency" not in image.info:
            return False
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        lowest, _highest = image.getchannel("A").getextrema()
        return isinstance(lowest, int | float) and lowest < 255
    return False


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded colour profile, so the pixels look right once it is dropped."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=out_mode
            )
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    if image.mode == "CMYK":
        image = image.convert("RGB")
    return image


def _scrub(image: Image.Image) -> Image.Image:
    image.info = {k: v for k, v in image.info.items() if k in KEEP_INFO}
    return image


def clean_still(image: Image.Image) -> Image.Image:
    """Orientation applied, colours in sRGB, metadata gone: the pixels and nothing else."""
    oriented = ImageOps.exif_transpose(image) or image
    if oriented.mode.startswith("I") or oriented.mode == "F":
        # 16-bit greyscale: Pillow's convert() would clip it, so scale it to 8 bits.
        oriented = oriented.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif oriented.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK"):
        oriented = oriented.convert("RGBA" if has_alpha(oriented) else "RGB")
    return _scrub(_to_srgb(oriented))


def encode(image: Image.Image, mime_type: str, quality: int = JPEG_QUALITY) -> bytes:
    """Encode a (clean) still image; modes are adapted to what the format can hold."""
    out = io.BytesIO()
    if mime_type == "image/jpeg":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif mime_type == "image/webp":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if has_alpha(image) else "RGB")
        image.save(out, "WEBP", quality=quality, method=4)
    elif mime_type == "image/png":
        if image.mode == "CMYK":
            image = image.convert("RGB")
        image.save(out, "PNG")
    elif mime_type == "image/gif":
        image.save(out, "GIF")
    else:
        raise ValueError(mime_type)
    return out.getvalue()


def encode_animation(image: Image.Image, mime_type: str) -> bytes:
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        copy = frame.copy()
        if mime_type == "image/webp" and copy.mode not in ("RGB", "RGBA"):
            copy = copy.convert("RGBA")
        frames.append(_scrub(copy))
    out = io.BytesIO()
    loop = image.info.get("loop", 0)
    fmt = PIL_FORMATS[mime_type]
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=durations, loop=loop)
    return out.getvalue()


def thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb = thumb.convert("RGBA" if has_alpha(thumb) else "RGB")
    thumb.thumbnail((THUMBNAIL_LONG_EDGE, THUMBNAIL_LONG_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumb.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


def process_image(data: bytes, limits: UploadLimits) -> tuple[bytes, bytes, MediaFacts]:
    """(clean content, thumbnail, facts) of an image upload."""
    image, sniffed = open_image(data, limits.max_image_pixels)
    animated = getattr(image, "n_frames", 1) > 1
    if animated:
        content = encode_animation(image, sniffed.mime_type)
        first = clean_still(image.copy())
    else:
        first = clean_still(image)
        content = encode(first, sniffed.mime_type)
    facts = MediaFacts(
        kind=Kind.IMAGE,
        mime_type=sniffed.mime_type,
        size_bytes=len(content),
        width=first.width,
        height=first.height,
        has_alpha=has_alpha(first),
        animated=animated,
    )
    return content, thumbnail(first), facts


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
        content, thumb, facts = process_image(data, limits)
        return ProcessedUpload(facts, EXTENSIONS[facts.mime_type], sha, content, thumb)
    try:
        video = probe_video(stream, sniffed.container)
    except (VideoUnreadable, struct.error) as error:
        raise _damaged(FORMAT_LABELS[sniffed.mime_type]) from error
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
