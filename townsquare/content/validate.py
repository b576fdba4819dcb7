"""Validate a post variant against the effective rules of its account. Pure: no Django.

One validator for the composer, the API, CSV import and the publisher. It never raises on bad
input: broken Unicode, control characters and absurdly long texts come back as problems with
their own codes. Each problem has an English and a German message; spans are Python string
indices into the text of the part named by `part_index`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from townsquare.content.adapting.plurals import PART
from townsquare.content.placeholders import unfilled_placeholders
from townsquare.content.validate_messages import (
    BYTE,
    CHARACTER,
    KIND,
    KIND_FILES,
    MEDIA_FILE,
    NETWORK_NAMES_DE,
    THINGS,
    UNIT,
    WHAT,
    Counted,
    format_name,
    messages,
)
from townsquare.networks.base import VariantToPublish
from townsquare.networks.rules.counting import (
    count_cashtags,
    count_mentions,
    distinct_urls,
    extract_urls,
    find_hashtags,
    overflow_index,
    text_length,
    utf8_length,
    utf16_length,
)
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem, Severity

__all__ = ["MAX_TEXT_CHARS", "MediaInput", "Problem", "VariantInput", "validate_variant"]

logger = logging.getLogger(__name__)

# Far above any network's limit (Facebook's 63,206 is the largest): past it a text is refused
# at once instead of being counted exactly, which keeps a pasted megabyte cheap to reject.
MAX_TEXT_CHARS = 100_000
# Width/height ratios are compared with 1 % slack: 1080x1350 is 4:5 even after rounding.
ASPECT_TOLERANCE = 0.01


@dataclass(frozen=True, slots=True)
class MediaInput:
    """What is known about one attached file (unknown facts stay None and are not checked)."""

    kind: str
    mime_type: str = ""
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    alt_text: str = ""


@dataclass(frozen=True, slots=True)
class VariantInput:
    """A variant to check: `text`, or the `parts` of a thread (parts win when given)."""

    text: str = ""
    parts: tuple[str, ...] = ()
    content_warning: str = ""
    title: str = ""
    media: tuple[MediaInput, ...] = ()
    link_url: str = ""

    @property
    def texts(self) -> tuple[str, ...]:
        return self.parts if self.parts else (self.text,)


def variant_input_from(variant: VariantToPublish) -> VariantInput:
    """The validator's view of a variant about to be published."""
    return VariantInput(
        parts=variant.parts,
        content_warning=variant.content_warning,
        title=variant.title,
        link_url=variant.link_url,
        media=tuple(
            MediaInput(
                kind=item.kind,
                mime_type=item.mime_type,
                size_bytes=item.size_bytes,
                width=item.width,
                height=item.height,
                duration_s=item.duration_s,
                alt_text=item.alt_text,
            )
            for item in variant.media
        ),
    )


def validate_variant(variant: VariantInput, rules: NetworkRules) -> list[Problem]:
    """Every problem of `variant` under `rules`, errors and warnings, in a stable order."""
    try:
        return _Check(variant, rules).run()
    except Exception:  # a validator that crashes would block every caller; report instead
        logger.exception("validating a variant for %s failed", rules.key)
        check = _Check(VariantInput(), rules)
        check.add("validation_failed", "error")
        return check.problems


# --- text health ---------------------------------------------------------------------------------
_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")
# C0 and C1 controls except tab, line feed and carriage return; DEL; non-characters.
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_HTTP_URL = regex.compile(r"https?://[^\s/?#]+\.[^\s/?#]+\S*", regex.I)


# Either of the above, for the one scan that clears almost every text (the standard library
# engine tests this class with one lookup per code point).
_UNSOUND = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _health(text: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(span of the first lone surrogate, span of the first control character)."""
    if _UNSOUND.search(text) is None:
        return None, None
    surrogate = _LONE_SURROGATE.search(text)
    control = _CONTROL.search(text)
    return (surrogate.span() if surrogate else None, control.span() if control else None)


# The variants of a post for different networks often have the same text: their hashtags and
# URLs are found once.
_hashtags_of = lru_cache(maxsize=64)(find_hashtags)
_urls_of = lru_cache(maxsize=64)(extract_urls)


def _mime_allowed(mime: str, allowed: tuple[str, ...]) -> bool:
    return mime in allowed or mime.split("/", 1)[0] + "/*" in allowed


class _Check:
    """One validation run; collects problems in order.

    `part` and `media` say where the check currently is, so each problem gets its part index
    and the "Part 2:" / "Media file 1:" prefix without every call repeating them.
    """

    def __init__(self, variant: VariantInput, rules: NetworkRules) -> None:
        self.variant = variant
        self.rules = rules
        self.problems: list[Problem] = []
        self.multipart = len(variant.texts) > 1
        self.part: int | None = None
        self.media: int | None = None

    def add(
        self,
        code: str,
        severity: Severity,
        message: str | None = None,
        span: tuple[int, int] | None = None,
        **fields: object,
    ) -> None:
        """Record a problem; `message` names the catalogue entry when it differs from `code`."""
        name = self.rules.display_name
        fields["net"] = (name, NETWORK_NAMES_DE.get(self.rules.key, name))
        en, de = messages(
            message or code, tuple((key, repr(value), value) for key, value in fields.items())
        )
        if self.media is not None:
            en, de = f"Media file {self.media}: {en}", f"Mediendatei {self.media}: {de}"
        elif self.part is not None and self.multipart:
            en, de = f"Part {self.part + 1}: {en}", f"Teil {self.part + 1}: {de}"
        part = 0 if self.media is not None else self.part
        self.problems.append(Problem(code, severity, en, de, span, part))

    def run(self) -> list[Problem]:
        self.check_thread()
        for index, text in enumerate(self.variant.texts):
            self.part = index
            self.check_text(text)
        self.part = None
        warning = self.variant.content_warning
        supported = self.rules.content_warning_supported.value
        if warning and self.is_sound(warning, "content_warning") and not supported:
            self.add("content_warning_not_supported", "warning")
        self.check_title()
        self.check_link()
        self.check_media()
        return self.problems

    def check_thread(self) -> None:
        count = len(self.variant.texts)
        if count < 2:
            return
        if not self.rules.thread_supported.value:
            self.add("thread_not_supported", "error", count=Counted(count, PART))
        elif (most := self.rules.thread_max_parts.value) is not None and count > most:
            self.add("thread_too_many_parts", "error", count=Counted(count, PART), max=most)

    # --- text ------------------------------------------------------------------------------------
    def is_sound(self, text: str, field: str) -> bool:
        """Report broken input; False when the text is too large to be counted at all."""
        what = WHAT[field]
        if len(text) > MAX_TEXT_CHARS:
            span = (MAX_TEXT_CHARS, len(text))
            count = Counted(len(text), CHARACTER)
            self.add(f"{field}_too_large", "error", "too_large", span, What=what, count=count)
            return False
        surrogate, control = _health(text)
        if surrogate is not None:
            self.add(f"{field}_invalid_unicode", "error", "invalid_unicode", surrogate, What=what)
        if control is not None:
            char = f"U+{ord(text[control[0]]):04X}"
            code = f"{field}_control_characters"
            self.add(code, "error", "control_characters", control, What=what, char=char)
        return True

    def check_text(self, text: str) -> None:
        if not self.is_sound(text, "text"):
            return
        if not text.strip():
            if self.part:
                self.add("thread_part_empty", "error")
            elif not self.variant.media:
                self.add("post_empty", "error")
            return
        self.check_length(text)
        self.check_forbidden(text, "text")
        self.check_counts(text)
        self.check_placeholders(text)

    def check_length(self, text: str) -> None:
        rules = self.rules
        counting = rules.text_counting.value
        caption = not self.part and bool(self.variant.media) and rules.caption_max.value is not None
        limit = rules.caption_max.value if caption else rules.text_max.value
        assert limit is not None
        options: dict[str, Any] = {
            "url_weight": rules.url_weight.value,
            "content_warning": self.variant.content_warning if counting == "mastodon" else "",
        }
        length = text_length(counting, text, **options)
        unit = UNIT.get(counting, CHARACTER)
        if length > limit:
            start = overflow_index(counting, text, limit, **options)
            self.add(
                "caption_too_long" if caption else "text_too_long",
                "error",
                "too_many_bytes" if counting == "utf8_bytes" else "too_long",
                None if start is None else (start, len(text)),
                What=WHAT["caption" if caption else "text"],
                count=Counted(length, BYTE if counting == "utf8_bytes" else unit),
                max=limit,
            )
        most = rules.text_max_bytes.value
        if most is not None and (size := utf8_length(text)) > most:
            start = overflow_index("utf8_bytes", text, most)
            span = None if start is None else (start, len(text))
            what = WHAT["text"]
            self.add(
                "text_too_many_bytes",
                "error",
                "too_many_bytes",
                span,
                What=what,
                count=Counted(size, BYTE),
                max=most,
            )

    def check_forbidden(self, text: str, field: str) -> None:
        forbidden = self.rules.forbidden_chars.value
        if not forbidden:
            return
        found = [index for char in forbidden if (index := text.find(char)) >= 0]
        if found:
            index = min(found)
            span, what, chars = (index, index + 1), WHAT[field], " ".join(forbidden)
            code = f"{field}_forbidden_characters"
            self.add(code, "error", "forbidden_characters", span, What=what, chars=chars)

    def check_counts(self, text: str) -> None:
        rules = self.rules
        hashtags = _hashtags_of(text)
        most = rules.hashtags_max.value
        if most is not None and len(hashtags) > most:
            span = (hashtags[most][0], hashtags[-1][1])
            self.add_too_many("hashtags", len(hashtags), most, span)
        urls = _urls_of(text)
        for name, most, counter in (
            ("cashtags", rules.cashtags_max.value, count_cashtags),
            ("mentions", rules.mentions_max.value, count_mentions),
            ("links", rules.links_max.value, lambda text: len(distinct_urls(urls))),
        ):
            if most is not None and (count := counter(text)) > most:
                self.add_too_many(name, count, most)
        if not rules.links_clickable.value and urls:
            self.add("links_not_clickable", "warning", span=(urls[0].start, urls[0].end))

    def add_too_many(
        self, name: str, count: int, most: int, span: tuple[int, int] | None = None
    ) -> None:
        has, allowed = THINGS[name]
        self.add(
            f"{name}_too_many",
            "error",
            "too_many",
            span,
            count=Counted(count, has),
            max=Counted(most, allowed),
        )

    def check_placeholders(self, text: str) -> None:
        """Template placeholders left unfilled: each an error with its span (the first 50;
        a text with more is a template pasted whole, and 50 say so plainly enough)."""
        for start, end in unfilled_placeholders(text)[:50]:
            name = text[start:end]
            self.add("placeholder_unfilled", "error", span=(start, end), placeholder=name)

    # --- title and link -----------------------------------------------------------------------
    def check_title(self) -> None:
        title = self.variant.title
        if not title.strip():
            if self.rules.title_required.value:
                self.add("title_missing", "error")
            return
        if not self.is_sound(title, "title"):
            return
        most = self.rules.title_max.value
        if most is not None and (count := utf16_length(title)) > most:
            fields: dict[str, Any] = {
                "What": WHAT["title"],
                "count": Counted(count, CHARACTER),
                "max": most,
            }
            self.add("title_too_long", "error", "too_long", (most, len(title)), **fields)
        self.check_forbidden(title, "title")

    def check_link(self) -> None:
        link = self.variant.link_url.strip()
        if not link:
            return
        if len(link) > MAX_TEXT_CHARS or not _HTTP_URL.fullmatch(link):
            self.add("link_url_invalid", "error")
            return
        most = self.rules.link_url_max.value
        if most is not None and len(link) > most:
            fields: dict[str, Any] = {
                "What": WHAT["link_url"],
                "count": Counted(len(link), CHARACTER),
                "max": most,
            }
            self.add("link_url_too_long", "error", "too_long", **fields)
        if not self.rules.links_clickable.value:
            self.add("link_in_bio", "warning")

    # --- media -----------------------------------------------------------------------------------
    def check_media(self) -> None:
        media, rules = self.variant.media, self.rules
        if not media:
            if rules.media_required.value:
                self.add("media_required", "error")
            return
        if len(media) > rules.media_max.value:
            allowed = Counted(rules.media_max.value, MEDIA_FILE)
            self.add("media_too_many", "error", count=Counted(len(media), MEDIA_FILE), max=allowed)
        kinds = [item.kind for item in media]
        for kind, most in rules.media_max_per_kind.value.items():
            if (count := kinds.count(kind)) > most:
                files = KIND_FILES[kind]
                has, allows = Counted(count, files), Counted(most, files)
                self.add("media_kind_too_many", "error", count=has, max=allows)
        if rules.media_kinds_exclusive.value and len(set(kinds)) > 1:
            self.add("media_kinds_mixed", "error")
        for number, item in enumerate(media, start=1):
            self.media = number
            self.check_media_item(item)
        self.media = None

    def check_media_item(self, item: MediaInput) -> None:
        rules, kind = self.rules, item.kind
        if kind not in KIND or kind not in rules.media_kinds.value:
            self.add("media_kind_unsupported", "error", kind=kind[:40])
            return
        if kind == "video":
            types, most = rules.video_types.value, rules.video_max_bytes.value
        elif kind == "document":
            types, most = rules.document_types.value, rules.document_max_bytes.value
        else:
            types, most = rules.image_types.value, rules.image_max_bytes.value
            if kind == "gif" and rules.gif_max_bytes.value is not None:
                most = rules.gif_max_bytes.value
        mime = item.mime_type.strip().lower()
        if mime and types is not None and not _mime_allowed(mime, types):
            self.add("media_type_unsupported", "error", format=format_name(mime[:100]))
        if item.size_bytes is not None and most is not None and item.size_bytes > most:
            size, most_mb = item.size_bytes / 1_000_000, most / 1_000_000
            self.add("media_too_large", "error", size=size, max=most_mb)
        self.check_shape(item)
        self.check_alt_text(item)

    def check_shape(self, item: MediaInput) -> None:
        rules = self.rules
        video = item.kind == "video"
        ratios = (rules.video_aspect_ratio if video else rules.image_aspect_ratio).value
        width, height = item.width, item.height
        if item.kind != "document" and width is not None and height is not None:
            size = f"{width}x{height}"
            if width <= 0 or height <= 0:
                self.add("media_dimensions_invalid", "error", size=size)
            elif ratios is not None:
                ratio, (low, high) = width / height, ratios
                if ratio < low * (1 - ASPECT_TOLERANCE) or ratio > high * (1 + ASPECT_TOLERANCE):
                    fields: dict[str, Any] = {
                        "size": size,
                        "ratio": ratio,
                        "low": low,
                        "high": high,
                    }
                    self.add("media_aspect_ratio", "error", **fields)
        seconds, limits = item.duration_s, rules.video_duration_s.value
        if video and seconds is not None and limits is not None:
            if seconds < limits[0]:
                self.add("media_too_short", "error", seconds=float(seconds), bound=limits[0])
            elif seconds > limits[1]:
                self.add("media_too_long", "error", seconds=float(seconds), bound=limits[1])

    def check_alt_text(self, item: MediaInput) -> None:
        rules, alt = self.rules, item.alt_text
        carried = rules.alt_text_supported.value and item.kind in rules.alt_text_kinds.value
        if not alt.strip():
            if carried:
                self.add("alt_text_missing", "warning")
        elif not self.is_sound(alt, "alt_text"):
            return
        elif not carried:
            self.add("alt_text_dropped", "warning")
        elif (most := rules.alt_text_max.value) is not None and (n := utf16_length(alt)) > most:
            fields: dict[str, Any] = {
                "What": WHAT["alt_text"],
                "count": Counted(n, CHARACTER),
                "max": most,
            }
            self.add("alt_text_too_long", "error", "too_long", **fields)
