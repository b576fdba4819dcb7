"""Connecting X through the real pages: the connect page (with and without the
installation's X app), the callback against the fake of X with captured answers, reconnecting
an account that has history, and what the accounts page says before and after."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.credentials import credentials_for, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import _instances, forget_publishers
from townsquare.networks.x import payloads
from townsquare.networks.x.tests.fake_x import FakeX, answer, captured
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db

CALLBACK = "/connect/x/callback/"
TOKEN = captured("oauth2_token__ok_200.json")["body"]
# The documentation's example grants the four scopes its request asked for; Townsquare also
# asks for media.write (uploads), and X grants what was asked and allowed.
GRANTED = {**TOKEN, "scope": " ".join(payloads.SCOPES)}
ME = captured("users_me__ok_200.json")["body"]["data"]


@pytest.fixture
def x(settings):
    settings.X_CLIENT_ID = "rG9n6402A3dbUJKzXTNX4oWHJ"
    settings.X_CLIENT_SECRET = "app-secret"
    fake = FakeX(
        {
            "POST /2/oauth2/token": answer("oauth2_token__ok_200.json", body=GRANTED),
            "GET /2/users/me": answer("users_me__ok_200.json"),
        }
    )
    forget_publishers()
    _instances["x"] = fake.connector()
    yield fake
    forget_publishers()
    assert fake.invalid == []


def connect_page(workspace) -> str:
    return reverse("workspace_connect_x", args=[workspace.slug])


def start(client, workspace) -> dict[str, list[str]]:
    response = client.post(connect_page(workspace), {"language": "de"})
    assert response.status_code == 302, response.content[:500]
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://x.com/i/oauth2/authorize"
    return parse_qs(target.query)


def callback(client, **params):
    response = client.get(CALLBACK, params)
    assert response.status_code == 302
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def connect(client, workspace):
    query = start(client, workspace)
    return callback(client, code="the-code", state=query["state"][0])


def accounts_page(client, workspace) -> str:
    return client.get(reverse("workspace_accounts", args=[workspace.slug])).content.decode()


def test_connecting_through_the_pages_adds_an_account_that_publishes_automatically(
    alice_client, workspace_a, x
):
    query = start(alice_client, workspace_a)
    assert query["redirect_uri"] == ["http://testserver/connect/x/callback/"]
    response, said = callback(alice_client, code="the-code", state=query["state"][0])
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    assert said == [f"X @{ME['username']} is connected."]
    account = SocialAccount.objects.get(network="x")
    assert account.handle == "@" + ME["username"] and account.language == "de"
    assert account.publishes_automatically
    # The code went back with the same callback address the sign-in started with.
    sent = parse_qs(x.sent("POST /2/oauth2/token")[0].content.decode())
    assert sent["redirect_uri"] == ["http://testserver/connect/x/callback/"]
    page = accounts_page(alice_client, workspace_a)
    assert connect_page(workspace_a) in page and "Connect X" in page
    assert "Never connected" not in page


def test_without_an_x_app_the_page_says_what_the_operator_must_configure(
    alice_client, workspace_a, settings
):
    settings.X_CLIENT_ID = ""
    page = alice_client.get(connect_page(workspace_a))
    text = page.content.decode()
    assert page.status_code == 200
    assert "X_CLIENT_ID" in text and "X_CLIENT_SECRET" in text
    assert "http://testserver/connect/x/callback/" in text and "docs/networks/x.md" in text
    assert "Continue to X" not in text
    refused = alice_client.post(connect_page(workspace_a), {"language": "de"})
    assert refused.status_code == 400 and "X_CLIENT_ID" in refused.content.decode()
    assert alice_client.session.get("x_oauth_pending") is None


def test_a_callback_after_the_app_was_removed_says_so_on_the_accounts_page(
    alice_client, workspace_a, x, settings
):
    query = start(alice_client, workspace_a)
    settings.X_CLIENT_ID = ""
    response, said = callback(alice_client, code="c", state=query["state"][0])
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    assert said == ["This installation has no X app configured; an administrator has to add it."]
    assert not SocialAccount.objects.exists()


def test_reconnecting_keeps_the_account_its_history_and_its_refresh_token(
    alice_client, membership, workspace_a, x
):
    # Added by hand and posted by reminder so far, with a post waiting for its time.
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="x", handle="@" + ME["username"]
    )
    post = do_save_post(membership, PostInput(text="Frisch geröstet.", language="de"), [by_hand.pk])
    do_schedule_post(membership, post, (timezone.now() + timedelta(days=2)).replace(tzinfo=None))
    assert not by_hand.publishes_automatically
    assert "Never connected" in accounts_page(alice_client, workspace_a)

    connect(alice_client, workspace_a)
    account = SocialAccount.objects.get(network="x")
    assert account.pk == by_hand.pk and account.publishes_automatically
    assert Publication.objects.get().account_id == by_hand.pk
    assert credentials_for(account).refresh_token == TOKEN["refresh_token"]

    # X answers a second sign-in without a refresh token: the one stored stays.
    x.routes["POST /2/oauth2/token"] = answer(
        "oauth2_token__ok_200.json",
        body={k: v for k, v in GRANTED.items() if k != "refresh_token"} | {"access_token": "at-2"},
    )
    connect(alice_client, workspace_a)
    again = SocialAccount.objects.get(network="x")
    creds = credentials_for(again)
    assert again.pk == by_hand.pk and creds.access_token == "at-2"
    assert creds.refresh_token == TOKEN["refresh_token"]
    assert Publication.objects.get().account_id == by_hand.pk


def test_the_accounts_page_tells_never_connected_connected_and_expiring_apart(
    alice_client, workspace_a, settings
):
    settings.X_CLIENT_ID = ""  # the page's words do not depend on the app
    never = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@nie")
    renewing = SocialAccount.objects.create(
        workspace=workspace_a,
        network="x",
        handle="@erneuert",
        connected_at=timezone.now(),
        token_expires_at=timezone.now() + timedelta(hours=2),
    )
    store_credentials(renewing, {"access_token": "at", "refresh_token": "rt"})
    # A login without a refresh token ends with its access token: the countdown shows it.
    ending = SocialAccount.objects.create(
        workspace=workspace_a,
        network="x",
        handle="@endet",
        connected_at=timezone.now(),
        token_expires_at=timezone.now() + timedelta(hours=1, minutes=30),
    )
    store_credentials(ending, {"access_token": "at"})
    html = accounts_page(alice_client, workspace_a)
    rows = {
        handle: row
        for row in html.split("<tr>")[2:]
        for handle in ("@nie", "@erneuert", "@endet")
        if handle in row
    }
    assert "Never connected: posted by reminder until you connect it" in rows["@nie"]
    assert connect_page(workspace_a) in rows["@nie"] and "by reminder" in rows["@nie"]
    assert "connected" in rows["@erneuert"] and "access expires" not in rows["@erneuert"]
    assert "automatically" in rows["@erneuert"]
    assert "access expires in 1 hour" in rows["@endet"]
    assert never.publishes_automatically is False


def test_a_declined_authorisation_is_said_on_the_accounts_page(alice_client, workspace_a, x):
    query = start(alice_client, workspace_a)
    response, said = callback(alice_client, error="access_denied", state=query["state"][0])
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    assert said == ["The X account was not connected: the authorisation was declined."]
    assert not SocialAccount.objects.exists() and x.requests == []


def test_an_unknown_state_connects_nothing(alice_client, x):
    response, said = callback(alice_client, code="c", state="forged")
    assert response["Location"] == reverse("home")
    assert said == ["This sign-in with X is unknown or was already used. Please start again."]
    assert x.requests == []


def test_a_member_without_the_permission_cannot_start(client, bob, workspace_a, x):
    client.force_login(bob)  # an editor
    assert client.get(connect_page(workspace_a)).status_code == 403
    assert client.post(connect_page(workspace_a)).status_code == 403


def test_another_workspace_is_not_found(alice_client, workspace_b, x):
    assert alice_client.get(connect_page(workspace_b)).status_code == 404


def test_the_callback_takes_only_get(alice_client, x):
    assert alice_client.post(CALLBACK, {"code": "c", "state": "s"}).status_code == 405


def test_the_callback_asks_a_signed_out_visitor_to_sign_in(client, x):
    response = client.get(CALLBACK, {"code": "c", "state": "s"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_connect_page_speaks_german_with_and_without_an_x_app(
    client, alice, workspace_a, x, settings
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Weiter zu X" in page and "Verbundene Apps" in page
    settings.X_CLIENT_ID = ""
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Umgebungsvariablen <code>X_CLIENT_ID</code>" in page
    assert "Callback-Adresse" in page and "Weiter zu X" not in page
