"""Connecting Facebook Pages and Instagram professional accounts through the actions (no
page offers it yet): the sign-in's state (no PKCE, see actions.py), the code and the
long-lived exchange, the granted permissions, the Pages with their tokens and linked
Instagram accounts against the fake Graph API with captured answers, what is stored, and
every refusal."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from townsquare.audit.models import AuditEvent
from townsquare.networks.connecting import ConnectRefused
from townsquare.networks.credentials import credentials_for
from townsquare.networks.meta import payloads
from townsquare.networks.meta.actions import (
    SESSION_KEY,
    do_finish_meta_connect,
    do_start_meta_connect,
)
from townsquare.networks.meta.client import GraphClient
from townsquare.networks.meta.tests.fake_meta import IG, NOW, PAGE, answer, connect_flow
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2.tokens import OAuthApp

pytestmark = pytest.mark.django_db

CALLBACK = "https://townsquare.example/connect/meta/callback/"


def app(network: str = "facebook_page") -> OAuthApp:
    return OAuthApp(
        authorize_url=payloads.authorize_url(payloads.API_VERSION),
        token_url=payloads.token_url(payloads.API_VERSION),
        client_id="1234567890123",
        client_secret="app-secret",
        redirect_uri=CALLBACK,
        scopes=payloads.INSTAGRAM_SCOPES if network == "instagram" else payloads.PAGE_SCOPES,
        client_auth="form",
    )


@pytest.fixture
def meta():
    fake = connect_flow()
    yield fake
    assert fake.invalid == []


def start(membership, session, **kwargs) -> dict[str, list[str]]:
    network = kwargs.get("network", "facebook_page")
    url = do_start_meta_connect(
        membership, session, redirect_uri=CALLBACK, language="de", app=app(network), **kwargs
    )
    target = urlsplit(url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        f"https://www.facebook.com/{payloads.API_VERSION}/dialog/oauth"
    )
    return parse_qs(target.query)


def finish(user, session, meta, network="facebook_page", **params):
    connector = GraphClient(
        transport=__import__("httpx").MockTransport(meta),
        clock=lambda: NOW,
        version=payloads.API_VERSION,
    )
    return do_finish_meta_connect(
        user, session, params, redirect_uri=CALLBACK, connector=connector, app=app(network)
    )


def test_connecting_adds_every_page_with_its_never_expiring_page_token(alice, membership, meta):
    session: dict = {}
    query = start(membership, session)
    assert query["scope"] == [" ".join(payloads.PAGE_SCOPES)]
    assert "code_challenge" not in query and query["response_type"] == ["code"]
    accounts = finish(alice, session, meta, code="the-code", state=query["state"][0])

    code_exchange, long_lived = meta.sent("GET /oauth/access_token")
    assert code_exchange.url.params["code"] == "the-code"
    assert code_exchange.url.params["redirect_uri"] == CALLBACK
    assert long_lived.url.params["grant_type"] == "fb_exchange_token"
    assert long_lived.url.params["fb_exchange_token"] == "EAAshort"
    assert meta.sent("GET /me/accounts")[0].headers["Authorization"] == "Bearer EAAlonglived"
    assert [a.handle for a in accounts] == ["townsquarecoffee", "556677889900112"]
    page = accounts[0]
    assert page.display_name == "Townsquare Coffee" and page.language == "de"
    assert page.token_expires_at is None and not page.needs_reconnect
    creds = credentials_for(page)
    assert creds.access_token == "EAApage1" and creds.extra["page_id"] == PAGE
    assert AuditEvent.objects.filter(action="account.connect").count() == 2
    assert session[SESSION_KEY] == []


def test_instagram_accounts_come_through_their_page(alice, membership, meta):
    session: dict = {}
    query = start(membership, session, network="instagram")
    (account,) = finish(
        alice, session, meta, network="instagram", code="c", state=query["state"][0]
    )
    assert account.network == "instagram" and account.handle == "townsquare.coffee"
    creds = credentials_for(account)
    assert creds.extra == {"page_id": PAGE, "ig_user_id": IG} and creds.access_token == "EAApage1"


def test_a_page_without_instagram_is_refused_plainly(alice, membership, meta):
    session: dict = {}
    query = start(membership, session, network="instagram", page_id="556677889900112")
    with pytest.raises(ConnectRefused) as refused:
        finish(alice, session, meta, network="instagram", code="c", state=query["state"][0])
    assert refused.value.code == "no_instagram" and not SocialAccount.objects.exists()


def test_reconnecting_keeps_the_account(alice, membership, workspace_a, meta):
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="facebook_page", handle="TownsquareCoffee"
    )
    session: dict = {}
    query = start(membership, session, page_id=PAGE)
    (first,) = finish(alice, session, meta, code="c", state=query["state"][0])
    assert first.pk == by_hand.pk
    meta.routes["GET /oauth/access_token"] = [
        answer("oauth_code__ok_200.json"),
        answer("oauth_long_lived__ok_200.json"),
    ]
    query = start(membership, session, page_id=PAGE)
    (again,) = finish(alice, session, meta, code="c", state=query["state"][0])
    assert again.pk == first.pk


def test_a_declined_permission_is_named_and_nothing_is_stored(alice, membership, meta):
    meta.routes["GET /me/permissions"] = answer("permissions__declined_200.json")
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as refused:
        finish(alice, session, meta, code="c", state=query["state"][0])
    assert refused.value.code == "scope_missing"
    assert "pages_manage_posts" in refused.value.message and "App Review" in refused.value.message
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize(
    ("route", "fixture", "code"),
    [
        ("GET /oauth/access_token", "oauth_code__invalid_400.json", "token_refused"),
        ("GET /me/accounts", "error__expired_token_400.json", "token_refused"),
        ("GET /me/accounts", "error__server_500.json", "unreachable"),
        ("GET /me/accounts", "error__html_502.json", "unreachable"),
    ],
)
def test_refusals_and_failures_of_meta_are_said_plainly(
    alice, membership, meta, route, fixture, code
):
    if route == "GET /oauth/access_token":
        meta.routes[route] = [answer(fixture)]
    else:
        meta.routes[route] = answer(fixture)
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as refused:
        finish(alice, session, meta, code="c", state=query["state"][0])
    assert refused.value.code == code and not SocialAccount.objects.exists()


def test_a_declined_authorisation_and_a_used_state_are_refused(alice, membership, meta):
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as declined:
        finish(alice, session, meta, error="access_denied", state=query["state"][0])
    assert declined.value.code == "access_denied"
    with pytest.raises(ConnectRefused) as used:
        finish(alice, session, meta, code="c", state=query["state"][0])
    assert used.value.code == "state_unknown"


def test_bad_input_when_starting_and_an_installation_without_a_meta_app(membership, settings):
    from townsquare.lib.errors import ActionError

    with pytest.raises(ActionError) as bad_page:
        do_start_meta_connect(membership, {}, redirect_uri=CALLBACK, page_id="../me", app=app())
    assert bad_page.value.code == "bad_page"
    with pytest.raises(ActionError) as bad_network:
        do_start_meta_connect(membership, {}, redirect_uri=CALLBACK, network="threads", app=app())
    assert bad_network.value.code == "bad_network"
    settings.META_APP_ID = ""
    with pytest.raises(ActionError) as no_app:
        do_start_meta_connect(membership, {}, redirect_uri=CALLBACK)
    assert no_app.value.code == "no_app"


def test_the_installation_s_app_and_version_settings(settings):
    from townsquare.networks.meta.client import configured_app, configured_version

    settings.META_APP_ID, settings.META_APP_SECRET = "1234567890123", "s"
    settings.META_GRAPH_API_VERSION = "v25.0"
    assert configured_version() == "v25.0"
    chosen = configured_app(CALLBACK, network="instagram")
    assert chosen.authorize_url == "https://www.facebook.com/v25.0/dialog/oauth"
    assert chosen.scopes == payloads.INSTAGRAM_SCOPES and chosen.client_auth == "form"
    settings.META_GRAPH_API_VERSION = "v20.0"  # retired: the pinned version is used instead
    assert configured_version() == payloads.API_VERSION
