"""What we know about a media file, and why a file was refused. Pure: no Django.

Problems carry their English and German text themselves instead of going through gettext,
so that the pure modules (upload processing, network limits, conversion) stay free of
Django and a rules module can produce user-facing explanations without a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


# Human names for the formats we read; used in messages and in the upload form's hint.
FORMAT_LABELS: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "image/gif": "GIF",
    "image/heic": "HEIC",
    "image/avif": "AVIF",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "video/webm": "WebM",
    "video/x-matroska": "MKV",
}

CODEC_LABELS: dict[str, str] = {
    "h264": "H.264",
    "hevc": "H.265 (HEVC)",
    "av1": "AV1",
    "vp8": "VP8",
    "vp9": "VP9",
    "prores": "ProRes",
    "mpeg4": "MPEG-4 Part 2",
}


@dataclass(frozen=True)
class MediaFacts:
    """The facts a network's limits are checked against."""

    kind: Kind
    mime_type: str
    size_bytes: int
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    video_codec: str = ""
    has_alpha: bool = False
    animated: bool = False

    @property
    def long_edge(self) -> int | None:
        if self.width is None or self.height is None:
            return None
        return max(self.width, self.height)

    @property
    def aspect_ratio(self) -> float | None:
        """Width divided by height (1.0 is square, 0.8 is 4:5 portrait)."""
        if not self.width or not self.height:
            return None
        return self.width / self.height


@dataclass(frozen=True)
class Problem:
    """A reason a file cannot be used as it is. `fixable`: convert_image() can solve it."""

    code: str
    message_en: str
    message_de: str
    fixable: bool = False

    def message(self, language: str | None) -> str:
        return self.message_de if (language or "").startswith("de") else self.message_en


class MediaRejected(Exception):
    """An upload or conversion that cannot succeed, with the reason for the person."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message_en)
        self.problem = problem


def problem(code: str, en: str, de: str, *, fixable: bool = False, **values: object) -> Problem:
    """A Problem whose texts are filled from the same values; German numbers get commas."""
    return Problem(
        code,
        en.format(**{k: _show(v, "en") for k, v in values.items()}),
        de.format(**{k: _show(v, "de") for k, v in values.items()}),
        fixable,
    )


def _show(value: object, language: str) -> str:
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if language == "de" else text
    if isinstance(value, Size):
        return value.show(language)
    return str(value)


@dataclass(frozen=True)
class Size:
    """A byte count shown the way people read it: 512 KB, 8 MB, 30.5 MB."""

    n: int

    def show(self, language: str) -> str:
        if self.n < 1024 * 1024:
            value, unit = self.n / 1024, "KB"
        else:
            value, unit = self.n / (1024 * 1024), "MB"
        text = f"{value:.1f}".removesuffix(".0")
        return f"{text.replace('.', ',') if language == 'de' else text} {unit}"


def label_of(mime_type: str) -> str:
    return FORMAT_LABELS.get(mime_type, mime_type)


def labels_of(mime_types: frozenset[str] | set[str]) -> str:
    """'JPEG, PNG' in a stable order: the order of FORMAT_LABELS, unknown ones last."""
    order = list(FORMAT_LABELS)
    ranked = sorted(mime_types, key=lambda m: (order.index(m) if m in order else len(order), m))
    return ", ".join(label_of(m) for m in ranked)
