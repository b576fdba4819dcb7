"""A Matrix homeserver (Synapse) on loopback, people on it, and our room connected through
Townsquare's real connect pages. Test modules import the fixtures they use from here."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

import httpx
import pytest
from peer_runtime import load_by_path, reporter_log

from townsquare.testing.services import unavailable

HERE = Path(__file__).resolve().parent
__all__ = ["matrix_account", "ours", "room", "synapse", "them"]


def _harness() -> ModuleType:
    return load_by_path("townsquare_peers_synapse_harness", HERE / "synapse" / "harness.py")


@dataclass
class MatrixUser:
    user_id: str
    password: str
    token: str


class Synapse:
    """Acts as people in Matrix apps would, straight against the client-server API."""

    def __init__(self, url: str, server_name: str) -> None:
        self.url = url
        self.server_name = server_name
        self.http = httpx.Client(base_url=url, timeout=20, trust_env=False)

    def register(self, localpart: str, display_name: str) -> MatrixUser:
        password = secrets.token_urlsafe(12)
        body = {"username": localpart, "password": password, "inhibit_login": False}
        first = self.http.post("/_matrix/client/v3/register", json=body)
        assert first.status_code == 401, first.text  # asks for an auth step
        body["auth"] = {"type": "m.login.dummy", "session": first.json()["session"]}
        answer = self.http.post("/_matrix/client/v3/register", json=body)
        assert answer.status_code == 200, answer.text
        user = MatrixUser(answer.json()["user_id"], password, answer.json()["access_token"])
        self.call(
            user,
            "PUT",
            f"/profile/{quote(user.user_id)}/displayname",
            json={"displayname": display_name},
        )
        return user

    def call(self, user: MatrixUser, method: str, path: str, **kwargs) -> dict:
        answer = self.http.request(
            method,
            "/_matrix/client/v3" + path,
            headers={"Authorization": f"Bearer {user.token}"},
            **kwargs,
        )
        assert answer.is_success, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json()

    def send(self, user: MatrixUser, room_id: str, content: dict, kind="m.room.message") -> str:
        txn = secrets.token_hex(8)
        path = f"/rooms/{quote(room_id)}/send/{kind}/{txn}"
        return self.call(user, "PUT", path, json=content)["event_id"]

    def timeline(self, user: MatrixUser, room_id: str, limit: int = 100) -> list[dict]:
        """The room's newest events, oldest first, as `user` sees them."""
        body = self.call(
            user, "GET", f"/rooms/{quote(room_id)}/messages", params={"dir": "b", "limit": limit}
        )
        return list(reversed(body["chunk"]))

    def messages(self, user: MatrixUser, room_id: str) -> list[dict]:
        return [e for e in self.timeline(user, room_id) if e["type"] == "m.room.message"]


@pytest.fixture(scope="session")
def synapse(request: pytest.FixtureRequest):
    harness = _harness()
    log = reporter_log(request)

    try:
        directory = harness.ensure_installed(log)
    except harness.PeerUnavailable as error:
        unavailable(f"Synapse cannot be installed here: {error}")
    server = harness.start(directory, log)  # PeerFailed: installed but not starting
    try:
        yield Synapse(server.url, server.server_name)
    finally:
        harness.stop(server)


@pytest.fixture(scope="session")
def ours(synapse):
    return synapse.register(f"roesterei{int(time.time())}", "Rösterei Morgenrot")


@pytest.fixture(scope="session")
def them(synapse):
    return synapse.register(f"gast{int(time.time())}", "Gast Jana")


@pytest.fixture(scope="session")
def room(synapse, ours, them):
    alias_local = f"kaffee{secrets.token_hex(3)}"
    created = synapse.call(
        ours,
        "POST",
        "/createRoom",
        json={
            "name": "Kaffeeklatsch",
            "room_alias_name": alias_local,
            "preset": "public_chat",
            "invite": [them.user_id],
        },
    )
    synapse.call(them, "POST", f"/join/{quote(created['room_id'])}", json={})
    return {"room_id": created["room_id"], "alias": f"#{alias_local}:{synapse.server_name}"}


@pytest.fixture
def matrix_account(alice_client, membership, synapse, ours, room, local_targets):
    """Our room, connected through the two connect pages as a person would."""
    from django.urls import reverse

    from townsquare.networks.models import SocialAccount

    slug = membership.workspace.slug
    answer = alice_client.post(
        reverse("workspace_connect_matrix", args=[slug]),
        {"homeserver": synapse.url, "user_id": ours.user_id, "password": ours.password},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    rooms_url = reverse("workspace_connect_matrix_rooms", args=[slug])
    assert answer["Location"] == rooms_url
    page = alice_client.get(rooms_url)
    assert room["room_id"] in page.content.decode() and "Kaffeeklatsch" in page.content.decode()
    answer = alice_client.post(rooms_url, {"rooms": [room["room_id"]], "language": "de"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return SocialAccount.objects.get(workspace=membership.workspace, network="matrix_room")
