"""The OpenAPI description, exact enough to generate clients from.

The error answers of every operation are documented here, once, from what the operation
is (signed in or not, with path parameters, with a body, a write), not by hand on each
route. Two different schemas under one name make the description fail to build instead of
one silently replacing the other.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.schema import NinjaGenerateJsonSchema

from townsquare.api.auth import refuses_tokens
from townsquare.api.errors import ApiError

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
BODY_SOURCES = {"body", "form", "file"}

SESSION_ONLY_NOTE = (
    "Needs a signed-in browser session: an API token is refused here (403, "
    "`session_required`), because a token acts only within its own workspaces."
)


def error_statuses(operation: Operation) -> dict[int, str]:
    """The error statuses an operation can answer with, and when."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    statuses: dict[int, str] = {}
    if operation.auth_callbacks:
        statuses[401] = "Not signed in, or the API token is unknown or revoked."
        statuses[403] = (
            "Your role does not allow this, the token may not be used here, or a session "
            "request lacks its CSRF token."
        )
    if "path" in sources:
        statuses[404] = "Not found, or not yours to see."
    if WRITES & set(operation.methods):
        statuses[400] = "Refused: the message says why and what to change."
        statuses[409] = "Conflicts with the current state (in use, already done, ...)."
    if BODY_SOURCES & sources:
        statuses[400] = "Refused, or the body could not be read."
        statuses[413] = "The body is too large."
    if "body" in sources:
        statuses[415] = "The body is not application/json."
    elif BODY_SOURCES & sources:
        statuses[415] = "The body is not multipart/form-data."
    if sources:
        statuses[422] = "A parameter or a field of the body is not valid; `details` names it."
    return statuses


class TownsquareOpenAPISchema(OpenAPISchema):
    def operation_details(self, operation: Operation) -> dict[str, Any]:
        result = super().operation_details(operation)
        responses = result["responses"]
        ref = {"$ref": REF_TEMPLATE.format(model=ApiError.__name__)}
        statuses = error_statuses(operation)
        if statuses:
            self._add_error_schema()
        for status, description in sorted(statuses.items()):
            responses.setdefault(
                status,
                {"description": description, "content": {"application/json": {"schema": ref}}},
            )
        if refuses_tokens(operation):
            description = result.get("description", "")
            result["description"] = f"{description}\n\n{SESSION_ONLY_NOTE}".strip()
        return result

    def _add_error_schema(self) -> None:
        schema = ApiError.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
        )
        self.add_schema_definitions(schema.pop("$defs", {}))
        self.add_schema_definitions({ApiError.__name__: schema})

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and _comparable(known) != _comparable(definition):
                raise ImproperlyConfigured(
                    f"Two different API schemas are both named {name!r}; give one of the "
                    "classes another name (clients are generated from these names)."
                )
        super().add_schema_definitions(definitions)


def _comparable(definition: dict[str, Any]) -> dict[str, Any]:
    """A schema read for input and the same schema written as output may differ in what
    is required (fields with defaults): that is one schema, not two."""
    return {k: v for k, v in definition.items() if k not in ("required", "description")}


def path_parameters(path: str) -> list[str]:
    return re.findall(r"{(?:\w+:)?(\w+)}", path)
