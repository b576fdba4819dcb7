"""What an import row's cells say, each read and checked on its own: time, text,
language, link, hashtags and media references, with the problem each can have. No
workspace is read here except what `names` already holds (its zone, language and
library); resolving names against the workspace is in row_names.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from townsquare.bulk.messages import both
from townsquare.content.actions import clean_text
from townsquare.lib.errors import ActionError
from townsquare.publishing.actions import PAST_GRACE
from townsquare.publishing.schedule import local_to_utc, utc_to_local

if TYPE_CHECKING:
    from townsquare.bulk.row_names import WorkspaceNames

MAX_MEDIA_PER_ROW = 20
MAX_HASHTAGS = 100
MAX_LINK = 2000

LANGUAGES = {
    "de": "de",
    "deu": "de",
    "ger": "de",
    "german": "de",
    "deutsch": "de",
    "de-de": "de",
    "de_de": "de",
    "de-at": "de",
    "de-ch": "de",
    "en": "en",
    "eng": "en",
    "english": "en",
    "englisch": "en",
    "en-us": "en",
    "en_us": "en",
    "en-gb": "en",
    "en_gb": "en",
}

LOCAL_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
GERMAN_TIME = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}),? +(\d{1,2}):(\d{2})(?: Uhr)?$")
HASHTAG = re.compile(r"^#\w+$")


@dataclass(frozen=True)
class MediaRef:
    kind: str  # "id" or "url"
    value: str
    alt_text: str = ""


def problem(row: int | None, field_name: str, code: str, message: Any, **params: Any) -> dict:
    return {"row": row, "field": field_name, "code": code, **both(message, **params)}


def split_list(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[|,]", value) if item.strip()]


def parse_time(value: str, zone: str) -> datetime | None:
    """The wall time in `zone` that a cell names: "2026-12-10 09:00" (in the zone),
    "10.12.2026 09:00", or ISO 8601 with an offset. None when it names no time."""
    match = LOCAL_TIME.match(value)
    try:
        if match:
            year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
            return datetime(year, month, day, hour, minute)
        match = GERMAN_TIME.match(value)
        if match:
            day, month, year, hour, minute = (int(g) for g in match.groups())
            return datetime(year, month, day, hour, minute)
        if len(value) > 40:
            return None
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a bare date, or a time in no zone we can tell
    return utc_to_local(moment, zone).replace(second=0, microsecond=0)


def read_time(
    names: WorkspaceNames, number: int, value: str, now: datetime, problems: list[dict]
) -> datetime | None:
    if not value:
        return None
    wall = parse_time(value, names.zone)
    if wall is None:
        problems.append(
            problem(
                number,
                "time",
                "time_format",
                _(
                    '"%(value)s" is not a time Townsquare can read. Write it as '
                    "YYYY-MM-DD HH:MM (in %(zone)s) or as ISO 8601 with an offset "
                    "(2026-12-10T09:00+01:00)."
                ),
                value=value[:40],
                zone=names.zone,
            )
        )
        return None
    if local_to_utc(wall, names.zone).utc < now - PAST_GRACE:
        problems.append(
            problem(
                number,
                "time",
                "time_in_past",
                _("%(time)s in %(zone)s has already passed."),
                time=wall.strftime("%Y-%m-%d %H:%M"),
                zone=names.zone,
            )
        )
        return None
    if not names.may_schedule and not names.approvals:
        problems.append(
            problem(
                number,
                "time",
                "may_not_schedule",
                _(
                    "Your role may not schedule posts. Leave the time blank to import the "
                    "post without a time."
                ),
            )
        )
        return None
    return wall


def read_text(number: int, value: str, problems: list[dict]) -> str:
    try:
        text = clean_text(value)
    except ActionError as error:
        with override("en"):
            en = _message_of(error, value)
        with override("de"):
            de = _message_of(error, value)
        problems.append({"row": number, "field": "text", "code": error.code, "en": en, "de": de})
        return ""
    if not text.strip():
        problems.append(problem(number, "text", "text_required", _("The text is empty.")))
    return text


def _message_of(error: ActionError, value: str) -> str:
    try:
        clean_text(value)
    except ActionError as again:
        return again.message
    return error.message


def read_language(names: WorkspaceNames, number: int, value: str, problems: list[dict]) -> str:
    if not value:
        return names.workspace.language if names.workspace.language in ("de", "en") else "de"
    language = LANGUAGES.get(value.casefold())
    if language is None:
        problems.append(
            problem(
                number,
                "language",
                "unknown_language",
                _('"%(value)s" is not a language Townsquare writes in; use de or en.'),
                value=value[:40],
            )
        )
        return ""
    return language


def read_link(number: int, value: str, problems: list[dict]) -> str:
    if not value:
        return ""
    try:
        if len(value) > MAX_LINK:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        problems.append(
            problem(
                number,
                "link",
                "invalid_link",
                _('"%(value)s" is not a web address (http:// or https://).'),
                value=value[:80],
            )
        )
        return ""
    return value


def read_hashtags(number: int, value: str, problems: list[dict]) -> list[str]:
    tags: list[str] = []
    for word in re.split(r"[\s,|]+", value):
        if not word:
            continue
        tag = word if word.startswith("#") else f"#{word}"
        if not HASHTAG.match(tag):
            problems.append(
                problem(
                    number,
                    "hashtags",
                    "invalid_hashtag",
                    _('"%(value)s" is not a hashtag: letters, digits and "_" only.'),
                    value=word[:60],
                )
            )
            return []
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_HASHTAGS:
        problems.append(
            problem(
                number,
                "hashtags",
                "too_many_hashtags",
                _("More than %(max)s hashtags."),
                max=MAX_HASHTAGS,
            )
        )
        return []
    return tags


def parse_media(value: str) -> list[MediaRef | str]:
    """ "12|https://example.org/a.jpg Alt text" -> refs; an item that is neither a library
    id nor an https address is returned as the text it was."""
    refs: list[MediaRef | str] = []
    for item in value.split("|"):
        item = item.strip()
        if not item:
            continue
        ref, _sep, alt = item.partition(" ")
        alt = alt.strip()
        if ref.isascii() and ref.isdigit() and len(ref) < 19:
            refs.append(MediaRef("id", str(int(ref)), alt))
            continue
        parts = urlsplit(ref) if len(ref) <= MAX_LINK else None
        if parts is not None and parts.scheme == "https" and parts.hostname:
            refs.append(MediaRef("url", ref, alt))
        else:
            refs.append(item)
    return refs


def read_media(
    names: WorkspaceNames, number: int, value: str, problems: list[dict]
) -> list[MediaRef]:
    refs: list[MediaRef] = []
    for ref in parse_media(value):
        if isinstance(ref, str):
            problems.append(
                problem(
                    number,
                    "media",
                    "invalid_media",
                    _(
                        '"%(value)s" is neither a media library id nor an https:// address '
                        "(alt text may follow after a space)."
                    ),
                    value=ref[:80],
                )
            )
        elif ref.kind == "id" and int(ref.value) not in names.assets:
            problems.append(
                problem(
                    number,
                    "media",
                    "unknown_media",
                    _("The media library of this workspace has no file with the id %(id)s."),
                    id=ref.value,
                )
            )
        elif ref not in refs:
            refs.append(ref)
    if len(refs) > MAX_MEDIA_PER_ROW:
        problems.append(
            problem(
                number,
                "media",
                "too_many_media",
                _("More than %(max)s media files in one post."),
                max=MAX_MEDIA_PER_ROW,
            )
        )
    return refs
