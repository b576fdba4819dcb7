"""Stored credentials: encrypted, and a reconnect never loses the refresh token."""

import pytest

from townsquare.networks.credentials import credentials_for, read_credentials, store_credentials
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a@b.c")


def test_secrets_are_stored_encrypted(account):
    store_credentials(account, {"access_token": "very-secret-token", "refresh_token": "r-1"})
    account.refresh_from_db()
    assert "very-secret-token" not in account.credentials_encrypted
    assert credentials_for(account).access_token == "very-secret-token"
    assert "very-secret-token" not in repr(credentials_for(account))


def test_a_reconnect_without_a_refresh_token_keeps_the_stored_one(account):
    store_credentials(account, {"access_token": "a-1", "refresh_token": "r-1"})
    store_credentials(account, {"access_token": "a-2"})
    assert read_credentials(account) == {"access_token": "a-2", "refresh_token": "r-1"}
    store_credentials(account, {"access_token": "a-3", "refresh_token": ""})
    assert read_credentials(account)["refresh_token"] == "r-1"


def test_a_new_refresh_token_replaces_the_old_one(account):
    store_credentials(account, {"access_token": "a-1", "refresh_token": "r-1"})
    store_credentials(account, {"access_token": "a-2", "refresh_token": "r-2"})
    assert read_credentials(account)["refresh_token"] == "r-2"
