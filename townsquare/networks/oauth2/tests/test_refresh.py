"""The refresh policy: before expiry, transient failures later, one forced refresh on 401."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from townsquare.networks.base import Credentials, Reauth, RetryLater
from townsquare.networks.oauth2 import refresh
from townsquare.networks.oauth2.tokens import TokenSet

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CREDS = Credentials(
    account_id=1,
    network="x",
    handle="@kaffeehaus",
    access_token="old",
    refresh_token="rt-old",
    expires_at=NOW + timedelta(hours=1),
)


class Renewer:
    def __init__(self, *errors: Exception) -> None:
        self.calls = 0
        self.errors = list(errors)

    def __call__(self, creds: Credentials) -> Credentials:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return dataclasses.replace(creds, access_token=f"new{self.calls}")


def test_a_token_lasting_beyond_the_margin_is_used_as_it_is():
    renew = Renewer()
    assert refresh.refresh_if_needed(CREDS, NOW, renew) is CREDS and renew.calls == 0


@pytest.mark.parametrize("left", [timedelta(minutes=4), timedelta(0), timedelta(hours=-3)])
def test_a_token_expiring_within_the_margin_or_expired_is_refreshed_first(left):
    renew = Renewer()
    creds = dataclasses.replace(CREDS, expires_at=NOW + left)
    assert refresh.refresh_if_needed(creds, NOW, renew).access_token == "new1"


def test_a_token_without_expiry_is_never_refreshed_ahead():
    creds = dataclasses.replace(CREDS, expires_at=None)
    assert refresh.refresh_if_needed(creds, NOW, Renewer()) is creds


def test_an_expired_token_without_a_refresh_token_needs_a_reconnect():
    creds = dataclasses.replace(CREDS, expires_at=NOW, refresh_token="")
    with pytest.raises(Reauth):
        refresh.refresh_if_needed(creds, NOW, Renewer())


def test_a_transient_refresh_failure_stays_retry_later():
    creds = dataclasses.replace(CREDS, expires_at=NOW)
    with pytest.raises(RetryLater) as later:
        refresh.refresh_if_needed(creds, NOW, Renewer(RetryLater("busy", after=30)))
    assert later.value.after == 30


def test_a_401_gets_one_forced_refresh_and_one_retry():
    renew = Renewer()
    used: list[str] = []

    def call(creds: Credentials) -> str:
        used.append(creds.access_token)
        if creds.access_token == "old":
            raise refresh.TokenRejected("Unauthorized")
        return "posted"

    assert refresh.call_with_refresh(CREDS, call, renew) == "posted"
    assert used == ["old", "new1"] and renew.calls == 1


def test_a_second_401_after_the_refresh_is_reauth_and_nothing_more_is_tried():
    renew = Renewer()
    calls: list[str] = []

    def call(creds: Credentials) -> str:
        calls.append(creds.access_token)
        raise refresh.TokenRejected("Unauthorized", detail="HTTP 401")

    with pytest.raises(Reauth) as refused:
        refresh.call_with_refresh(CREDS, call, renew)
    assert not isinstance(refused.value, refresh.TokenRejected)
    assert calls == ["old", "new1"] and renew.calls == 1


def test_a_401_without_a_refresh_token_is_reauth_at_once():
    creds = dataclasses.replace(CREDS, refresh_token="")

    def call(creds: Credentials) -> str:
        raise refresh.TokenRejected("Unauthorized")

    with pytest.raises(Reauth):
        refresh.call_with_refresh(creds, call, Renewer())


def test_a_transient_failure_of_the_forced_refresh_is_retry_later():
    def call(creds: Credentials) -> str:
        raise refresh.TokenRejected("Unauthorized")

    with pytest.raises(RetryLater):
        refresh.call_with_refresh(CREDS, call, Renewer(RetryLater("timeout")))


def test_new_tokens_keep_the_old_refresh_token_when_none_came_with_them():
    renewed = refresh.credentials_with(
        CREDS, TokenSet(access_token="a2", expires_at=NOW + timedelta(hours=2))
    )
    assert (renewed.access_token, renewed.refresh_token) == ("a2", "rt-old")
    assert renewed.expires_at == NOW + timedelta(hours=2)
    rotated = refresh.credentials_with(CREDS, TokenSet(access_token="a3", refresh_token="rt-new"))
    assert rotated.refresh_token == "rt-new"
