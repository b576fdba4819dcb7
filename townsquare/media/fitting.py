"""Pictures a network would refuse, and the copy Townsquare can make instead. Pure: no Django.

The network rules say which image formats a network takes and how large a picture may be;
convert_image() can change both. It never changes the aspect ratio (cropping decides what
the picture shows, which is the person's call), so only format and size are offered here.
Nothing is converted without being asked: the composer shows the offer, the person decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from townsquare.media.convert import choose_format
from townsquare.media.facts import label_of
from townsquare.media.limits import MediaLimits
from townsquare.media.processing import IMAGE_TYPES
from townsquare.networks.rules.model import NetworkRules


@dataclass(frozen=True)
class Offer:
    """A copy of one picture that the network would take."""

    network: str  # display name, e.g. "Instagram"
    target_mime: str | None  # the copy's format when it is certain, e.g. "image/jpeg"
    changes_format: bool
    shrinks: bool

    def label(self, language: str) -> str:
        """The button: "Convert to JPEG for Instagram", "Make a smaller copy for Bluesky"."""
        german = language.startswith("de")
        if self.changes_format and self.target_mime:
            fmt = label_of(self.target_mime)
            if german:
                return f"In {fmt} für {self.network} umwandeln"
            return f"Convert to {fmt} for {self.network}"
        if self.changes_format:
            if german:
                return f"In ein Format für {self.network} umwandeln"
            return f"Convert to a format {self.network} takes"
        if german:
            return f"Kleinere Kopie für {self.network} erstellen"
        return f"Make a smaller copy for {self.network}"


def accepts(mime: str, types: Iterable[str]) -> bool:
    """Whether a list of accepted types (which may hold "image/*") covers mime."""
    allowed = tuple(types)
    return mime in allowed or mime.split("/", 1)[0] + "/*" in allowed


def image_limits(rules: NetworkRules, source_mime: str = "") -> MediaLimits | None:
    """What the network takes for pictures, as conversion limits; None if it takes none.

    GIFs have a byte limit of their own on some networks (X); it applies while a GIF stays
    a GIF.
    """
    if "image" not in rules.media_kinds.value and "gif" not in rules.media_kinds.value:
        return None
    types = rules.image_types.value
    allowed = frozenset(m for m in IMAGE_TYPES if types is None or accepts(m, types))
    max_bytes = rules.image_max_bytes.value
    gif_max = rules.gif_max_bytes.value
    if source_mime == "image/gif" and "image/gif" in allowed and gif_max is not None:
        max_bytes = gif_max
    return MediaLimits(allowed, max_bytes=max_bytes, network=rules.display_name)


def offer_for(mime: str, size_bytes: int, limits: MediaLimits | None) -> Offer | None:
    """The copy to offer for a picture of this type and size, or None when the network takes
    it as it is (or when no copy of ours would help)."""
    if limits is None or mime not in IMAGE_TYPES or not limits.allowed_mime_types:
        return None
    changes_format = mime not in limits.allowed_mime_types
    shrinks = limits.max_bytes is not None and size_bytes > limits.max_bytes
    if not (changes_format or shrinks):
        return None
    # Transparency decides the format where a network takes several; the stored facts do
    # not say whether a picture is transparent, so the format is named only when both agree.
    opaque = choose_format(mime, False, limits.allowed_mime_types)
    transparent = choose_format(mime, True, limits.allowed_mime_types)
    return Offer(
        network=limits.network,
        target_mime=opaque if opaque == transparent else None,
        changes_format=changes_format,
        shrinks=shrinks,
    )


def combined(primary: MediaLimits, others: Iterable[MediaLimits | None]) -> MediaLimits:
    """Limits that suit the primary network and, where possible, the others too: the formats
    all of them take (the primary's own when they share none) and the smallest byte limit.

    One copy then replaces the original for every network of the post, instead of fixing
    Instagram by breaking Bluesky's 2 MB limit.
    """
    allowed = primary.allowed_mime_types
    max_bytes = primary.max_bytes
    for limits in others:
        if limits is None:
            continue
        shared = allowed & limits.allowed_mime_types
        if shared:
            allowed = shared
        if limits.max_bytes is not None:
            max_bytes = limits.max_bytes if max_bytes is None else min(max_bytes, limits.max_bytes)
    return MediaLimits(allowed, max_bytes=max_bytes, network=primary.network)


# --- what a conversion did, for people -------------------------------------------------------

_STEPS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^format (\S+) -> (\S+)$"),
        "{a} became {b}",
        "{a} wurde zu {b}",
    ),
    (
        re.compile(r"^transparency -> white background$"),
        "transparent areas are white now",
        "durchsichtige Flächen sind jetzt weiß",
    ),
    (
        re.compile(r"^animation -> first frame$"),
        "only the first frame of the animation is kept",
        "nur das erste Bild der Animation bleibt",
    ),
    (
        re.compile(r"^long edge (\d+) -> (\d+)(?: for size)?$"),
        "scaled from {a} to {b} pixels on the long side",
        "von {a} auf {b} Pixel an der langen Seite verkleinert",
    ),
    (
        re.compile(r"^quality (\d+)$"),
        "saved at quality {a} to fit the size limit",
        "mit Qualität {a} gespeichert, um die Größengrenze einzuhalten",
    ),
)


def describe_steps(steps: Iterable[str], language: str) -> list[str]:
    """convert_image()'s steps in words, in the person's language; unknown steps are left out
    rather than shown as internal text."""
    german = language.startswith("de")
    described = []
    for step in steps:
        for pattern, en, de in _STEPS:
            match = pattern.match(step)
            if match:
                values = [label_of(v) if "/" in v else v for v in match.groups()]
                keys = dict(zip(("a", "b"), values, strict=False))
                described.append((de if german else en).format(**keys))
                break
    return described
