"""Request bodies are read only in the media type the operation documents.

A JSON operation reads `application/json` (or a `+json` type) and nothing else, and an
upload reads `multipart/form-data`: a body of another type is a 415 that says which type
the operation reads, instead of being parsed on a guess.

No text an API client sends may contain the NUL character (U+0000), in a body, a query or
a file name: PostgreSQL cannot store it, and no person types it. It is a 422 that names
the field, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.params.models import _HttpRequest
from ninja.parser import Parser

from townsquare.api.errors import BodyNotAnObject, NulCharacters, UnsupportedMediaType

JSON = "application/json"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def is_json(content_type: str) -> bool:
    return content_type == JSON or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def sent_type(request: HttpRequest) -> str:
    return request.META.get("CONTENT_TYPE", "")[:100]


class StrictParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        # Ninja hands one multipart field at a time to this parser in a stand-in request
        # of its own; only a real request has a media type to check.
        if isinstance(request, _HttpRequest):
            return super().parse_body(request)
        if not is_json(request.content_type or ""):
            raise UnsupportedMediaType(sent_type(request), JSON)
        data = super().parse_body(request)
        # Every JSON body of this API is an object. (Ninja would read a list or a number
        # as an object whose fields are all missing: a body of optional fields would then
        # be accepted as "change nothing".)
        if not isinstance(data, dict):
            raise BodyNotAnObject(type(data).__name__)
        refuse_nul(data, ["body"])
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        # The query string is read with this method too; only form bodies have a type.
        is_form_body = data is not request.GET
        if is_form_body and (request.content_type or "") not in FORM_TYPES:
            raise UnsupportedMediaType(sent_type(request), "multipart/form-data")
        where = "form" if is_form_body else "query"
        for key, values in data.lists():
            for value in values:
                refuse_nul(getattr(value, "name", value), [where, key])
        return super().parse_querydict(data, list_fields, request)


def nul_locations(value: Any, at: list[Any]) -> list[list[Any]]:
    """Where in `value` (JSON data, keys included) a text holds a NUL character."""
    if isinstance(value, str):
        return [at] if "\x00" in value else []
    found: list[list[Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                found.append([*at, str(key).replace("\x00", "\\u0000")])
            found.extend(nul_locations(item, [*at, key]))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(nul_locations(item, [*at, index]))
    return found


def refuse_nul(value: Any, at: list[Any]) -> None:
    found = nul_locations(value, at)
    if found:
        raise NulCharacters(found)
