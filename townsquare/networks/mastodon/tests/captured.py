"""Captured Mastodon answers (fixtures/*.json, each naming the documentation page it is from)
served to the connector through httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from townsquare.networks.base import Credentials
from townsquare.networks.mastodon.connector import MastodonPublisher

FIXTURES = Path(__file__).parent / "fixtures"
INSTANCE = "https://mastodon.example"


def captured(name: str) -> dict[str, Any]:
    """One fixture: source, status, headers, body."""
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    assert data["source"].startswith("https://docs.joinmastodon.org/"), name
    return data


def answer(name: str, **overrides: Any) -> httpx.Response:
    """The captured answer as an httpx.Response; `body=` replaces (parts of) the body."""
    data = captured(name)
    body = data["body"]
    if "body" in overrides:
        body = overrides.pop("body")
    headers = {**data["headers"], **overrides.pop("headers", {})}
    return httpx.Response(data["status"], headers=headers, content=json.dumps(body).encode())


def status_json(status_id: str, **fields: Any) -> dict[str, Any]:
    """The documented status example with another id and fields."""
    return {**captured("statuses_get__ok_200.json")["body"], "id": status_id, **fields}


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeInstance:
    """Routes "METHOD /path" to handlers (a list is answered in order) and keeps requests."""

    routes: dict[str, Handler | list[httpx.Response] | httpx.Response] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = f"{request.method} {request.url.path}"
        route = self.routes.get(key)
        if route is None:
            return httpx.Response(404, json={"error": "Record not found"})
        if isinstance(route, list):
            return route.pop(0)
        if isinstance(route, httpx.Response):
            return route
        return route(request)

    def sent(self, key: str) -> list[httpx.Request]:
        return [r for r in self.requests if f"{r.method} {r.url.path}" == key]

    def connector(self, **kwargs: Any) -> MastodonPublisher:
        return MastodonPublisher(
            transport=httpx.MockTransport(self),
            sleep=lambda seconds: None,
            **kwargs,
        )


def creds(**extra: str) -> Credentials:
    return Credentials(
        account_id=1,
        network="mastodon",
        handle="@kaffee@mastodon.example",
        access_token="token-123",
        instance_url=INSTANCE,
        extra={"account_id": "14715", **extra},
    )
