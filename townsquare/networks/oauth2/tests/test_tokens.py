"""Token requests as values and the token endpoint's answers as tokens or errors.

Answers follow RFC 6749 5.1 (success) and 5.2 (errors); X's shapes are from
docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token (token_type "bearer",
expires_in 7200, scope as a space-separated list).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from townsquare.networks.base import Reauth, RetryLater, UnreadableAnswer
from townsquare.networks.oauth2 import tokens
from townsquare.networks.oauth2.client import send_token_request

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
APP = tokens.OAuthApp(
    authorize_url="https://x.com/i/oauth2/authorize",
    token_url="https://api.x.com/2/oauth2/token",
    client_id="rG9n6402A3dbUJKzXTNX4oWHJ",
    client_secret="s3cr:et",
    redirect_uri="https://townsquare.example/connect/x/callback/",
    scopes=("tweet.read", "offline.access"),
)


def test_the_authorization_url_carries_client_scopes_state_and_the_s256_challenge():
    url = urlsplit(tokens.authorization_url(APP, "the-state", "the-challenge"))
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == APP.authorize_url
    assert query["scope"] == ["tweet.read offline.access"]
    assert "%20" in url.query and "+" not in url.query
    assert query["state"] == ["the-state"] and query["response_type"] == ["code"]
    assert query["code_challenge"] == ["the-challenge"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [APP.redirect_uri]


def test_a_confidential_client_proves_itself_with_basic_auth_and_sends_the_verifier():
    request = tokens.code_exchange_request(APP, "the-code", "the-verifier")
    assert request.form == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": APP.redirect_uri,
        "code_verifier": "the-verifier",
    }
    scheme, _, encoded = request.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == "rG9n6402A3dbUJKzXTNX4oWHJ:s3cr%3Aet"
    assert "s3cr" not in repr(request)


def test_a_public_client_or_one_that_posts_its_secret_puts_the_client_in_the_form():
    public = tokens.OAuthApp(**{**_fields(APP), "client_secret": ""})
    assert tokens.refresh_request(public, "rt").form == {
        "grant_type": "refresh_token",
        "refresh_token": "rt",
        "client_id": APP.client_id,
    }
    in_form = tokens.OAuthApp(**{**_fields(APP), "client_auth": "form"})
    request = tokens.refresh_request(in_form, "rt")
    assert request.form["client_secret"] == "s3cr:et" and "Authorization" not in request.headers


def test_a_granted_token_has_its_expiry_refresh_token_and_scopes():
    body = {
        "token_type": "bearer",
        "expires_in": 7200,
        "access_token": "at-1",
        "scope": "tweet.read offline.access",
        "refresh_token": "rt-1",
    }
    granted = tokens.parse_token_answer(200, {}, json.dumps(body).encode(), now=NOW)
    assert granted.access_token == "at-1" and granted.refresh_token == "rt-1"
    assert granted.expires_at == NOW + timedelta(hours=2)
    assert granted.missing(["tweet.read", "tweet.write"]) == ("tweet.write",)
    assert "at-1" not in repr(granted)


def test_without_a_scope_field_the_requested_scopes_count_as_granted_and_no_expiry_is_none():
    granted = tokens.parse_token_answer(
        200, {}, b'{"access_token": "a", "expires_in": "never"}', now=NOW, requested=["a.b"]
    )
    assert granted.scopes == {"a.b"} and granted.expires_at is None and granted.refresh_token == ""


@pytest.mark.parametrize(
    "body",
    [
        b'{"error": "invalid_grant", "error_description": "Refresh token expired"}',
        # X's answer to a refresh token that was already used (rotated) or revoked.
        b'{"error": "invalid_request", "error_description": "Value passed for the token '
        b'was invalid."}',
    ],
)
def test_a_refused_grant_means_connect_again(body):
    with pytest.raises(Reauth) as refused:
        tokens.parse_token_answer(400, {}, body, now=NOW)
    assert "token" in refused.value.message.lower()


def test_a_refused_client_says_the_installation_must_be_fixed():
    with pytest.raises(Reauth, match="administrator"):
        tokens.parse_token_answer(401, {}, b'{"error": "invalid_client"}', now=NOW)


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (429, {"x-rate-limit-reset": str(int(NOW.timestamp()) + 90)}, b"{}"),
        (503, {}, b'{"title": "Service Unavailable"}'),
        (502, {}, b"<html><body>Bad gateway</body></html>"),
    ],
)
def test_a_busy_or_broken_sign_in_service_is_tried_again_later_never_a_reconnect(
    status, headers, body
):
    with pytest.raises(RetryLater) as later:
        tokens.parse_token_answer(status, headers, body, now=NOW)
    assert not isinstance(later.value, Reauth)


@pytest.mark.parametrize("body", [b"<html>", b'{"access_token": ', b"[]", b'{"token": "x"}'])
def test_an_unreadable_or_tokenless_success_is_an_unreadable_answer(body):
    with pytest.raises(UnreadableAnswer):
        tokens.parse_token_answer(200, {}, body, now=NOW)


def test_sending_posts_the_form_and_a_timeout_is_retry_later():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "at", "refresh_token": "rt2"})

    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        granted = send_token_request(http, tokens.refresh_request(APP, "rt1"), now=NOW)
    assert granted.refresh_token == "rt2"
    assert parse_qs(seen[0].content.decode()) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["rt1"],
    }
    assert seen[0].headers["content-type"] == "application/x-www-form-urlencoded"

    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with httpx.Client(transport=httpx.MockTransport(hang)) as http, pytest.raises(RetryLater):
        send_token_request(http, tokens.refresh_request(APP, "rt1"), now=NOW)


def _fields(app: tokens.OAuthApp) -> dict:
    return {name: getattr(app, name) for name in tokens.OAuthApp.__dataclass_fields__}
