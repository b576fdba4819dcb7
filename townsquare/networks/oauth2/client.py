"""Sends a token request through a connector's httpx client (the guarded one from
`lib/http.py` in production, a MockTransport in tests) and reads the answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import httpx

from townsquare.networks.http_errors import error_for_exception
from townsquare.networks.oauth2.tokens import TokenRequest, TokenSet, parse_token_answer


def send_token_request(
    http: httpx.Client, request: TokenRequest, *, now: datetime, requested: Sequence[str] = ()
) -> TokenSet:
    """The tokens granted, or the classified error. Nothing is retried here: a timed-out
    refresh is `RetryLater` and the caller's schedule tries again."""
    try:
        response = http.post(request.url, data=dict(request.form), headers=dict(request.headers))
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        # A refresh has no side effect worth guarding: judged like a read.
        raise error_for_exception(exc, idempotent=True) from exc
    return parse_token_answer(
        response.status_code, response.headers, response.content, now=now, requested=requested
    )
