"""A local fake of LinkedIn for tests: answers with captured fixtures (each naming the
documentation page it was taken from) through httpx's transport hook, and checks what
LinkedIn requires of every versioned request -- the pinned `LinkedIn-Version` and
`X-Restli-Protocol-Version: 2.0.0` headers, and URNs percent-encoded in paths and query
values (Rest.li 2.0) -- so a request LinkedIn would refuse fails the test that sent it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from townsquare.networks.base import Credentials
from townsquare.networks.linkedin import payloads
from townsquare.networks.linkedin.connector import LinkedInPagePublisher, LinkedInProfilePublisher
from townsquare.networks.tests import fake_network

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
PAGE = "urn:li:organization:2414183"
POST = "urn:li:share:6844785523593134080"


def captured(name: str) -> dict[str, Any]:
    return fake_network.captured(FIXTURES, name)


def answer(name: str, **overrides: Any) -> httpx.Response:
    return fake_network.answer(captured(name), **overrides)


def problems_of(request: httpx.Request) -> list[str]:
    """Why LinkedIn would refuse `request` for its form (empty when it is fine)."""
    found = []
    url = request.url
    if url.host == "api.linkedin.com" and url.path.startswith("/rest/"):
        if request.headers.get("LinkedIn-Version") != payloads.API_VERSION:
            found.append("no pinned LinkedIn-Version header")
        if request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            found.append("no X-Restli-Protocol-Version: 2.0.0 header")
        raw = url.raw_path.decode()
        if "urn:li:" in raw:
            found.append(f"a URN not percent-encoded: {raw[:200]}")
    if url.host in ("api.linkedin.com",) and not request.headers.get("Authorization"):
        found.append("no Authorization header")
    return found


class FakeLinkedIn(fake_network.FakeNetwork):
    """Routes "METHOD /path" (without the query) to answers; a list is answered in order."""

    def problems(self, request: httpx.Request) -> list[str]:
        return problems_of(request)

    def not_found(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            404, json={"status": 404, "code": "NOT_FOUND", "message": "Not Found"}
        )

    def connector(self, **kwargs: Any) -> LinkedInPagePublisher:
        kwargs.setdefault("clock", lambda: NOW)
        kwargs.setdefault("version", payloads.API_VERSION)
        kwargs.setdefault("sleep", lambda seconds: None)
        return LinkedInPagePublisher(transport=self.transport, **kwargs)

    def profile_connector(self, **kwargs: Any) -> LinkedInProfilePublisher:
        kwargs.setdefault("clock", lambda: NOW)
        kwargs.setdefault("version", payloads.API_VERSION)
        return LinkedInProfilePublisher(transport=self.transport, **kwargs)


def creds(**changes: Any) -> Credentials:
    values: dict[str, Any] = {
        "account_id": 1,
        "network": "linkedin_page",
        "handle": "linkedin",
        "access_token": "at-1",
        "refresh_token": "",
        "expires_at": datetime(2027, 2, 5, 14, 0, tzinfo=UTC),
        "extra": {"author_urn": PAGE},
    }
    values.update(changes)
    return Credentials(**values)
