"""What every connector's local fake shares (x/, linkedin/, threads/, meta/ tests): captured
answers read from a connector's fixtures (each naming the page or repository it was taken
from), and a router behind httpx's transport hook that keeps every request and every problem
the network would refuse it for. Each network's fake says only what is its own: which
requests its API refuses (`problems`), what it answers for a path it does not serve
(`not_found`) and how a request is named in its routes (`key`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

Handler = Callable[[httpx.Request], httpx.Response]
Route = Handler | list[httpx.Response] | httpx.Response


def captured(fixtures: Path, name: str) -> dict[str, Any]:
    """A captured answer: {"source", "status", "headers", "body"}; a fixture without its
    source is refused."""
    data: dict[str, Any] = json.loads((fixtures / name).read_text())
    assert data["source"], name
    return data


def answer(data: dict[str, Any], **overrides: Any) -> httpx.Response:
    """The response `data` describes; `body`, `headers` (added) and `status` may be changed.
    A body of bytes or text is sent as it is, anything else as JSON."""
    body = overrides.pop("body", data["body"])
    headers = {**data["headers"], **overrides.pop("headers", {})}
    if isinstance(body, bytes):
        content = body
    elif isinstance(body, str):
        content = body.encode()
    else:
        content = json.dumps(body).encode()
    return httpx.Response(overrides.pop("status", data["status"]), headers=headers, content=content)


@dataclass
class FakeNetwork:
    """Routes "METHOD /path" (without the query) to answers: a response, a list answered in
    order, or a function of the request. Keeps every request, and in `invalid` every problem
    `problems` finds with one (tests assert it stays empty)."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def problems(self, request: httpx.Request) -> list[str]:
        """Why the network would refuse `request` for its form (empty when it is fine)."""
        return []

    def not_found(self, request: httpx.Request) -> httpx.Response:
        """The network's answer for a path it does not serve."""
        return httpx.Response(404, json={"error": "not found"})

    def key(self, request: httpx.Request) -> str:
        return f"{request.method} {request.url.path}"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        self.invalid += [
            f"{request.method} {request.url.path}: {p}" for p in self.problems(request)
        ]
        route = self.routes.get(self.key(request))
        if route is None:
            return self.not_found(request)
        if isinstance(route, list):
            return route.pop(0)
        if isinstance(route, httpx.Response):
            return route
        return route(request)

    def sent(self, key: str) -> list[httpx.Request]:
        return [r for r in self.requests if self.key(r) == key]

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)
