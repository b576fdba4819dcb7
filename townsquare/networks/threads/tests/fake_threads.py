"""A local fake of Meta's Threads API for tests: answers with captured fixtures (each naming
the documentation page or Meta's own sample it was taken from) through httpx's transport
hook, and checks what Threads requires of every request -- the pinned version in the path,
the access token as a parameter, and nothing but the documented hosts -- so a request
Threads would refuse fails the test that sent it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from townsquare.networks.base import Credentials
from townsquare.networks.tests import fake_network
from townsquare.networks.threads import payloads
from townsquare.networks.threads.connector import ThreadsPublisher

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
USER = "17841401234567890"
POST = "18028547321012345"
CONTAINER = "17889615691921648"
V = f"/{payloads.API_VERSION}"


def captured(name: str) -> dict[str, Any]:
    data = fake_network.captured(FIXTURES, name)
    assert data["source"].startswith("https://"), name
    return data


def answer(name: str, **overrides: Any) -> httpx.Response:
    return fake_network.answer(captured(name), **overrides)


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


class FakeThreads(fake_network.FakeNetwork):
    """Routes "METHOD /path" (without the query) to answers; a list is answered in order."""

    def problems(self, request: httpx.Request) -> list[str]:
        return problems_of(request)

    def not_found(self, request: httpx.Request) -> httpx.Response:
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

    def connector(self, **kwargs: Any) -> ThreadsPublisher:
        kwargs.setdefault("clock", lambda: NOW)
        kwargs.setdefault("version", payloads.API_VERSION)
        kwargs.setdefault("sleep", lambda seconds: None)
        kwargs.setdefault(
            "media_url", lambda media: f"https://media.example.org/{media.storage_key}"
        )
        return ThreadsPublisher(transport=self.transport, **kwargs)


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
