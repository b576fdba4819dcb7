"""Requests to Meta's Threads API as one account, signing in, and renewing the token.

Every call goes through `_call`: the pinned version in the path, the access token as the
`access_token` parameter (as every example of Meta's reference passes it), the token renewed
ahead of its expiry, and an expired token (Graph error 190) answered with one forced renewal
and one retry before the account must be connected again (networks/oauth2/refresh.py).

Threads has no refresh token: a long-lived token (60 days) renews *itself* with
`th_refresh_token` while it is valid and at least 24 hours old. So Townsquare stores the
long-lived token also as the account's refresh token; the shared renewal (one worker at a
time, networks/refreshed_tokens.py) then works unchanged, and renewing sends it to
`GET /refresh_access_token`. Renewal starts `RENEW_AHEAD` before expiry, and a renewal that
fails for a while (timeout, 5xx) leaves the still-valid token in use instead of failing the
post: a token that lapses cannot be renewed any more, so the margin is wide.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx

from townsquare.lib.http import UnsafeTarget, outbound_client
from townsquare.networks.base import Credentials, Reauth, RetryLater
from townsquare.networks.guarded_requests import classified_request
from townsquare.networks.http_errors import error_for_exception
from townsquare.networks.oauth2.refresh import call_with_refresh, needs_refresh
from townsquare.networks.oauth2.tokens import (
    OAuthApp,
    TokenSet,
    code_exchange_request,
    parse_token_answer,
)
from townsquare.networks.threads import payloads

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 20.0
# Renew this long before expiry: a daily job (or any call) in that stretch renews it, and a
# few failed attempts still leave days before the token can no longer be renewed.
RENEW_AHEAD = timedelta(days=7)

Renewer = Callable[[Credentials], Credentials]


class ThreadsClient:
    """The transport half of the Threads connector (connector.py adds what it does)."""

    network = "threads"

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        app: OAuthApp | None = None,
        renew: Renewer | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        version: str = "",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = outbound_client(
            timeout=httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            headers={"Accept": "application/json"},
            transport=transport,
        )
        self._app = app
        self._renew = renew or self._renew_and_store
        self._now = clock
        self._version = version or configured_version()
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    # --- requests as the account ------------------------------------------------------------

    def _call(
        self,
        creds: Credentials,
        method: str,
        path: str,
        *,
        idempotent: bool,
        params: Mapping[str, str] | None = None,
        needs: str = "threads_basic",
    ) -> dict[str, Any]:
        """Threads' JSON answer to a request (errors are raised classified)."""
        if not creds.access_token and not creds.refresh_token:
            # Never connected (a profile added by hand): nothing to send Threads, not even
            # a request it would refuse.
            raise Reauth("The Threads profile is not connected; connect it on the accounts page.")
        current = self._current(creds)

        def send(with_creds: Credentials) -> dict[str, Any]:
            return self._send(with_creds, method, path, idempotent, params or {}, needs)

        return call_with_refresh(current, send, self._renew)

    def _current(self, creds: Credentials) -> Credentials:
        """`creds`, renewed first when they expire within `RENEW_AHEAD` (a long-lived token
        is then weeks old, past the 24 hours Meta requires before renewing)."""
        now = self._now()
        expires_at = creds.expires_at
        if expires_at is None or not creds.refresh_token:
            return creds
        if not needs_refresh(creds, now, RENEW_AHEAD):
            return creds
        try:
            return self._renew(creds)
        except RetryLater:
            if expires_at > now + timedelta(minutes=5):
                return creds  # renewal fails for now; the token still works for a while
            raise

    def _send(
        self,
        creds: Credentials,
        method: str,
        path: str,
        idempotent: bool,
        params: Mapping[str, str],
        needs: str,
    ) -> dict[str, Any]:
        values = {**params, "access_token": creds.access_token}
        url = payloads.api_url(path, self._version)
        # Threads takes a write's values in the form body, a read's in the address.
        sent = {"data": values} if method == "POST" else {"params": values}
        response = classified_request(
            self._http,
            "Threads",
            method,
            url,
            idempotent=idempotent,
            error_for=partial(payloads.error_for, needs=needs),
            now=self._now().timestamp(),
            account=creds,
            **sent,
        )
        return payloads.json_body(
            response.content, status=response.status_code, idempotent=idempotent
        )

    @staticmethod
    def user_id(creds: Credentials) -> str:
        user = creds.extra.get("user_id", "")
        if not payloads.is_media_id(user):
            raise Reauth("The Threads account does not say which profile it is.")
        return user

    # --- signing in -----------------------------------------------------------------------

    def sign_in_tokens(self, app: OAuthApp, code: str) -> tuple[TokenSet, str]:
        """The long-lived token for an authorization code (the code gives a short-lived one,
        valid an hour, which is exchanged at once) and the Threads user id."""
        request = code_exchange_request(app, code, verifier="")
        response = self._token_answer("POST", request.url, dict(request.form))
        short = parse_token_answer(
            response.status_code, response.headers, response.content, now=self._now()
        )
        body = payloads.json_body(response.content, status=response.status_code, idempotent=True)
        user_id = str(body.get("user_id") or "")
        long_lived = self._token_request(
            payloads.LONG_LIVED_URL,
            payloads.long_lived_query(app.client_secret, short.access_token),
        )
        return long_lived, user_id

    def renewed_token(self, long_lived_token: str) -> TokenSet:
        """A long-lived token renewed for 60 more days (`th_refresh_token`)."""
        return self._token_request(payloads.REFRESH_URL, payloads.refresh_query(long_lived_token))

    def _token_request(self, url: str, query: dict[str, str]) -> TokenSet:
        response = self._token_answer("GET", url, query)
        tokens = parse_token_answer(
            response.status_code, response.headers, response.content, now=self._now()
        )
        # The renewing credential is the token itself (module docstring).
        return dataclasses.replace(tokens, refresh_token=tokens.access_token)

    def _token_answer(self, method: str, url: str, values: dict[str, str]) -> httpx.Response:
        try:
            if method == "POST":
                return self._http.post(url, data=values)
            return self._http.get(url, params=values)
        except UnsafeTarget as exc:
            raise RetryLater("Threads could not be reached.", detail=str(exc)) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            raise error_for_exception(exc, idempotent=True) from exc

    def _renew_and_store(self, creds: Credentials) -> Credentials:
        from townsquare.networks.refreshed_tokens import renew_and_store

        return renew_and_store(creds, self.renewed_token, now=self._now())


def configured_version() -> str:
    from django.conf import settings

    value = str(getattr(settings, "THREADS_API_VERSION", "") or "")
    return value if value.startswith("v") and len(value) <= 8 else payloads.API_VERSION


def configured_app(redirect_uri: str = "") -> OAuthApp:
    """Townsquare's Threads app from THREADS_APP_ID and THREADS_APP_SECRET (the *Threads*
    app id and secret of the Meta app, not the Facebook ones)."""
    from django.conf import settings

    client_id = str(getattr(settings, "THREADS_APP_ID", "") or "")
    secret = str(getattr(settings, "THREADS_APP_SECRET", "") or "")
    if not client_id or not secret:
        raise Reauth("This installation has no Threads app configured (THREADS_APP_ID).")
    return threads_app(client_id, secret, redirect_uri)


def threads_app(client_id: str, secret: str, redirect_uri: str) -> OAuthApp:
    return OAuthApp(
        authorize_url=payloads.AUTHORIZE_URL,
        token_url=payloads.TOKEN_URL,
        client_id=client_id,
        client_secret=secret,
        redirect_uri=redirect_uri,
        scopes=payloads.SCOPES,
        client_auth="form",  # Threads reads client_id and client_secret from the form
    )
