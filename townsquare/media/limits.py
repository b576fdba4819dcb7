"""Would a network take this file? Pure: no Django.

The limits themselves come from the network rules (one data file per network, maintained
elsewhere); this module only compares facts with limits and explains every mismatch in
English and German, saying what the person can do about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from townsquare.media.facts import (
    CODEC_LABELS,
    Kind,
    MediaFacts,
    Problem,
    Size,
    label_of,
    labels_of,
    problem,
)


@dataclass(frozen=True)
class MediaLimits:
    """What one network accepts. None means "no limit"; an empty codec set means "any"."""

    allowed_mime_types: frozenset[str]
    max_bytes: int | None = None
    max_long_edge: int | None = None
    min_aspect_ratio: float | None = None  # width / height, e.g. 0.8 for 4:5
    max_aspect_ratio: float | None = None  # e.g. 1.91 for 1.91:1
    min_duration_seconds: float | None = None
    max_duration_seconds: float | None = None
    allowed_video_codecs: frozenset[str] = field(default_factory=frozenset)
    network: str = ""  # shown in messages, e.g. "Instagram"


def _who(limits: MediaLimits) -> tuple[str, str]:
    return (limits.network or "This network", limits.network or "Dieses Netzwerk")


def check_against(facts: MediaFacts, limits: MediaLimits) -> tuple[Problem, ...]:
    """Every reason the network would refuse the file; empty when it would take it.

    Image problems that convert_image() can solve are marked `fixable`; videos are never
    converted, so their messages say how to fix the file before uploading it again.
    """
    who_en, who_de = _who(limits)
    image = facts.kind == Kind.IMAGE
    found: list[Problem] = []

    if facts.mime_type not in limits.allowed_mime_types:
        images_allowed = any(m.startswith("image/") for m in limits.allowed_mime_types)
        found.append(
            problem(
                "type_not_accepted",
                "{who} accepts {accepted}; this file is {actual}."
                + (" Townsquare can convert it." if image and images_allowed else ""),
                "{who_de} akzeptiert {accepted}; diese Datei ist {actual}."
                + (" Townsquare kann sie umwandeln." if image and images_allowed else ""),
                fixable=image and images_allowed,
                who=who_en,
                who_de=who_de,
                accepted=labels_of(limits.allowed_mime_types) or "-",
                actual=label_of(facts.mime_type),
            )
        )

    if limits.max_bytes is not None and facts.size_bytes > limits.max_bytes:
        found.append(
            problem(
                "too_large",
                "{who} accepts files up to {limit}; this one is {size}."
                + (
                    " Townsquare can make it smaller."
                    if image
                    else " Export the video again at a lower bit rate."
                ),
                "{who_de} akzeptiert Dateien bis {limit}; diese ist {size} groß."
                + (
                    " Townsquare kann sie verkleinern."
                    if image
                    else " Exportieren Sie das Video erneut mit geringerer Bitrate."
                ),
                fixable=image,
                who=who_en,
                who_de=who_de,
                limit=Size(limits.max_bytes),
                size=Size(facts.size_bytes),
            )
        )

    long_edge = facts.long_edge
    if (
        limits.max_long_edge is not None
        and long_edge is not None
        and long_edge > limits.max_long_edge
    ):
        found.append(
            problem(
                "long_edge_too_large",
                "{who} accepts up to {limit} pixels on the long side; this one is "
                "{w} × {h}."
                + (
                    " Townsquare can scale it down."
                    if image
                    else " Export the video again at a smaller size."
                ),
                "{who_de} akzeptiert höchstens {limit} Pixel an der langen Seite; "
                "diese Datei hat {w} × {h}."
                + (
                    " Townsquare kann sie verkleinern."
                    if image
                    else " Exportieren Sie das Video erneut in kleinerer Auflösung."
                ),
                fixable=image,
                who=who_en,
                who_de=who_de,
                limit=limits.max_long_edge,
                w=facts.width,
                h=facts.height,
            )
        )

    found.extend(_aspect(facts, limits, who_en, who_de))
    if facts.kind == Kind.VIDEO:
        found.extend(_video(facts, limits, who_en, who_de))
    return tuple(found)


def _aspect(facts: MediaFacts, limits: MediaLimits, who_en: str, who_de: str) -> list[Problem]:
    ratio = facts.aspect_ratio
    low, high = limits.min_aspect_ratio, limits.max_aspect_ratio
    if ratio is None or (low is None and high is None):
        return []
    # Rounding: a 1080 × 1350 image is exactly 0.8 but a 1079 × 1350 one should pass too.
    too_narrow = low is not None and ratio < low - 0.01
    too_wide = high is not None and ratio > high + 0.01
    if not (too_narrow or too_wide):
        return []
    what_en = "Crop the image" if facts.kind == Kind.IMAGE else "Crop the video"
    what_de = "Schneiden Sie das Bild" if facts.kind == Kind.IMAGE else "Schneiden Sie das Video"
    if low is not None and high is not None:
        en = "{who} accepts width-to-height ratios from {low} to {high}; this one is {ratio}. "
        de = "{who_de} akzeptiert Seitenverhältnisse (Breite zu Höhe) von {low} bis {high}; "
        de += "diese Datei hat {ratio}. "
    elif low is not None:
        en = "{who} accepts width-to-height ratios of at least {low}; this one is {ratio}. "
        de = "{who_de} akzeptiert Seitenverhältnisse (Breite zu Höhe) ab {low}; "
        de += "diese Datei hat {ratio}. "
    else:
        en = "{who} accepts width-to-height ratios of at most {high}; this one is {ratio}. "
        de = "{who_de} akzeptiert Seitenverhältnisse (Breite zu Höhe) bis {high}; "
        de += "diese Datei hat {ratio}. "
    return [
        problem(
            "aspect_too_narrow" if too_narrow else "aspect_too_wide",
            en + "{what_en} to fit.",
            de + "{what_de} passend zu.",
            who=who_en,
            who_de=who_de,
            low=float(low or 0),
            high=float(high or 0),
            ratio=float(ratio),
            what_en=what_en,
            what_de=what_de,
        )
    ]


def _video(facts: MediaFacts, limits: MediaLimits, who_en: str, who_de: str) -> list[Problem]:
    found: list[Problem] = []
    duration = facts.duration_seconds
    bounded = limits.min_duration_seconds is not None or limits.max_duration_seconds is not None
    if duration is None and bounded:
        found.append(
            problem(
                "duration_unknown",
                "The length of this video cannot be read, so it cannot be checked against "
                "{who}'s limits. Export it again as MP4.",
                "Die Länge dieses Videos lässt sich nicht lesen, daher kann es nicht gegen "
                "die Grenzen von {who_de} geprüft werden. Exportieren Sie es erneut als MP4.",
                who=limits.network or "the network",
                who_de=limits.network or "dem Netzwerk",
            )
        )
    elif duration is not None:
        if limits.min_duration_seconds is not None and duration < limits.min_duration_seconds:
            found.append(
                problem(
                    "too_short",
                    "{who} accepts videos of at least {limit} seconds; this one is {d} seconds.",
                    "{who_de} akzeptiert Videos ab {limit} Sekunden; dieses dauert {d} Sekunden.",
                    who=who_en,
                    who_de=who_de,
                    limit=float(limits.min_duration_seconds),
                    d=round(duration, 1),
                )
            )
        if limits.max_duration_seconds is not None and duration > limits.max_duration_seconds:
            found.append(
                problem(
                    "too_long",
                    "{who} accepts videos of up to {limit} seconds; this one is {d} seconds. "
                    "Shorten it in a video editor.",
                    "{who_de} akzeptiert Videos bis {limit} Sekunden; dieses dauert {d} "
                    "Sekunden. Kürzen Sie es in einem Videoprogramm.",
                    who=who_en,
                    who_de=who_de,
                    limit=float(limits.max_duration_seconds),
                    d=round(duration, 1),
                )
            )
    codecs = limits.allowed_video_codecs
    if codecs and facts.video_codec not in codecs:
        found.append(
            problem(
                "codec_not_accepted",
                "{who} accepts videos encoded as {accepted}; this one is {actual}. "
                "Export it again as H.264 MP4.",
                "{who_de} akzeptiert Videos im Format {accepted}; dieses ist {actual}. "
                "Exportieren Sie es erneut als H.264-MP4.",
                who=who_en,
                who_de=who_de,
                accepted=", ".join(CODEC_LABELS.get(c, c) for c in sorted(codecs)),
                actual=CODEC_LABELS.get(facts.video_codec, facts.video_codec or "?"),
            )
        )
    return found
