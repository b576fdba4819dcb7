"""META_PRIVATE_REPLIES: connecting asks Meta for the messaging permission of the kind
connected (pages_messaging, instagram_manage_messages) only while the setting is on, never
requires it, and records on each account whether Meta reports it granted (GET
/me/permissions, developers.facebook.com/docs/graph-api/reference/user/permissions/ -- the
captured permissions__ok_200.json with the permission added)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from townsquare.networks.credentials import credentials_for
from townsquare.networks.meta import payloads
from townsquare.networks.meta.actions import do_finish_meta_connect, do_start_meta_connect
from townsquare.networks.meta.client import GraphClient
from townsquare.networks.meta.tests.fake_meta import NOW, answer, connect_flow

pytestmark = pytest.mark.django_db

CALLBACK = "https://townsquare.example/connect/meta/callback/"


def _permissions(*extra: str) -> httpx.Response:
    granted = json.loads(answer("permissions__ok_200.json").content)
    granted["data"] += [{"permission": name, "status": "granted"} for name in extra]
    return answer("permissions__ok_200.json", body=granted)


@pytest.fixture
def meta(settings):
    settings.META_APP_ID, settings.META_APP_SECRET = "1234567890123", "app-secret"
    settings.META_GRAPH_API_VERSION = ""
    settings.META_WEBHOOK_VERIFY_TOKEN = ""
    fake = connect_flow()
    yield fake
    assert fake.invalid == []


def _connect(user, membership, meta, network="facebook_page"):
    session: dict = {}
    url = do_start_meta_connect(membership, session, redirect_uri=CALLBACK, network=network)
    query = parse_qs(urlsplit(url).query)
    connector = GraphClient(
        transport=httpx.MockTransport(meta), clock=lambda: NOW, version=payloads.API_VERSION
    )
    accounts = do_finish_meta_connect(
        user,
        session,
        {"code": "c", "state": query["state"][0]},
        redirect_uri=CALLBACK,
        connector=connector,
    )
    return query["scope"][0].split(" "), accounts


def test_with_the_setting_off_nothing_more_is_asked_and_nothing_recorded(
    alice, membership, meta, settings
):
    settings.META_PRIVATE_REPLIES = False
    scopes, accounts = _connect(alice, membership, meta)
    assert "pages_messaging" not in scopes and "instagram_manage_messages" not in scopes
    assert all(not payloads.private_replies_permitted(credentials_for(a).extra) for a in accounts)


def test_with_the_setting_on_a_page_asks_for_pages_messaging_and_records_it(
    alice, membership, meta, settings
):
    settings.META_PRIVATE_REPLIES = True
    meta.routes["GET /me/permissions"] = _permissions("pages_messaging")
    scopes, accounts = _connect(alice, membership, meta)
    assert "pages_messaging" in scopes and "instagram_manage_messages" not in scopes
    assert len(accounts) == 2
    for account in accounts:
        assert credentials_for(account).extra[payloads.PRIVATE_REPLY_EXTRA] == "granted"


def test_declining_the_messaging_permission_still_connects_without_it(
    alice, membership, meta, settings
):
    settings.META_PRIVATE_REPLIES = True
    scopes, accounts = _connect(alice, membership, meta)
    assert "pages_messaging" in scopes and len(accounts) == 2
    assert all(not payloads.private_replies_permitted(credentials_for(a).extra) for a in accounts)


def test_instagram_asks_for_instagram_manage_messages(alice, membership, meta, settings):
    settings.META_PRIVATE_REPLIES = True
    # pages_messaging alone does not let an Instagram account answer in Direct.
    meta.routes["GET /me/permissions"] = _permissions("pages_messaging")
    scopes, (account,) = _connect(alice, membership, meta, network="instagram")
    assert "instagram_manage_messages" in scopes and "pages_messaging" not in scopes
    assert not payloads.private_replies_permitted(credentials_for(account).extra)
    meta.routes["GET /oauth/access_token"] = [
        answer("oauth_code__ok_200.json"),
        answer("oauth_long_lived__ok_200.json"),
    ]
    meta.routes["GET /me/permissions"] = _permissions("instagram_manage_messages")
    _scopes, (again,) = _connect(alice, membership, meta, network="instagram")
    assert again.pk == account.pk
    assert payloads.private_replies_permitted(credentials_for(again).extra)
