"""The authorization URL, the token exchange and the refresh request as values, and the
token endpoint's answer parsed into a `TokenSet` or an error with retry meaning.

Building a request and reading its answer are separate from sending it (`client.py`), so
every network's flow is tested without a network. RFC 6749 sections 4.1 and 6; PKCE per
RFC 7636.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import quote, urlencode

from townsquare.networks.base import NetworkError, Reauth, RetryLater, UnreadableAnswer
from townsquare.networks.http_errors import error_for_status, server_message

# Errors of the token endpoint (RFC 6749 5.2) that a new sign-in repairs. X answers a used
# or revoked refresh token with invalid_request, not invalid_grant.
_SIGN_IN_AGAIN = frozenset({"invalid_grant", "invalid_request", "invalid_scope"})
# Errors that mean Townsquare's app registration itself is refused (client id or secret):
# connecting again does not help until the installation's settings are fixed.
_APP_REFUSED = frozenset({"invalid_client", "unauthorized_client", "unsupported_grant_type"})


@dataclass(frozen=True, slots=True)
class OAuthApp:
    """Townsquare's registration at one network's authorization server."""

    authorize_url: str
    token_url: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    client_secret: str = field(default="", repr=False)
    # How a confidential client proves itself at the token endpoint: HTTP Basic (RFC 6749
    # 2.3.1; X requires it) or the secret in the form (Mastodon, LinkedIn). A public client
    # (no secret) sends its client_id in the form either way.
    client_auth: Literal["basic", "form"] = "basic"


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """One POST to the token endpoint: form-encoded, secrets kept out of repr."""

    url: str
    form: Mapping[str, str] = field(repr=False)
    headers: Mapping[str, str] = field(repr=False)


@dataclass(frozen=True, slots=True)
class TokenSet:
    """What the token endpoint granted. `refresh_token` is "" when none came with it;
    `expires_at` is None when the token does not say it expires."""

    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: datetime | None = None
    scopes: frozenset[str] = frozenset()

    def missing(self, wanted: Sequence[str]) -> tuple[str, ...]:
        """The scopes asked for that the person (or the app's settings) did not grant."""
        return tuple(scope for scope in wanted if scope not in self.scopes)


def authorization_url(
    app: OAuthApp, state: str, challenge: str, *, extra: Mapping[str, str] | None = None
) -> str:
    """Where the person's browser goes to allow Townsquare; PKCE S256 when `challenge`."""
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": app.redirect_uri,
        "scope": " ".join(app.scopes),
        "state": state,
    }
    if challenge:
        query.update(code_challenge=challenge, code_challenge_method="S256")
    query.update(extra or {})
    separator = "&" if "?" in app.authorize_url else "?"
    # %20 between scopes, as RFC 6749's examples and every server read it.
    return f"{app.authorize_url}{separator}{urlencode(query, quote_via=quote)}"


def code_exchange_request(app: OAuthApp, code: str, verifier: str) -> TokenRequest:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": app.redirect_uri,
    }
    if verifier:
        form["code_verifier"] = verifier
    return _with_client(app, form)


def refresh_request(app: OAuthApp, refresh_token: str) -> TokenRequest:
    return _with_client(app, {"grant_type": "refresh_token", "refresh_token": refresh_token})


def _with_client(app: OAuthApp, form: dict[str, str]) -> TokenRequest:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if app.client_secret and app.client_auth == "basic":
        # RFC 6749 2.3.1: both parts form-urlencoded before joining with ":".
        pair = f"{quote(app.client_id, safe='')}:{quote(app.client_secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    else:
        form = {**form, "client_id": app.client_id}
        if app.client_secret:
            form["client_secret"] = app.client_secret
    return TokenRequest(url=app.token_url, form=form, headers=headers)


# --- the answer -------------------------------------------------------------------------------


def parse_token_answer(
    status: int,
    headers: Mapping[str, str] | None,
    body: bytes,
    *,
    now: datetime,
    requested: Sequence[str] = (),
) -> TokenSet:
    """The tokens of a successful answer, or the error it means.

    A temporary refusal (429, 5xx, a proxy's HTML page) is `RetryLater`: the refresh token
    still works and the next attempt will do. A refused grant or client is `Reauth`.
    """
    if not 200 <= status < 300:
        raise _error(status, headers, body)
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise UnreadableAnswer(
            "The network's sign-in service sent an answer that could not be read.",
            detail=f"HTTP {status}: {body[:500]!r}",
        )
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise UnreadableAnswer(
            "The network's sign-in service answered without an access token.",
            detail=f"fields: {sorted(data)[:20]}",
        )
    refresh = data.get("refresh_token")
    scope = data.get("scope")
    # RFC 6749 5.1: without "scope" the granted scopes are the requested ones.
    scopes = frozenset(scope.split()) if isinstance(scope, str) else frozenset(requested)
    return TokenSet(
        access_token=token,
        refresh_token=refresh if isinstance(refresh, str) else "",
        expires_at=_expiry(data.get("expires_in"), now),
        scopes=scopes,
    )


def _expiry(value: object, now: datetime) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int | float) and 0 < value < 10 * 365 * 86400:
        return now + timedelta(seconds=float(value))
    return None


def _error(status: int, headers: Mapping[str, str] | None, body: bytes) -> NetworkError:
    code = _oauth_error_code(body)
    message = server_message(body)
    detail = f"HTTP {status}: {body[:1000].decode('utf-8', errors='replace')}"
    if status in (408, 429) or status >= 500 or status < 400:
        # The service is there and busy (or a proxy answered): the grant is untouched.
        error = error_for_status(status, headers, body, idempotent=True)
        if isinstance(error, RetryLater):
            return error
        return RetryLater(message or f"The sign-in service answered {status}.", detail=detail)
    if code in _APP_REFUSED:
        return Reauth(
            "The network refused Townsquare's app registration (client id or secret); "
            "an administrator has to check the installation's settings.",
            detail=detail,
        )
    if code in _SIGN_IN_AGAIN or status in (400, 401, 403):
        return Reauth(
            message or "The network no longer accepts this account's sign-in; connect it again.",
            detail=detail,
        )
    return Reauth(message or f"The sign-in service refused the request ({status}).", detail=detail)


def _oauth_error_code(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    code = data.get("error") if isinstance(data, dict) else None
    return code if isinstance(code, str) else ""
