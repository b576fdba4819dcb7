"""A local fake of X for tests: answers with captured fixtures (each naming its source) and
checks every request Townsquare sends against X's OpenAPI description -- the operation must
exist, its body must match the operation's request schema and each query parameter its
parameter schema -- so a request X would refuse fails the test that sent it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs

from townsquare.networks.base import Credentials
from townsquare.networks.tests import fake_network
from townsquare.networks.x.connector import XPublisher

FIXTURES = Path(__file__).parent / "fixtures"
# Kept beside the design material, never copied into the repository.
OPENAPI = Path(__file__).resolve().parents[5] / "shared" / "research" / "openapi" / "x.json"
NOW = datetime(2026, 12, 7, 12, 5, tzinfo=UTC)


def captured(name: str) -> dict[str, Any]:
    return fake_network.captured(FIXTURES, name)


def answer(name: str, **overrides: Any) -> httpx.Response:
    return fake_network.answer(captured(name), **overrides)


@cache
def openapi() -> dict[str, Any]:
    if not OPENAPI.exists():
        import pytest

        pytest.skip("X's OpenAPI description is not beside the repository")
    spec: dict[str, Any] = json.loads(OPENAPI.read_text())
    return spec


def validator(schema: dict[str, Any]) -> Any:
    # The description's own components resolve every "#/components/..." reference.
    return jsonschema_rs.Draft202012Validator({**schema, "components": openapi()["components"]})


def operation(method: str, path: str) -> dict[str, Any]:
    """The OpenAPI operation that `method path` is, or an AssertionError."""
    for template, item in openapi()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            op: dict[str, Any] = item[method.lower()]
            return op
    raise AssertionError(f"{method} {path} is no operation of X's API")


def problems_of(request: httpx.Request) -> list[str]:
    """Why X's description would refuse `request` (empty when it is valid)."""
    op = operation(request.method, request.url.path)
    found: list[str] = []
    body_spec = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body_spec is not None:
        try:
            body = json.loads(request.content)
        except ValueError:
            return ["the body is not JSON"]
        found += [str(e) for e in validator(body_spec["schema"]).iter_errors(body)]
    elif request.content:
        found.append("a body where the operation takes none")
    params = {}
    for param in op.get("parameters", []):
        if "$ref" in param:
            param = openapi()["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
        if param.get("in") == "query":
            params[param["name"]] = param["schema"]
    for name, value in request.url.params.multi_items():
        if name not in params:
            found.append(f"unknown query parameter {name}")
            continue
        schema = params[name]
        typed: Any = value
        if schema.get("type") == "array":
            typed = value.split(",")
        elif schema.get("type") == "integer":
            typed = int(value) if value.lstrip("-").isdigit() else value
        found += [f"{name}: {e}" for e in validator(schema).iter_errors(typed)]
    return found


class FakeX(fake_network.FakeNetwork):
    """Routes "METHOD /path" to answers (a list is answered in order); keeps every request
    and every problem the OpenAPI description finds with it."""

    def problems(self, request: httpx.Request) -> list[str]:
        if request.url.host == "api.x.com" and request.url.path != "/2/oauth2/token":
            return problems_of(request)
        return []

    def not_found(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"title": "Not Found Error", "type": "about:blank"})

    def connector(self, **kwargs: Any) -> XPublisher:
        kwargs.setdefault("clock", lambda: NOW)
        return XPublisher(transport=self.transport, **kwargs)


def creds(**changes: Any) -> Credentials:
    values: dict[str, Any] = {
        "account_id": 1,
        "network": "x",
        "handle": "@kaffeehaus",
        "access_token": "at-1",
        "refresh_token": "rt-1",
        "expires_at": datetime(2026, 12, 7, 13, 0, tzinfo=UTC),
        "extra": {"user_id": "2244994945"},
    }
    values.update(changes)
    return Credentials(**values)
