"""Convert an image into what a network accepts. Pure: no Django; Pillow does the work.

Order of steps: pick a format the network takes (keeping transparency where it can), scale
to the long-edge limit, then fit the byte limit by lowering the quality first (invisible
at first) and only then the size. Aspect ratios are never changed: cropping decides what
the picture shows, which is the person's call, not ours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from townsquare.media import budget
from townsquare.media.containers import ContainerError, strip_animation
from townsquare.media.decoding import clean_still, damaged, encode, has_alpha, inspect, open_still
from townsquare.media.facts import (
    FORMAT_LABELS,
    Kind,
    MediaFacts,
    MediaRejected,
    Size,
    labels_of,
    problem,
)
from townsquare.media.limits import MediaLimits
from townsquare.media.processing import IMAGE_TYPES, MAX_IMAGE_PIXELS, image_type

QUALITY_STEPS = (90, 85, 80, 75, 70, 65, 60)
SCALE_STEP = 0.85
# Below this the picture is no use on any network; refuse instead of sending a stamp.
MIN_LONG_EDGE = 320
LOSSY = frozenset({"image/jpeg", "image/webp"})
# Background for transparent images that must become JPEG: white reads as "paper" on every
# network's light and dark theme better than black does.
FLATTEN_ON = (255, 255, 255)


@dataclass(frozen=True)
class ConvertedImage:
    data: bytes
    facts: MediaFacts
    steps: tuple[str, ...]  # what was done, e.g. ("format image/png -> image/jpeg",)


def choose_format(source: str, alpha: bool, allowed: frozenset[str]) -> str:
    images = allowed & IMAGE_TYPES
    if not images:
        raise MediaRejected(
            problem(
                "no_image_format",
                "This network accepts no image format Townsquare can produce ({accepted}).",
                "Dieses Netzwerk akzeptiert kein Bildformat, das Townsquare erzeugen kann "
                "({accepted}).",
                accepted=labels_of(allowed) or "-",
            )
        )
    if source in images:
        return source
    preference = (
        ("image/png", "image/webp", "image/jpeg", "image/gif")
        if alpha
        else ("image/jpeg", "image/webp", "image/png", "image/gif")
    )
    return next(m for m in preference if m in images)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        image = image.convert("RGBA")
    background = Image.new("RGB", image.size, FLATTEN_ON)
    background.paste(image, mask=image.getchannel("A"))
    return background


def _scaled(image: Image.Image, long_edge: int) -> Image.Image:
    if max(image.size) <= long_edge:
        return image
    ratio = long_edge / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS)


def convert_image(
    data: bytes, target: MediaLimits, *, max_pixels: int = MAX_IMAGE_PIXELS
) -> ConvertedImage:
    """The image re-encoded to fit target's format, long-edge and byte limits.

    The result never carries metadata. Raises MediaRejected when the source cannot be read
    or cannot be made small enough without becoming useless. Within the upload budget: a
    JPEG is read no larger than the target needs, only an animation's first frame is
    decoded, and the picture is scaled down before anything else is done to it.
    """
    source = image_type(data)
    header = inspect(data, source)
    animated = header.frames > 1
    opened = open_still(
        data, source, max_pixels=max_pixels, fit=target.max_long_edge, header=header
    )
    decoded = opened.image
    del opened  # the decoded pixels are held by one name only, so a converted copy
    still = clean_still(decoded)  # replaces them instead of joining them
    del decoded
    alpha = has_alpha(still)
    fmt = choose_format(source, alpha, target.allowed_mime_types)
    long_edge = max(header.width, header.height)
    too_long = target.max_long_edge is not None and long_edge > target.max_long_edge
    if animated and fmt == source and not too_long:
        # Keep the animation when it fits: its frames as they are, its metadata left out.
        # Shrinking animations frame by frame is left to the person's own tools.
        try:
            out = strip_animation(data, source)
        except ContainerError as error:
            raise damaged(FORMAT_LABELS[source]) from error
        if target.max_bytes is None or len(out) <= target.max_bytes:
            return ConvertedImage(out, _facts(still, fmt, out, alpha, animated=True), ())
    steps: list[str] = []
    if animated:
        steps.append("animation -> first frame")
    if fmt != source:
        steps.append(f"format {source} -> {fmt}")
    flatten = alpha and fmt == "image/jpeg"
    if flatten:
        steps.append("transparency -> white background")
    if too_long and target.max_long_edge is not None:
        steps.append(f"long edge {long_edge} -> {target.max_long_edge}")
        still = _scaled(still, target.max_long_edge)
    most = budget.still_cost(fmt).max_pixels
    if still.width * still.height > most:
        # More than this format takes within the budget of one upload (WebP's coder needs
        # more memory per pixel than the others): the copy is made smaller instead.
        edge = math.floor(max(still.size) * math.sqrt(most / (still.width * still.height)))
        steps.append(f"long edge {max(still.size)} -> {edge}")
        still = _scaled(still, edge)
    if flatten:  # after scaling: three copies of a small picture, not of a large one
        still = _flatten(still)
        alpha = False

    out, quality, scaled = _fit(still, fmt, target.max_bytes)
    if quality is not None:
        steps.append(f"quality {quality}")
    if scaled is not None and scaled.size != still.size:
        steps.append(f"long edge {max(still.size)} -> {max(scaled.size)} for size")
        still = scaled
    return ConvertedImage(out, _facts(still, fmt, out, alpha), tuple(steps))


def _fit(
    image: Image.Image, fmt: str, max_bytes: int | None
) -> tuple[bytes, int | None, Image.Image | None]:
    """(bytes, quality used if lowered, image scaled if scaled) under max_bytes."""
    out = encode(image, fmt)
    if max_bytes is None or len(out) <= max_bytes:
        return out, None, None
    current = image
    while True:
        for quality in QUALITY_STEPS if fmt in LOSSY else (None,):
            out = encode(current, fmt, quality) if quality else encode(current, fmt)
            if len(out) <= max_bytes:
                lowered = quality if quality and quality < QUALITY_STEPS[0] else None
                return out, lowered, current if current is not image else None
        long_edge = int(max(current.size) * SCALE_STEP)
        if long_edge < MIN_LONG_EDGE:
            raise MediaRejected(
                problem(
                    "cannot_fit",
                    "This image cannot be made smaller than {limit} without becoming "
                    "unusable. Try a simpler picture or another format.",
                    "Dieses Bild lässt sich nicht unter {limit} bringen, ohne unbrauchbar "
                    "zu werden. Versuchen Sie ein einfacheres Bild oder ein anderes Format.",
                    limit=Size(max_bytes),
                )
            )
        current = _scaled(current, long_edge)


def _facts(
    image: Image.Image, fmt: str, data: bytes, alpha: bool, *, animated: bool = False
) -> MediaFacts:
    return MediaFacts(
        kind=Kind.IMAGE,
        mime_type=fmt,
        size_bytes=len(data),
        width=image.width,
        height=image.height,
        has_alpha=alpha,
        animated=animated,
    )
