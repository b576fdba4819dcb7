"""The Matrix client-server API (v3) over httpx, with errors carrying their retry meaning.

Plain HTTP rather than an SDK: every failure must be classified by where it happened
(refused before sending, or no answer after sending), which `networks.http_errors` does from
httpx's own exceptions. Matrix answers errors as `{"errcode": "M_...", "error": "..."}`;
the errcode decides before the HTTP status does:

- `M_UNKNOWN_TOKEN`, `M_MISSING_TOKEN`, `M_USER_DEACTIVATED`: `Reauth` (the token is gone).
- `M_LIMIT_EXCEEDED` (429): `RetryLater`, after `retry_after_ms` from the body or Retry-After.
- `M_FORBIDDEN` (403): `Rejected` with the server's message. In Matrix a 403 means "this user
  may not do this here" (not allowed to post in the room), while the token still works.
- other 4xx (`M_TOO_LARGE` 413, `M_BAD_JSON` 400, ...): `Rejected`.
- everything else: the shared rules of `http_errors`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from townsquare.lib.http import UnsafeTarget, outbound_client
from townsquare.networks.base import (
    NetworkError,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.http_errors import (
    DETAIL_MAX_CHARS,
    error_for_exception,
    error_for_status,
    retry_after_seconds,
    server_message,
)

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 15.0
UPLOAD_TIMEOUT_S = 60.0
TOKEN_ERRORS = frozenset({"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_USER_DEACTIVATED"})


def path_part(value: str) -> str:
    """A room id, event id, user id or transaction id as one URL path segment."""
    return quote(value, safe="")


def errcode_of(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        return "", {}
    if not isinstance(body, dict):
        return "", {}
    return str(body.get("errcode") or ""), body


def error_for_response(response: httpx.Response, *, idempotent: bool) -> NetworkError | None:
    """The classified error of a Matrix answer, or None for a success."""
    if response.is_success:
        return None
    status = response.status_code
    errcode, body = errcode_of(response)
    message = server_message(response.content)
    detail = f"HTTP {status} {errcode}: {response.text[:DETAIL_MAX_CHARS]}"
    if errcode in TOKEN_ERRORS or (status == 401 and not errcode):
        return Reauth(
            message or "The Matrix homeserver no longer accepts this access token.",
            detail=detail,
        )
    if errcode == "M_LIMIT_EXCEEDED" or status == 429:
        waits = [retry_after_seconds(response.headers)]
        retry_ms = body.get("retry_after_ms")
        if isinstance(retry_ms, int | float) and not isinstance(retry_ms, bool) and retry_ms >= 0:
            waits.append(retry_ms / 1000)
        known = [wait for wait in waits if wait is not None]
        return RetryLater(
            message or "The Matrix homeserver's rate limit was reached.",
            after=max(known) if known else None,
            detail=detail,
        )
    if 400 <= status < 500 and status not in (408,):
        return Rejected(
            message or f"The Matrix homeserver refused the request ({status}).",
            code=errcode.lower() or f"http_{status}",
            detail=detail,
        )
    return error_for_status(status, response.headers, response.content, idempotent=idempotent)


class MatrixClient:
    """Sends client-server API requests for any number of accounts; thread-safe."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        read_timeout: float = READ_TIMEOUT_S,
    ) -> None:
        # A homeserver address comes from a person: every connection is checked and pinned
        # to the checked address by the client itself (lib/http.py).
        self._http = outbound_client(
            timeout=httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT_S), transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def call(
        self,
        homeserver: str,
        token: str,
        method: str,
        path: str,
        *,
        idempotent: bool,
        timeout: float | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """One request to `homeserver` + `path`; the JSON object it answered with."""
        homeserver = homeserver.rstrip("/")
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if timeout is not None:
            kwargs["timeout"] = httpx.Timeout(timeout, connect=CONNECT_TIMEOUT_S)
        try:
            response = self._http.request(method, homeserver + path, headers=all_headers, **kwargs)
        except UnsafeTarget as exc:
            raise Reauth(
                "This Matrix homeserver address cannot be used.", detail=str(exc)
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise error_for_exception(exc, idempotent=idempotent) from exc
        error = error_for_response(response, idempotent=idempotent)
        if error is not None:
            raise error
        try:
            body = json.loads(response.content or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            text = "The Matrix homeserver's answer could not be read."
            detail = f"HTTP {response.status_code}: {response.text[:500]}"
            if idempotent:
                raise UnreadableAnswer(text, detail=detail)
            # The server said 2xx to a write and then sent nonsense: it probably did the work,
            # but only a lookup can say.
            raise OutcomeUnknown(text, detail=detail)
        return body
