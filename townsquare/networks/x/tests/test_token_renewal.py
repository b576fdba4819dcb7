"""Renewing an X account's token for real: the refresh request goes to X's token endpoint
(the fake answers with the captured token answer), the new tokens are stored at once
(X's refresh tokens work once), and a worker that finds them renewed uses them."""

from __future__ import annotations

import base64
import dataclasses
from datetime import timedelta
from urllib.parse import parse_qs

import pytest

from townsquare.networks.base import Reauth, VariantToPublish
from townsquare.networks.credentials import credentials_for, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2.tokens import OAuthApp
from townsquare.networks.refreshed_tokens import renew_and_store
from townsquare.networks.x import payloads
from townsquare.networks.x.tests.fake_x import NOW, FakeX, answer, captured

pytestmark = pytest.mark.django_db

APP = OAuthApp(
    authorize_url=payloads.AUTHORIZE_URL,
    token_url=payloads.TOKEN_URL,
    client_id="rG9n6402A3dbUJKzXTNX4oWHJ",
    client_secret="app-secret",
    redirect_uri="",
    scopes=payloads.SCOPES,
)
TOKEN = captured("oauth2_token__ok_200.json")["body"]


@pytest.fixture
def account(workspace_a):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="x", handle="@kaffeehaus", token_expires_at=NOW
    )
    store_credentials(
        account,
        {
            "access_token": "at-old",
            "refresh_token": "rt-old",
            "expires_at": (NOW + timedelta(minutes=1)).isoformat(),
            "extra": {"user_id": "2244994945"},
        },
    )
    return account


def post(creds):
    return VariantToPublish(variant_id=1, account_id=creds.account_id, network="x", parts=("Hi",))


def test_an_expiring_token_is_renewed_stored_and_used(account):
    fake = FakeX(
        {
            "POST /2/oauth2/token": answer("oauth2_token__ok_200.json"),
            "POST /2/tweets": answer("tweets_create__ok_201.json"),
        }
    )
    fake.connector(app=APP).publish(credentials_for(account), post(credentials_for(account)), "k")

    token_request = fake.sent("POST /2/oauth2/token")[0]
    assert parse_qs(token_request.content.decode()) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["rt-old"],
    }
    basic = token_request.headers["Authorization"].removeprefix("Basic ")
    assert base64.b64decode(basic).decode() == "rG9n6402A3dbUJKzXTNX4oWHJ:app-secret"
    assert fake.sent("POST /2/tweets")[0].headers["Authorization"] == (
        f"Bearer {TOKEN['access_token']}"
    )
    account.refresh_from_db()
    stored = credentials_for(account)
    assert (stored.access_token, stored.refresh_token) == (
        TOKEN["access_token"],
        TOKEN["refresh_token"],
    )
    assert stored.extra["user_id"] == "2244994945"
    assert account.token_expires_at == NOW + timedelta(seconds=7200) == stored.expires_at
    assert fake.invalid == []


def test_a_refresh_token_x_no_longer_takes_means_connect_again_and_keeps_what_was_stored(
    account,
):
    fake = FakeX({"POST /2/oauth2/token": answer("oauth2_token__invalid_request_400.json")})
    with pytest.raises(Reauth):
        fake.connector(app=APP).publish(
            credentials_for(account), post(credentials_for(account)), "k"
        )
    assert fake.sent("POST /2/tweets") == []
    account.refresh_from_db()
    assert credentials_for(account).refresh_token == "rt-old"


def test_a_token_another_worker_renewed_meanwhile_is_used_without_renewing_again(account):
    mine = credentials_for(account)
    store_credentials(
        account,
        {
            "access_token": "at-theirs",
            "refresh_token": "rt-theirs",
            "expires_at": (NOW + timedelta(hours=2)).isoformat(),
        },
    )
    asked: list[str] = []

    def renew(refresh_token: str):
        asked.append(refresh_token)
        raise AssertionError("renewed twice")

    current = renew_and_store(mine, renew, now=NOW)
    assert current.access_token == "at-theirs" and asked == []


def test_an_account_removed_meanwhile_cannot_be_renewed(account):
    creds = dataclasses.replace(credentials_for(account), account_id=account.pk + 1000)
    with pytest.raises(Reauth):
        renew_and_store(creds, lambda token: pytest.fail("renewed"), now=NOW)
