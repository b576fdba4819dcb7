"""Fitting pictures into Bluesky's blob limits: 2 MB per image, 1 MB per card thumbnail.

A picture over the limit is scaled down and saved as JPEG until it fits, rather than being
refused by the PDS after the post has been written. Pure apart from Pillow: bytes in, bytes out.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

IMAGE_MAX_BYTES = 2_000_000
THUMB_MAX_BYTES = 1_000_000
# Bluesky's apps show images up to about 2000 px; more only costs bytes.
MAX_SIDE_PX = 2000
_QUALITIES = (90, 82, 74, 66, 58)


class ImageTooLarge(ValueError):
    """No reasonable size and quality brings the picture under the limit."""


def fit_image(data: bytes, mime_type: str, max_bytes: int) -> tuple[bytes, str, int, int]:
    """(bytes, MIME type, width, height) of the picture, within `max_bytes`."""
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        width, height = image.size
        if len(data) <= max_bytes:
            return data, mime_type, width, height
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        side = min(MAX_SIDE_PX, max(width, height))
        while side >= 200:
            scaled = image.copy()
            scaled.thumbnail((side, side))
            for quality in _QUALITIES:
                out = io.BytesIO()
                scaled.save(out, "JPEG", quality=quality, optimize=True)
                if out.tell() <= max_bytes:
                    return out.getvalue(), "image/jpeg", scaled.width, scaled.height
            side = int(side * 0.75)
    raise ImageTooLarge(f"cannot fit the picture into {max_bytes} bytes")
