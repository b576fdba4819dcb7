"""Pictures decoded within the budget: what a file costs is known from its structure before a
decoder sees it, a still is held at most twice while it is cleaned, an animation's frames
are decoded one at a time. Pure: no Django.

Pillow is restricted to exactly the format the first bytes announce, so no other decoder
ever sees the bytes. Stills are decoded and re-encoded, which drops EXIF (GPS position,
camera serial), XMP, comments and text chunks while keeping the orientation applied.
Animations are stored frame for frame as uploaded, without their metadata blocks
(containers.py); each frame is decoded once, after the one before it is let go, so a
damaged one is found now and not by the network.
"""

from __future__ import annotations

import io
import math
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError

from townsquare.media import budget
from townsquare.media.containers import (
    ContainerError,
    ImageHeader,
    UnusualJpeg,
    read_header,
    strip_animation,
)
from townsquare.media.facts import FORMAT_LABELS, Kind, MediaFacts, MediaRejected, problem

# Pillow warns above this many pixels and refuses twice as many. Every use of Pillow in the
# process is held to it, not only uploads: no path decodes a larger frame (a JPEG read at a
# reduced size is opened past this check, see _open).
Image.MAX_IMAGE_PIXELS = budget.MAX_DECODED_PIXELS

PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
# The only image.info keys we carry over: what a palette needs to look right.
KEEP_INFO = frozenset({"transparency", "duration", "loop", "background"})
THUMBNAIL_LONG_EDGE = 400
JPEG_QUALITY = 90
# libwebp from method 3 on keeps every token of the picture to encode it twice: for a noisy
# 13-megapixel photo 220 MB instead of 84 MB, for 2 % fewer bytes and twice the time.
WEBP_METHOD = 2
# Image.reduce() averages blocks of pixels in these modes; others are sampled (NEAREST).
REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"})


@dataclass(frozen=True)
class Still:
    image: Image.Image  # decoded: the first frame of an animation
    mime_type: str
    header: ImageHeader
    reduced_from: tuple[int, int] | None = None  # the file's size, when read smaller


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    thumbnail: bytes
    facts: MediaFacts
    reduced_from: tuple[int, int] | None = None


# --- refusals -----------------------------------------------------------------------------


def damaged(kind_label: str) -> MediaRejected:
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


def _megapixels(pixels: int) -> float | int:
    return pixels // 1_000_000 if pixels >= 10_000_000 else round(pixels / 1_000_000, 1)


def too_many_pixels(
    limit: int, width: int, height: int, *, progressive: bool = False
) -> MediaRejected:
    en, de = "", ""
    if progressive:  # the one kind of file whose limit is lower than its format's
        en, de = " for a progressive JPEG", " bei einem progressiven JPEG"
    return MediaRejected(
        problem(
            "too_many_pixels",
            "This image has {w} × {h} pixels; Townsquare takes at most {mp} megapixels"
            + en
            + ". Scale it down before uploading.",
            "Dieses Bild hat {w} × {h} Pixel; Townsquare nimmt" + de + " höchstens {mp} "
            "Megapixel an. Verkleinern Sie es vor dem Hochladen.",
            w=width,
            h=height,
            mp=_megapixels(limit),
        )
    )


def _animation_too_large(header: ImageHeader) -> MediaRejected | None:
    w, h, frames = header.width, header.height, header.frames
    video_en = "or upload it as a video (MP4)."
    video_de = "oder laden Sie sie als Video (MP4) hoch."
    if header.pixels > budget.MAX_ANIMATION_FRAME_PIXELS:
        return MediaRejected(
            problem(
                "too_many_pixels",
                "This animation is {w} × {h} pixels; Townsquare takes animations of at most "
                "{mp} megapixels per frame. Scale it down, " + video_en,
                "Diese Animation ist {w} × {h} Pixel groß; Townsquare nimmt Animationen mit "
                "höchstens {mp} Megapixeln je Bild an. Verkleinern Sie sie, " + video_de,
                w=w,
                h=h,
                mp=_megapixels(budget.MAX_ANIMATION_FRAME_PIXELS),
            )
        )
    if frames > budget.MAX_ANIMATION_FRAMES:
        return MediaRejected(
            problem(
                "too_many_frames",
                "This animation has {frames} frames; Townsquare takes at most {max}. "
                "Shorten it, " + video_en,
                "Diese Animation hat {frames} Einzelbilder; Townsquare nimmt höchstens {max} "
                "an. Kürzen Sie sie, " + video_de,
                frames=frames,
                max=budget.MAX_ANIMATION_FRAMES,
            )
        )
    if header.pixels * frames > budget.MAX_ANIMATION_PIXELS:
        return MediaRejected(
            problem(
                "too_many_pixels",
                "This animation has {frames} frames of {w} × {h} pixels, {total} megapixels "
                "in all; Townsquare takes at most {mp} megapixels in all. Shorten it or "
                "scale it down, " + video_en,
                "Diese Animation hat {frames} Einzelbilder zu {w} × {h} Pixeln, insgesamt "
                "{total} Megapixel; Townsquare nimmt höchstens {mp} Megapixel insgesamt an. "
                "Kürzen oder verkleinern Sie sie, " + video_de,
                frames=frames,
                w=w,
                h=h,
                total=_megapixels(header.pixels * frames),
                mp=_megapixels(budget.MAX_ANIMATION_PIXELS),
            )
        )
    return None


UNUSUAL_JPEG = problem(
    "unusual_jpeg",
    "This JPEG is stored in a way that browsers and networks do not show (lossless or "
    "arithmetic coding). Save it again as an ordinary JPEG.",
    "Dieses JPEG ist so gespeichert, dass Browser und Netzwerke es nicht anzeigen "
    "(verlustfreie oder arithmetische Kodierung). Speichern Sie es erneut als gewöhnliches "
    "JPEG.",
)


# --- judging a file before decoding it ----------------------------------------------------


def inspect(data: bytes, mime_type: str) -> ImageHeader:
    """The file's size, frames and decoding cost from its structure alone."""
    try:
        return read_header(data, mime_type)
    except UnusualJpeg:
        raise MediaRejected(UNUSUAL_JPEG) from None
    except ContainerError as error:
        raise damaged(FORMAT_LABELS[mime_type]) from error


def _reduction(header: ImageHeader, mime_type: str, max_pixels: int, fit: int | None) -> int:
    """By how much a still is read smaller (1: not at all); refuses what cannot fit.

    `fit` asks for a long edge of at least that many pixels, when a smaller picture is all
    the caller needs: a JPEG is then read at the smallest scale that still gives it.
    """
    w, h = header.width, header.height
    cost = budget.still_cost(mime_type, buffered=header.buffered, samples=header.samples_per_pixel)
    limit = min(cost.max_pixels, max_pixels)  # max_pixels: the caller's own, if lower
    scale = 1
    if header.pixels > limit:
        jpeg = mime_type == "image/jpeg"
        if not jpeg or header.buffered:
            raise too_many_pixels(limit, w, h, progressive=jpeg and limit == cost.max_pixels)
        if header.pixels > max_pixels:
            raise too_many_pixels(max_pixels, w, h)
        scale = next(
            (
                s
                for s in (2, 4)
                if s <= budget.JPEG_MAX_REDUCTION and math.ceil(w / s) * math.ceil(h / s) <= limit
            ),
            0,
        )
        if not scale:
            raise too_many_pixels(min(limit * budget.JPEG_MAX_REDUCTION**2, max_pixels), w, h)
    if fit and mime_type == "image/jpeg" and not header.buffered:
        while scale < 8 and math.ceil(max(w, h) / (scale * 2)) >= fit:
            scale *= 2
    return scale


def open_still(
    data: bytes,
    mime_type: str,
    *,
    max_pixels: int = budget.MAX_SOURCE_PIXELS,
    fit: int | None = None,
    header: ImageHeader | None = None,
) -> Still:
    """The first frame, decoded: refused before decoding if it would not fit the budget."""
    header = header or inspect(data, mime_type)
    if header.frames > 1:
        refuse_animation_over_budget(header, max_pixels)
        scale = 1
    else:
        scale = _reduction(header, mime_type, max_pixels, fit)
    image = _open(data, mime_type, header, reduced=scale > 1)
    with _decoding(mime_type, header):
        if scale > 1:
            image.draft(None, (header.width // scale, header.height // scale))
        image.load()
        if mime_type == "image/webp":
            # libwebp's decoder keeps two canvases for as long as the file is open.
            loaded, image = image, image.copy()
            loaded.close()
    reduced = None
    if header.frames == 1 and image.size != (header.width, header.height):
        reduced = (header.width, header.height)
    return Still(image, mime_type, header, reduced)


@contextmanager
def _decoding(mime_type: str, header: ImageHeader) -> Iterator[None]:
    """Whatever goes wrong inside a decoder becomes a refusal the person can act on.

    Pillow's own warning between its pixel limit and twice that is not turned into an
    error here (warning filters are global to the process, and uploads run in threads):
    the limits were applied to the file's structure already, and _open() refuses a file
    whose decoder would allocate more than its structure said.
    """
    try:
        yield
    except Image.DecompressionBombError:
        raise too_many_pixels(budget.MAX_DECODED_PIXELS, header.width, header.height) from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        struct.error,
    ) as error:
        raise damaged(FORMAT_LABELS[mime_type]) from error


def _open(data: bytes, mime_type: str, header: ImageHeader, *, reduced: bool) -> Image.Image:
    image: Image.Image
    with _decoding(mime_type, header):
        if reduced:
            # Read at a fraction of its size, so Pillow's check of the full size would
            # refuse what the budget has room for; _reduction() has judged it instead.
            image = JpegImagePlugin.JpegImageFile(io.BytesIO(data))
        else:
            image = Image.open(io.BytesIO(data), formats=[PIL_FORMATS[mime_type]])
    if image.width * image.height > header.pixels:
        # Pillow would allocate more than the structure told us: trust neither.
        raise damaged(FORMAT_LABELS[mime_type])
    return image


# --- cleaning -----------------------------------------------------------------------------


def has_alpha(image: Image.Image) -> bool:
    """Whether any pixel is (partly) transparent, not merely whether the mode could be."""
    if image.mode == "P":
        transparency = image.info.get("transparency")
        if transparency is None:
            return False
        used = image.histogram()  # how often each palette index occurs: no copy of the image
        if isinstance(transparency, int):
            return 0 <= transparency < len(used) and used[transparency] > 0
        return any(used[i] and alpha < 255 for i, alpha in enumerate(transparency[:256]))
    if image.mode == "PA":
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
            srgb = ImageCms.createProfile("sRGB")
            out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            if out_mode == image.mode:  # in place: no second copy of the pixels
                ImageCms.profileToProfile(image, source, srgb, outputMode=out_mode, inPlace=True)
            else:
                converted = ImageCms.profileToProfile(image, source, srgb, outputMode=out_mode)
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
    """Orientation applied, colours in sRGB, metadata gone: the pixels and nothing else.

    Works on `image` itself where it can, so that at most one further copy of the pixels
    exists at any time (a turned or converted one, while the original is let go).
    """
    ImageOps.exif_transpose(image, in_place=True)  # a copy only when it has to turn
    if image.mode.startswith("I;16"):
        # 16-bit greyscale: convert() would clip it, so scale it to 8 bits first.
        image = image.point(lambda v: v / 256).convert("L")
    elif image.mode in ("I", "F"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK"):
        image = image.convert("RGBA" if has_alpha(image) else "RGB")
    return _scrub(_to_srgb(image))


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
        image.save(out, "WEBP", quality=quality, method=WEBP_METHOD)
    elif mime_type == "image/png":
        if image.mode == "CMYK":
            image = image.convert("RGB")
        image.save(out, "PNG")
    elif mime_type == "image/gif":
        image.save(out, "GIF")
    else:
        raise ValueError(mime_type)
    return out.getvalue()


def thumbnail(image: Image.Image) -> bytes:
    """WebP, THUMBNAIL_LONG_EDGE on the long side, made from a reduced copy of the image."""
    factor = max(image.size) // (THUMBNAIL_LONG_EDGE * 2)
    small = image
    if factor > 1:
        if image.mode in REDUCIBLE_MODES:
            small = image.reduce(factor)  # averages factor x factor blocks
        else:  # palettes and 1-bit: sampled, and smoothed below
            size = (max(1, image.width // factor), max(1, image.height // factor))
            small = image.resize(size, Image.Resampling.NEAREST)
    small = small.convert("RGBA" if has_alpha(small) else "RGB")
    small.thumbnail((THUMBNAIL_LONG_EDGE, THUMBNAIL_LONG_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "WEBP", quality=80, method=WEBP_METHOD)
    return out.getvalue()


# --- a whole picture ----------------------------------------------------------------------


def _facts(
    image: Image.Image, mime_type: str, content: bytes, alpha: bool, animated: bool
) -> MediaFacts:
    return MediaFacts(
        kind=Kind.IMAGE,
        mime_type=mime_type,
        size_bytes=len(content),
        width=image.width,
        height=image.height,
        has_alpha=alpha,
        animated=animated,
    )


def process_image(data: bytes, mime_type: str, *, max_pixels: int) -> ProcessedImage:
    """The clean picture, its thumbnail and its facts; refuses what the budget cannot hold."""
    header = inspect(data, mime_type)
    if header.frames > 1:
        return _process_animation(data, mime_type, header, max_pixels)
    still = open_still(data, mime_type, max_pixels=max_pixels, header=header)
    reduced_from, image = still.reduced_from, still.image
    del still  # from here on the decoded pixels are held by `image` alone ...
    image = clean_still(image)  # ... so a converted copy replaces them instead of joining them
    alpha = has_alpha(image)
    thumb = thumbnail(image)
    content = encode(image, mime_type)
    return ProcessedImage(
        content, thumb, _facts(image, mime_type, content, alpha, False), reduced_from
    )


def refuse_animation_over_budget(header: ImageHeader, max_pixels: int) -> None:
    if header.pixels > max_pixels:
        raise too_many_pixels(max_pixels, header.width, header.height)
    refusal = _animation_too_large(header)
    if refusal is not None:
        raise refusal


def _process_animation(
    data: bytes, mime_type: str, header: ImageHeader, max_pixels: int
) -> ProcessedImage:
    refuse_animation_over_budget(header, max_pixels)
    try:
        content = strip_animation(data, mime_type)
    except ContainerError as error:
        raise damaged(FORMAT_LABELS[mime_type]) from error
    image = _open(content, mime_type, header, reduced=False)
    try:
        with _decoding(mime_type, header):
            image.load()
            first = clean_still(image.copy())
            alpha, thumb = has_alpha(first), thumbnail(first)
            width, height = first.size
            del first
            # Each further frame replaces the one before it in Pillow's buffers.
            for index in range(1, header.frames):
                image.seek(index)
                image.load()
    finally:
        image.close()
    facts = MediaFacts(
        kind=Kind.IMAGE,
        mime_type=mime_type,
        size_bytes=len(content),
        width=width,
        height=height,
        has_alpha=alpha,
        animated=True,
    )
    return ProcessedImage(content, thumb, facts)
