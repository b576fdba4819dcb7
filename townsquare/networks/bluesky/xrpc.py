"""XRPC over httpx for one PDS: sessions, their renewal, and errors with retry meaning.

Plain HTTP rather than an SDK: every request's failure must be classified by where it failed
(refused before sending, or timed out after), which `networks.http_errors` does from httpx's
own exceptions, and sessions must be shared safely by the threads of a worker.

Sessions: an access token lives about two hours, a refresh token months. A token that is
about to expire is renewed before the request; an `ExpiredToken` answer (the PDS says so with
HTTP 400, not 401) renews it and sends the same request once more, which is safe even for a
write, because the PDS refused it before doing anything. Renewal uses the refresh token; when
that no longer works, a new session is made with the stored app password; only when that fails
too is the account handed back to a person (`Reauth`). Every new session is passed to
`on_session`, which stores it encrypted, so other workers and the next run use it.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx

from townsquare.lib.http import UnsafeTarget, outbound_client
from townsquare.networks.base import Credentials, NetworkError, Reauth, Rejected
from townsquare.networks.http_errors import error_for_exception, error_for_status, server_message

DEFAULT_SERVICE = "https://bsky.social"
CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 15.0
UPLOAD_TIMEOUT_S = 60.0
# Renew a little before expiry: a token that expires in flight costs a round trip.
RENEW_BEFORE_S = 60
# Error names with which a PDS refuses a token (HTTP 400 or 401).
SESSION_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
# The account itself cannot act; a person has to look at it on Bluesky.
ACCOUNT_ERRORS = frozenset({"AccountTakedown", "AccountDeactivated", "AccountSuspended"})


@dataclass(frozen=True, slots=True)
class Session:
    did: str
    handle: str
    access_jwt: str
    refresh_jwt: str
    service: str

    @property
    def issued_at(self) -> float:
        return float(jwt_claims(self.access_jwt).get("iat", 0))

    @property
    def expires_at(self) -> float | None:
        exp = jwt_claims(self.access_jwt).get("exp")
        return float(exp) if isinstance(exp, int | float) else None


class SessionExpired(Reauth):
    """The PDS refused the access token; renewing the session may fix it."""


def jwt_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT, unverified: only used to decide when to renew, never to trust."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def service_url(creds: Credentials) -> str:
    return (creds.instance_url or DEFAULT_SERVICE).rstrip("/")


def session_from_credentials(creds: Credentials) -> Session:
    return Session(
        did=creds.extra.get("did", ""),
        handle=creds.handle,
        access_jwt=creds.access_token,
        refresh_jwt=creds.refresh_token,
        service=service_url(creds),
    )


def error_for_response(response: httpx.Response, *, idempotent: bool) -> NetworkError | None:
    """The classified error of an XRPC answer, or None for a success."""
    if response.is_success:
        return None
    name = _error_name(response)
    if name in SESSION_ERRORS:
        return SessionExpired(
            "The Bluesky session has expired.", detail=f"{response.status_code} {name}"
        )
    if name in ACCOUNT_ERRORS:
        return Reauth(
            server_message(response.content) or "Bluesky has disabled this account.",
            detail=f"{response.status_code} {name}",
        )
    return error_for_status(
        response.status_code, response.headers, response.content, idempotent=idempotent
    )


def _error_name(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def error_name(error: NetworkError) -> str:
    """The XRPC error name kept in an error's detail (e.g. "RecordNotFound"), or ''."""
    try:
        body = json.loads(error.detail.split(": ", 1)[1])
    except (IndexError, ValueError):
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


class Xrpc:
    """Sends XRPC requests for any number of accounts; thread-safe."""

    def __init__(
        self,
        on_session: Callable[[Credentials, Session], None],
        *,
        transport: httpx.BaseTransport | None = None,
        read_timeout: float = READ_TIMEOUT_S,
    ) -> None:
        # A PDS address comes from a person: every connection is checked and pinned to the
        # checked address by the client itself (lib/http.py).
        self._http = outbound_client(
            timeout=httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT_S),
            transport=transport,
        )
        self._on_session = on_session
        self._sessions: dict[int, Session] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self._http.close()

    # --- sessions ---------------------------------------------------------------------------

    def create_session(self, service: str, identifier: str, password: str) -> Session:
        """Log in with a handle (or DID or email) and an app password."""
        body = self.call_anonymous(
            service,
            "POST",
            "com.atproto.server.createSession",
            json={"identifier": identifier, "password": password},
            idempotent=True,  # logging in twice does no harm
        )
        return _session_from(body, service)

    def session(self, creds: Credentials) -> Session:
        """The newest session known for the account: ours if we renewed it since `creds`
        were read, else the one in `creds`."""
        given = session_from_credentials(creds)
        with self._guard:
            known = self._sessions.get(creds.account_id)
        if (
            known is not None
            and known.service == given.service
            and known.issued_at >= given.issued_at
        ):
            return known
        return given

    def renew(self, creds: Credentials, stale: Session) -> Session:
        """A fresh session for the account; Reauth if neither refresh token nor password work.

        One renewal per account at a time: when several threads find the token expired,
        the first renews and the others use its result.
        """
        with self._lock_for(creds.account_id):
            current = self.session(creds)
            if current.access_jwt != stale.access_jwt and not _expiring(current):
                return current
            fresh = self._refresh(current) or self._login_again(creds, current)
            if not fresh.did:
                fresh = replace(fresh, did=current.did)
            with self._guard:
                self._sessions[creds.account_id] = fresh
            self._on_session(creds, fresh)
            return fresh

    def _refresh(self, session: Session) -> Session | None:
        if not session.refresh_jwt:
            return None
        try:
            body = self._send(
                session.service,
                "POST",
                "com.atproto.server.refreshSession",
                token=session.refresh_jwt,
                idempotent=True,
            )
        except Reauth:
            return None  # revoked or expired refresh token: try the password
        return _session_from(body, session.service)

    def _login_again(self, creds: Credentials, session: Session) -> Session:
        password = creds.extra.get("app_password", "")
        if not password:
            raise Reauth("The Bluesky session has ended; connect the account again.")
        try:
            return self.create_session(session.service, session.did or creds.handle, password)
        except Rejected as error:
            raise Reauth(error.message, detail=error.detail) from error

    def _lock_for(self, account_id: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(account_id, threading.Lock())

    # --- requests ---------------------------------------------------------------------------

    def call(
        self,
        creds: Credentials,
        method: str,
        nsid: str,
        *,
        idempotent: bool,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """An authenticated request as the account, renewing its session when needed."""
        session = self.session(creds)
        if not session.access_jwt and not creds.extra.get("app_password"):
            # Never connected (a demo account): nothing to send, and no reason to ask the
            # default server, which is a real one, anything.
            raise Reauth("This Bluesky account is not connected; connect it first.")
        if _expiring(session):
            session = self.renew(creds, session)
        try:
            return self._send(
                session.service,
                method,
                nsid,
                token=session.access_jwt,
                idempotent=idempotent,
                **kwargs,
            )
        except SessionExpired:
            session = self.renew(creds, session)
        try:
            return self._send(
                session.service,
                method,
                nsid,
                token=session.access_jwt,
                idempotent=idempotent,
                **kwargs,
            )
        except SessionExpired as error:
            raise Reauth(
                "Bluesky refuses even a fresh session; connect the account again.",
                detail=error.detail,
            ) from error

    def call_anonymous(
        self, service: str, method: str, nsid: str, *, idempotent: bool, **kwargs: Any
    ) -> dict[str, Any]:
        return self._send(
            service.rstrip("/"), method, nsid, token="", idempotent=idempotent, **kwargs
        )

    def _send(
        self,
        service: str,
        method: str,
        nsid: str,
        *,
        token: str,
        idempotent: bool,
        timeout: float | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if timeout is not None:
            kwargs["timeout"] = httpx.Timeout(timeout, connect=CONNECT_TIMEOUT_S)
        try:
            response = self._http.request(
                method, f"{service}/xrpc/{nsid}", headers=all_headers, **kwargs
            )
        except UnsafeTarget as exc:
            raise Reauth(
                "This account's Bluesky server address cannot be used.", detail=str(exc)
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise error_for_exception(exc, idempotent=idempotent) from exc
        error = error_for_response(response, idempotent=idempotent)
        if error is not None:
            raise error
        if not response.content:
            return {}
        try:
            body = response.json()
        except ValueError as exc:
            raise error_for_exception(exc, idempotent=idempotent) from exc
        return body if isinstance(body, dict) else {}


def _expiring(session: Session) -> bool:
    expires = session.expires_at
    return expires is not None and expires - RENEW_BEFORE_S <= time.time()


def _session_from(body: dict[str, Any], service: str) -> Session:
    access, refresh = body.get("accessJwt"), body.get("refreshJwt")
    if not isinstance(access, str) or not isinstance(refresh, str):
        raise Reauth("Bluesky did not return a session.", detail=str(body)[:500])
    return Session(
        did=str(body.get("did", "")),
        handle=str(body.get("handle", "")),
        access_jwt=access,
        refresh_jwt=refresh,
        service=service.rstrip("/"),
    )
