"""Fixtures for the Mastodon peer tests: `mastodon-mock` on loopback, people on it, and our
account connected through Townsquare's real OAuth views.

Imported by the test modules (`from mastodon_fixtures import ...`).
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import httpx
import pytest
from peer_runtime import load_by_path, reporter_log

from townsquare.testing.services import unavailable

HERE = Path(__file__).resolve().parent


def _harness() -> ModuleType:
    return load_by_path(
        "townsquare_peers_mastodon_mock_harness", HERE / "mastodon_mock" / "harness.py"
    )


@dataclass
class Person:
    """Someone on the mock instance, with the token the mock gives for tests."""

    id: str
    username: str
    token: str


class MockInstance:
    """What a person does on the instance, through its HTTP API as a Mastodon app would."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=10, trust_env=False)

    def person(self, username: str, display_name: str) -> Person:
        made = self.http.post(
            "/api/v1/_mock/dev_user", json={"username": username, "display_name": display_name}
        )
        made.raise_for_status()
        body = made.json()
        return Person(id=body["id"], username=body["username"], token=body["access_token"])

    def call(self, person: Person, method: str, path: str, **kwargs) -> dict:
        response = self.http.request(
            method, path, headers={"Authorization": f"Bearer {person.token}"}, **kwargs
        )
        response.raise_for_status()
        return response.json()

    def status(self, person: Person, status_id: str) -> dict:
        return self.call(person, "GET", f"/api/v1/statuses/{status_id}")

    def authorize(self, location: str, username: str) -> str:
        """Pick `username` on the mock's authorisation page; the callback address it sends to."""
        page = self.http.get(location)
        page.raise_for_status()
        fields = {
            name: html.unescape(value)
            for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', page.text)
            if name != "username"
        }
        assert "state" in fields and "redirect_uri" in fields, page.text[:500]
        chosen = self.http.post("/oauth/authorize", data={**fields, "username": username})
        assert chosen.status_code == 302, chosen.text[:500]
        return chosen.headers["location"]


@pytest.fixture(scope="session")
def mastodon_server(request: pytest.FixtureRequest):
    harness = _harness()
    log = reporter_log(request)

    try:
        directory = harness.ensure_installed(log)
    except harness.PeerUnavailable as error:
        unavailable(f"mastodon-mock cannot be installed here: {error}")
    server = harness.start(directory, log)  # PeerFailed: installed but not starting fails
    try:
        yield server
    finally:
        harness.stop(server)


@pytest.fixture(scope="module")
def mastodon_instance(mastodon_server):
    mock = MockInstance(mastodon_server.url)
    yield mock
    mock.http.close()


@pytest.fixture(scope="module")
def mastodon_ours(mastodon_instance) -> Person:
    # Unique per module: every module shares one instance for the whole session, and the
    # instance refuses a second person of the same name.
    return mastodon_instance.person(f"roesterei_{secrets.token_hex(3)}", "Rösterei Alpha")


@pytest.fixture(scope="module")
def mastodon_them(mastodon_instance) -> Person:
    return mastodon_instance.person(f"kundin_{secrets.token_hex(3)}", "Kundin Ana")


@pytest.fixture
def loopback_instance(settings):
    # The mock lives on loopback, which the SSRF guard refuses unless a setup allows it.
    from townsquare.networks.registry import forget_publishers

    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    forget_publishers()
    yield
    forget_publishers()


@pytest.fixture
def mastodon_account(
    alice_client, workspace_a, mastodon_instance, mastodon_ours, loopback_instance
):
    """Our account, connected through the real views: connect form -> the mock's
    authorisation page -> the callback."""
    from django.urls import reverse

    from townsquare.networks.models import SocialAccount

    url = reverse("workspace_connect_mastodon", args=[workspace_a.slug])
    started = alice_client.post(url, {"instance": mastodon_instance.url, "language": "de"})
    assert started.status_code == 302, started.content[:500]
    back = urlsplit(mastodon_instance.authorize(started["Location"], mastodon_ours.username))
    assert back.path == "/connect/mastodon/callback/"
    done = alice_client.get(f"{back.path}?{back.query}")
    assert done.status_code == 302
    assert done["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    return SocialAccount.objects.get(workspace=workspace_a, network="mastodon")
