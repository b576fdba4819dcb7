"""Connecting a Threads profile through the actions (no page offers it yet): the sign-in's
state, the code exchanged for a short-lived token and that one for a long-lived token, the
profile, what is stored, every refusal, and renewing the long-lived token with
th_refresh_token before it expires."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied

from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.networks.base import VariantToPublish
from townsquare.networks.connecting import ConnectRefused
from townsquare.networks.credentials import credentials_for, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.threads import payloads
from townsquare.networks.threads.actions import (
    SESSION_KEY,
    do_finish_threads_connect,
    do_start_threads_connect,
)
from townsquare.networks.threads.client import threads_app
from townsquare.networks.threads.tests.fake_threads import (
    NOW,
    USER,
    FakeThreads,
    V,
    answer,
    values_of,
)
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

CALLBACK = "https://townsquare.example/connect/threads/callback/"
APP = threads_app("990602627938098", "app-secret", CALLBACK)


@pytest.fixture
def th():
    fake = FakeThreads(
        {
            "POST /oauth/access_token": answer("oauth_access_token__ok_200.json"),
            "GET /access_token": answer("long_lived_token__ok_200.json"),
            "GET /refresh_access_token": answer("refresh_token__ok_200.json"),
            f"GET {V}/me": answer("me__ok_200.json"),
        }
    )
    yield fake
    assert fake.invalid == []


def start(membership, session) -> dict[str, list[str]]:
    url = do_start_threads_connect(
        membership, session, redirect_uri=CALLBACK, language="de", app=APP
    )
    target = urlsplit(url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == payloads.AUTHORIZE_URL
    return parse_qs(target.query)


def finish(user, session, th, **params):
    return do_finish_threads_connect(
        user, session, params, redirect_uri=CALLBACK, connector=th.connector(), app=APP
    )


def test_connecting_exchanges_the_code_for_a_long_lived_token(alice, membership, th):
    session: dict = {}
    query = start(membership, session)
    assert query["scope"] == [",".join(payloads.SCOPES)]
    assert query["response_type"] == ["code"] and query["client_id"] == ["990602627938098"]
    assert "code_challenge" not in query
    account = finish(alice, session, th, code="the-code#_", state=query["state"][0])

    form = values_of(th.sent("POST /oauth/access_token")[0])
    assert form["grant_type"] == "authorization_code" and form["code"] == "the-code"
    assert form["client_secret"] == "app-secret" and form["redirect_uri"] == CALLBACK
    exchange = values_of(th.sent("GET /access_token")[0])
    assert exchange == {
        "grant_type": "th_exchange_token",
        "client_secret": "app-secret",
        "access_token": "THQVJshortlived1",
    }
    assert account.network == "threads" and account.handle == "townsquare_cafe"
    assert account.display_name == "Townsquare Café" and account.language == "de"
    creds = credentials_for(account)
    assert creds.access_token == "THQVJlonglived1" == creds.refresh_token
    assert creds.extra["user_id"] == USER
    assert account.token_expires_at is not None
    assert account.token_expires_at - account.connected_at > timedelta(days=59)
    assert AuditEvent.objects.filter(action="account.connect").count() == 1
    assert session[SESSION_KEY] == []


def test_reconnecting_keeps_the_account(alice, membership, workspace_a, th):
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="threads", handle="Townsquare_Cafe"
    )
    session: dict = {}
    first = finish(alice, session, th, code="c", state=start(membership, session)["state"][0])
    assert first.pk == by_hand.pk
    th.routes[f"GET {V}/me"] = answer("me__ok_200.json", body={"id": USER, "username": "renamed"})
    again = finish(alice, session, th, code="c", state=start(membership, session)["state"][0])
    assert again.pk == first.pk and again.handle == "renamed"


@pytest.mark.parametrize(
    ("route", "fixture", "code"),
    [
        ("POST /oauth/access_token", "oauth_access_token__invalid_code_400.json", "token_refused"),
        ("GET /access_token", "error__expired_token_400.json", "token_refused"),
        ("GET /access_token", "error__html_502.json", "unreachable"),
        (f"GET {V}/me", "error__server_500.json", "unreachable"),
    ],
)
def test_refusals_and_failures_are_said_plainly(alice, membership, th, route, fixture, code):
    th.routes[route] = answer(fixture)
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as refused:
        finish(alice, session, th, code="c", state=query["state"][0])
    assert refused.value.code == code and not SocialAccount.objects.exists()


def test_a_declined_authorisation_and_another_user_are_refused(alice, bob, membership, th):
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as declined:
        finish(alice, session, th, error="access_denied", state=query["state"][0])
    assert declined.value.code == "access_denied"
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as stranger:
        finish(bob, session, th, code="c", state=query["state"][0])
    assert stranger.value.code == "not_allowed" and th.requests == []


def test_only_people_who_may_connect_accounts_can_start(bob, workspace_a):
    editor = Membership.objects.get(user=bob, workspace=workspace_a)
    with pytest.raises(PermissionDenied):
        do_start_threads_connect(editor, {}, redirect_uri=CALLBACK, app=APP)


def test_the_long_lived_token_is_renewed_before_expiry_and_stored(workspace_a, th):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="threads", handle="townsquare_cafe", token_expires_at=NOW
    )
    store_credentials(
        account,
        {
            "access_token": "THQVJold",
            "refresh_token": "THQVJold",
            "expires_at": (NOW + timedelta(days=2)).isoformat(),
            "extra": {"user_id": USER},
        },
    )
    th.routes[f"POST {V}/{USER}/threads"] = answer("threads_create__ok_200.json")
    th.routes[f"POST {V}/{USER}/threads_publish"] = answer("threads_publish__ok_200.json")
    variant = VariantToPublish(
        variant_id=1, account_id=account.pk, network="threads", parts=("Hallo",)
    )
    th.connector().publish(credentials_for(account), variant, "k")
    assert values_of(th.sent("GET /refresh_access_token")[0]) == {
        "grant_type": "th_refresh_token",
        "access_token": "THQVJold",
    }
    assert values_of(th.sent(f"POST {V}/{USER}/threads")[0])["access_token"] == "THQVJrenewed2"
    account.refresh_from_db()
    stored = credentials_for(account)
    assert stored.access_token == "THQVJrenewed2" == stored.refresh_token
    assert account.token_expires_at is not None and account.token_expires_at > NOW + timedelta(
        days=59
    )


def test_the_app_and_the_version_come_from_the_settings(settings, membership):
    from townsquare.networks.threads.client import configured_app, configured_version

    settings.THREADS_APP_ID = ""
    with pytest.raises(ActionError) as missing:
        do_start_threads_connect(membership, {}, redirect_uri=CALLBACK)
    assert missing.value.code == "no_app"
    settings.THREADS_APP_ID, settings.THREADS_APP_SECRET = "990602627938098", "s"
    app = configured_app(CALLBACK)
    assert app.client_auth == "form" and app.scopes == payloads.SCOPES
    settings.THREADS_API_VERSION = "v1.1"
    assert configured_version() == "v1.1"
    settings.THREADS_API_VERSION = "latest"
    assert configured_version() == payloads.API_VERSION
