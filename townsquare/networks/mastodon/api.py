"""HTTP to one Mastodon instance: requests as an account or anonymous, errors with retry meaning.

Plain httpx rather than an SDK: every failure is classified by where it happened (refused
before sending, or timed out after) with `networks.http_errors`, and one connection pool
serves every account of a worker. Mastodon's own error bodies (`{"error": "..."}`) become the
messages people see.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from townsquare.lib.http import UnsafeTarget, outbound_client
from townsquare.networks.base import (
    NetworkError,
    OutcomeUnknown,
    Reauth,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.http_errors import error_for_exception, error_for_status, server_message

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 15.0
UPLOAD_TIMEOUT_S = 120.0
# Mastodon refuses a status whose media are still being processed with a 422; that is not a
# refusal of the post, only "not yet".
_STILL_PROCESSING = "not finished processing"


class MastodonApi:
    """Sends requests to any number of instances; thread-safe (httpx.Client is)."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        read_timeout: float = READ_TIMEOUT_S,
    ) -> None:
        # The instance address comes from a person: every connection is checked and pinned
        # to the checked address by the client itself (lib/http.py).
        self._http = outbound_client(
            timeout=httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT_S),
            headers={"Accept": "application/json"},
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        instance: str,
        method: str,
        path: str,
        *,
        token: str = "",
        idempotent: bool,
        timeout: float | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """The answer to one request, or the classified error. 2xx only come back."""
        base = instance.rstrip("/")
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if timeout is not None:
            kwargs["timeout"] = httpx.Timeout(timeout, connect=CONNECT_TIMEOUT_S)
        try:
            response = self._http.request(method, f"{base}{path}", headers=all_headers, **kwargs)
        except UnsafeTarget as exc:
            raise Reauth(
                "This account's Mastodon instance address cannot be used.", detail=str(exc)
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise error_for_exception(exc, idempotent=idempotent) from exc
        error = error_for_response(response, idempotent=idempotent)
        if error is not None:
            raise error
        return response

    def json(
        self, instance: str, method: str, path: str, *, idempotent: bool, **kwargs: Any
    ) -> Any:
        """The JSON body of a successful request (a dict or a list)."""
        response = self.request(instance, method, path, idempotent=idempotent, **kwargs)
        return body_of(response, idempotent=idempotent)


def error_for_response(response: httpx.Response, *, idempotent: bool) -> NetworkError | None:
    if response.is_success:
        return None
    if response.status_code == 422 and _STILL_PROCESSING in server_message(response.content):
        return RetryLater(
            "Mastodon is still processing an attachment of this post.",
            after=30,
            detail=f"HTTP 422: {response.text[:500]}",
        )
    return error_for_status(
        response.status_code, response.headers, response.content, idempotent=idempotent
    )


def body_of(response: httpx.Response, *, idempotent: bool) -> Any:
    """The parsed body; an unreadable one is an error that says what it means.

    After a write, a success whose body cannot be read still means the write happened, but
    Townsquare cannot tell what was made: an unknown outcome, never a failure to retry.
    """
    if not response.content:
        return {}
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict | list):
        return body
    detail = f"HTTP {response.status_code}: {response.text[:500]}"
    if idempotent:
        raise UnreadableAnswer(
            "Mastodon's answer could not be read (it is not JSON).", detail=detail
        )
    raise OutcomeUnknown(
        "Mastodon accepted the request but its answer could not be read; "
        "the post may have been published.",
        detail=detail,
    )


def expect_dict(value: Any, *, what: str, idempotent: bool) -> dict[str, Any]:
    """`value` when it is a JSON object; otherwise the same errors as an unreadable body."""
    if isinstance(value, dict):
        return value
    detail = f"{what}: {str(value)[:500]}"
    if idempotent:
        raise RetryLater(f"Mastodon's answer ({what}) has an unexpected shape.", detail=detail)
    raise OutcomeUnknown(
        f"Mastodon's answer ({what}) has an unexpected shape; the request may have been "
        "carried out.",
        detail=detail,
    )


def expect_list(value: Any, *, what: str) -> list[dict[str, Any]]:
    """The objects of a JSON list (reads only); anything else is a temporary problem."""
    if not isinstance(value, list):
        raise RetryLater(
            f"Mastodon's answer ({what}) has an unexpected shape.", detail=str(value)[:500]
        )
    return [item for item in value if isinstance(item, dict)]
