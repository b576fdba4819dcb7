"""A local fake of Meta's Graph API for tests: answers with captured fixtures (each naming
the reference page it was taken from) through httpx's transport hook, and checks what the
Graph API requires of every request Townsquare sends -- the pinned version as the first
path segment, the Page token in the Authorization header (never in a URL, where logs
would keep it), JSON bodies on writes -- so a malformed request fails the test that sent it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from townsquare.networks.base import Credentials, MediaRef
from townsquare.networks.meta import payloads
from townsquare.networks.meta.connector import FacebookPagePublisher, InstagramPublisher
from townsquare.networks.tests import fake_network

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 12, 7, 14, 10, tzinfo=UTC)
PAGE = "102938475610293"
IG = "17841405822304914"


def captured(name: str) -> dict[str, Any]:
    return fake_network.captured(FIXTURES, name)


def raw_body(name: str) -> bytes:
    """A webhook delivery's body as Meta sends it (compact JSON, non-ASCII escaped)."""
    return json.dumps(captured(name)["body"], separators=(",", ":")).encode()


def answer(name: str, **overrides: Any) -> httpx.Response:
    return fake_network.answer(captured(name), **overrides)


def problems_of(request: httpx.Request) -> list[str]:
    """Why the Graph API would refuse `request` for its form (empty when it is fine)."""
    found = []
    url = request.url
    if url.host != payloads.GRAPH_HOST:
        return [f"not the Graph API: {url.host}"]
    segments = url.path.strip("/").split("/")
    if segments[0] != payloads.API_VERSION:
        found.append(f"no pinned version in the path: {url.path}")
    if "access_token" in url.params:
        found.append("a token in the URL")
    token_endpoint = segments[1:] == ["oauth", "access_token"]
    if not token_endpoint and not request.headers.get("Authorization", "").startswith("Bearer "):
        found.append("no Authorization: Bearer header")
    if request.method == "POST":
        try:
            json.loads(request.content)
        except ValueError:
            found.append("a write without a JSON body")
    return found


class FakeMeta(fake_network.FakeNetwork):
    """Routes "METHOD /path" (without the version and query) to answers; a list is
    answered in order."""

    def problems(self, request: httpx.Request) -> list[str]:
        return problems_of(request)

    def not_found(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            json={
                "error": {
                    "message": "Unknown path components",
                    "type": "OAuthException",
                    "code": 2500,
                }
            },
        )

    def key(self, request: httpx.Request) -> str:
        path = "/" + "/".join(request.url.path.strip("/").split("/")[1:])
        return f"{request.method} {path}"

    def bodies(self, key: str) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.sent(key)]

    def _kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs.setdefault("clock", lambda: NOW)
        kwargs.setdefault("version", payloads.API_VERSION)
        kwargs.setdefault("sleep", lambda seconds: None)
        kwargs.setdefault(
            "media_url", lambda media: f"https://townsquare.example/m/{media.storage_key}"
        )
        return kwargs

    def page(self, **kwargs: Any) -> FacebookPagePublisher:
        return FacebookPagePublisher(transport=httpx.MockTransport(self), **self._kwargs(kwargs))

    def instagram(self, **kwargs: Any) -> InstagramPublisher:
        return InstagramPublisher(transport=httpx.MockTransport(self), **self._kwargs(kwargs))


def connect_flow(connections: int = 1) -> FakeMeta:
    """A fake Graph API for `connections` sign-ins: the code and the long-lived token
    exchanged, the permissions granted, the Pages listed (captured answers)."""
    return FakeMeta(
        {
            "GET /oauth/access_token": [
                answer("oauth_code__ok_200.json"),
                answer("oauth_long_lived__ok_200.json"),
            ]
            * connections,
            "GET /me/permissions": answer("permissions__ok_200.json"),
            "GET /me/accounts": answer("accounts__ok_200.json"),
        }
    )


def page_creds(**changes: Any) -> Credentials:
    values: dict[str, Any] = {
        "account_id": 1,
        "network": "facebook_page",
        "handle": "townsquarecoffee",
        "access_token": "EAApage1",
        "extra": {"page_id": PAGE},
    }
    values.update(changes)
    return Credentials(**values)


def ig_creds(**changes: Any) -> Credentials:
    values: dict[str, Any] = {
        "account_id": 2,
        "network": "instagram",
        "handle": "townsquare.coffee",
        "access_token": "EAApage1",
        "extra": {"page_id": PAGE, "ig_user_id": IG},
    }
    values.update(changes)
    return Credentials(**values)


def picture(key: str = "a.jpg", alt: str = "") -> MediaRef:
    return MediaRef(key, "image", "image/jpeg", 200_000, 1080, 1080, alt_text=alt)


def video(key: str = "v.mp4") -> MediaRef:
    return MediaRef(key, "video", "video/mp4", 9_000_000, 1080, 1920, 12.0)
