"""The import's messages in both languages, so a stored report reads in each reader's own.

A problem is stored with its English and German wording; pages and the API show the one of
the reader's language (the API both).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from townsquare.bulk.parsing import ParseError


def both(message: Promise | str, **params: Any) -> dict[str, str]:
    """{"en": ..., "de": ...} of a lazily translated message with its parameters."""
    texts = {}
    for language in ("en", "de"):
        with override(language):
            texts[language] = str(message) % params if params else str(message)
    return texts


def field_labels() -> dict[str, Promise]:
    return {
        "accounts": _("Accounts"),
        "time": _("Time"),
        "text": _("Text"),
        "language": _("Language"),
        "link": _("Link"),
        "hashtags": _("Hashtags"),
        "media": _("Media"),
        "campaign": _("Campaign"),
        "pillar": _("Content pillar"),
        "audience": _("Audience"),
        "file": _("File"),
        "row": _("Row"),
    }


PARSE_MESSAGES: dict[str, Promise] = {
    "file_too_large": _(
        "The file is %(size_kb)s KB; Townsquare imports files of up to %(max_kb)s KB. "
        "Split it into smaller files."
    ),
    "not_utf8": _(
        'The file is not UTF-8 text (line %(line)s). Save it as "CSV UTF-8" (or UTF-8 JSON) '
        "and upload it again."
    ),
    "nul_character": _("The file contains a NUL character (line %(line)s); it is not a text file."),
    "empty_file": _("The file is empty."),
    "no_header": _("The first row must name the columns (accounts, time, text ...)."),
    "no_rows": _("The file has no posts: there is nothing below the header."),
    "too_many_rows": _(
        "The file has more than %(max)s posts; Townsquare imports up to %(max)s at a time. "
        "Split it into smaller files."
    ),
    "too_many_columns": _("The file has %(count)s columns; Townsquare reads up to %(max)s."),
    "broken_quoting": _(
        "Row %(row)s (line %(line)s) cannot be read: a quotation mark is not closed or "
        "is followed by more text. Put cells that contain quotation marks in quotes and "
        'double the quotation marks inside ("").'
    ),
    "broken_json": _("The JSON cannot be read (line %(line)s): %(detail)s."),
    "json_not_a_list": _("A JSON import must be a list of posts: [{...}, {...}]."),
    "json_entry_not_an_object": _(
        'Entry %(row)s is not an object; each post must look like {"text": ..., "accounts": ...}.'
    ),
}


def parse_error_message(error: ParseError) -> dict[str, str]:
    params: dict[str, Any] = {**error.params, "row": error.row}
    if "size" in params:
        params["size_kb"] = (int(params["size"]) + 1023) // 1024
        params["max_kb"] = int(params["max"]) // 1024
    return both(PARSE_MESSAGES[error.code], **params)
