"""A local fake of Meta's Threads API for tests: answers with captured fixtures (each naming
the documentation page or Meta's own sample it was taken from) through httpx's transport
hook, and checks what Threads requires of every request -- the pinned version in the path,
the access token as a parameter, and nothing but the documented hosts -- so a request
Threads would refuse fails the test that sent it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from townsquare.networks.base import Credentials
from townsquare.networks.threads import payloads
from townsquare.networks.threads.connector import ThreadsPublisher

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
USER = "17841401234567890"
POST = "18028547321012345"
CONTAINER = "17889615691921648"
V = f"/{payloads.API_VERSION}"


def captured(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    assert data["source"].startswith("https://"), name
    return data


def answer(name: str, **overrides: Any) -> httpx.Response:
    data = captured(name)
    body = overrides.pop("body", data["body"])
    headers = {**data["headers"], **overrides.pop("headers", {})}
    if isinstance(body, bytes):
        content = body
    elif isinstance(body, str):
        content = body.encode()
    else:
        content = json.dumps(body).encode()
    return httpx.Response(overrides.pop("status", data["status"]), headers=headers, content=content)


def values_of(request: httpx.Request) -> dict[str, str]:
    """The request's parameters: the query, and the form of a POST."""
    found = {k: v[-1] for k, v in parse_qs(request.url.query.decode()).items()}
    if request.method == "POST" and request.content:
        found.update({k: v[-1] for k, v in parse_qs(request.content.decode()).items()})
    return found


def problems_of(request: httpx.Request) -> list[str]:
    found = []
    url = request.url
    if url.host != "graph.threads.net":
        found.append(f"a host Threads does not serve: {url.host}")
    values = values_of(request)
    oauth = url.path in ("/oauth/access_token", "/access_token", "/refresh_access_token")
    if not oauth and not url.path.startswith(V + "/"):
        found.append("no pinned version in the path")
    if url.path != "/oauth/access_token" and not values.get("access_token"):
        found.append("no access_token parameter")
    if "access_token" in values and request.method == "POST" and "access_token" in str(url):
        found.append("the token in the address of a POST")
    return found


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeThreads:
    """Routes "METHOD /path" (without the query) to answers; a list is answered in order."""

    routes: dict[str, Handler | list[httpx.Response] | httpx.Response] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        self.invalid += [f"{request.method} {request.url.path}: {p}" for p in problems_of(request)]
        route = self.routes.get(f"{request.method} {request.url.path}")
        if route is None:
            return httpx.Response(
                400,
                json={
                    "error": {
                        "message": "Unsupported request - method type: get",
                        "type": "GraphMethodException",
                        "code": 100,
                        "error_subcode": 33,
                    }
                },
            )
        if isinstance(route, list):
            return route.pop(0)
        if isinstance(route, httpx.Response):
            return route
        return route(request)

    def sent(self, key: str) -> list[httpx.Request]:
        return [r for r in self.requests if f"{r.method} {r.url.path}" == key]

    def connector(self, **kwargs: Any) -> ThreadsPublisher:
        kwargs.setdefault("clock", lambda: NOW)
        kwargs.setdefault("version", payloads.API_VERSION)
        kwargs.setdefault("sleep", lambda seconds: None)
        kwargs.setdefault(
            "media_url", lambda media: f"https://media.example.org/{media.storage_key}"
        )
        return ThreadsPublisher(transport=httpx.MockTransport(self), **kwargs)


def creds(**changes: Any) -> Credentials:
    values: dict[str, Any] = {
        "account_id": 1,
        "network": "threads",
        "handle": "townsquare_cafe",
        "access_token": "THQVJlonglived1",
        "refresh_token": "THQVJlonglived1",
        "expires_at": datetime(2027, 1, 30, 14, 0, tzinfo=UTC),
        "extra": {"user_id": USER},
    }
    values.update(changes)
    return Credentials(**values)
