"""Connect Matrix: login, then the choice of rooms, with a scripted homeserver."""

from __future__ import annotations

import json

import httpx
import pytest
from django.urls import reverse

from townsquare.audit.models import AuditEvent
from townsquare.networks.credentials import read_credentials
from townsquare.networks.matrix import actions
from townsquare.networks.matrix.tests.helpers import HOMESERVER, answer, publisher
from townsquare.networks.models import SocialAccount

TOKEN = "syt_secret_token_value"
ROOMS = {
    "!a:example.org": {"name": "Kaffeeklatsch", "alias": "#kaffee:example.org"},
    "!b:example.org": {},
}


def homeserver(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/login"):
        body = json.loads(request.content)
        if body["password"] != "richtig":
            return answer("wrong_password")
        assert body["initial_device_display_name"] == "Townsquare"
        return httpx.Response(
            200, json={"access_token": TOKEN, "user_id": "@ts:example.org", "device_id": "DEV"}
        )
    if request.headers.get("Authorization") != f"Bearer {TOKEN}":
        return answer("unknown_token")
    if path.endswith("/whoami"):
        return httpx.Response(200, json={"user_id": "@ts:example.org", "device_id": "DEV"})
    if path.endswith("/joined_rooms"):
        return httpx.Response(200, json={"joined_rooms": list(ROOMS)})
    if path.endswith("/media/config"):
        return httpx.Response(200, json={"m.upload.size": 10_000_000})
    if "/state/" in path:
        room = (
            request.url.raw_path.decode()
            .split("/rooms/")[1]
            .split("/")[0]
            .replace("%21", "!")
            .replace("%3A", ":")
        )
        field = "name" if "m.room.name" in path else "alias"
        value = ROOMS[room].get(field)
        if value is None:
            return httpx.Response(404, json={"errcode": "M_NOT_FOUND", "error": "no state"})
        return httpx.Response(200, json={field: value})
    return httpx.Response(404, json={"errcode": "M_UNRECOGNIZED", "error": path})


@pytest.fixture
def scripted(monkeypatch, settings):
    # The homeserver's name does not resolve without a network; the guard has its own test.
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    connector = publisher(homeserver)
    monkeypatch.setattr(actions, "_connector", lambda given=None: given or connector)
    return connector


def urls(membership):
    slug = membership.workspace.slug
    return (
        reverse("workspace_connect_matrix", args=[slug]),
        reverse("workspace_connect_matrix_rooms", args=[slug]),
    )


def test_password_login_then_choosing_rooms_connects_each_room_with_the_shared_login(
    alice_client, membership, scripted
):
    connect, rooms = urls(membership)
    page = alice_client.get(connect)
    assert page.status_code == 200 and b"Homeserver" in page.content
    answer_ = alice_client.post(
        connect, {"homeserver": HOMESERVER, "user_id": "@ts:example.org", "password": "richtig"}
    )
    assert answer_.status_code == 302 and answer_["Location"] == rooms
    stored = "".join(str(value) for value in alice_client.session.values())
    assert TOKEN not in stored and "richtig" not in stored, "kept encrypted, password not at all"
    choice = alice_client.get(rooms)
    html = choice.content.decode()
    assert "Kaffeeklatsch" in html and "!b:example.org" in html
    assert TOKEN not in html
    done = alice_client.post(
        rooms, {"rooms": ["!a:example.org", "!b:example.org"], "language": "de"}
    )
    assert done.status_code == 302
    accounts = {a.handle: a for a in SocialAccount.objects.filter(network="matrix_room")}
    assert set(accounts) == {"#kaffee:example.org", "!b:example.org"}
    kaffee = accounts["#kaffee:example.org"]
    assert kaffee.display_name == "Kaffeeklatsch" and kaffee.language == "de"
    assert kaffee.reported_limits["image_max_bytes"] == 10_000_000
    values = read_credentials(kaffee)
    assert values == {
        "access_token": TOKEN,
        "instance_url": HOMESERVER,
        "extra": {"user_id": "@ts:example.org", "device_id": "DEV", "room_id": "!a:example.org"},
    }
    assert AuditEvent.objects.filter(action="account.connect").count() == 2
    assert not any(TOKEN in str(v) for v in alice_client.session.values())
    assert alice_client.get(rooms).status_code == 302, "the pending login is gone"


def test_an_access_token_is_checked_and_reconnecting_updates_the_account(
    alice_client, membership, scripted
):
    connect, rooms = urls(membership)
    old = SocialAccount.objects.create(
        workspace=membership.workspace,
        network="matrix_room",
        handle="#kaffee:example.org",
        needs_reconnect=True,
    )
    alice_client.post(connect, {"homeserver": HOMESERVER, "access_token": TOKEN})
    alice_client.post(rooms, {"rooms": ["!a:example.org"]})
    old.refresh_from_db()
    assert not old.needs_reconnect and old.connected_at and old.last_success_at
    assert SocialAccount.objects.filter(network="matrix_room").count() == 1


@pytest.mark.parametrize(
    "form,message",
    [
        ({"homeserver": HOMESERVER, "access_token": "wrong"}, "did not accept this access token"),
        (
            {"homeserver": HOMESERVER, "user_id": "@ts:example.org", "password": "falsch"},
            "Invalid username or password",
        ),
        (
            {"homeserver": HOMESERVER, "user_id": "@ts:example.org"},
            "access token, or a user id and a password",
        ),
        (
            {"homeserver": "ftp://example.org", "access_token": TOKEN},
            "address of the Matrix homeserver",
        ),
        (
            {"homeserver": "https://example.org/some/path", "access_token": TOKEN},
            "address of the Matrix homeserver",
        ),
    ],
)
def test_bad_logins_are_refused_with_a_message_and_nothing_is_kept(
    alice_client, membership, scripted, form, message
):
    connect, _rooms = urls(membership)
    page = alice_client.post(connect, form)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not SocialAccount.objects.exists()
    assert not any(k.startswith("matrix_connect") for k in alice_client.session.load())


def test_a_homeserver_on_a_private_address_is_refused(alice_client, membership, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    connect, _rooms = urls(membership)
    page = alice_client.post(
        connect, {"homeserver": "http://127.0.0.1:8008", "access_token": TOKEN}
    )
    assert page.status_code == 400 and "may not connect" in page.content.decode()


def test_a_room_not_offered_cannot_be_chosen_and_a_tampered_session_starts_over(
    alice_client, membership, scripted
):
    connect, rooms = urls(membership)
    alice_client.post(connect, {"homeserver": HOMESERVER, "access_token": TOKEN})
    page = alice_client.post(rooms, {"rooms": ["!evil:example.org"]})
    assert page.status_code == 400 and not SocialAccount.objects.exists()
    session = alice_client.session
    key = f"matrix_connect:{membership.workspace.pk}"
    session[key] = "not-a-fernet-token"
    session.save()
    assert alice_client.get(rooms).status_code == 302
