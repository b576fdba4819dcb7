"""When to refresh an access token, and what a refused token means.

- Before a call, a token that expires within `REFRESH_MARGIN` is refreshed first: a post due
  now must not fail on a token that ran out a second before.
- A refresh that fails for a while (timeout, 429, 5xx) is `RetryLater`, never `Reauth`: the
  refresh token still works, and asking a person to reconnect would be wrong.
- An API call answered 401 (`TokenRejected`) gets one forced refresh and one retry; a second
  401 is `Reauth`. A 401 means the network did not act, so repeating a write is safe.

`refresh` is passed in: it sends the request and stores the new tokens (Django's part,
`networks/refreshed_tokens.py`), so the policy stays pure and testable with a clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta

from townsquare.networks.base import Credentials, Reauth
from townsquare.networks.oauth2.tokens import TokenSet

REFRESH_MARGIN = timedelta(minutes=5)

Refresher = Callable[[Credentials], Credentials]


class TokenRejected(Reauth):
    """An API call was answered 401: the access token is not (or no longer) accepted. A
    `Reauth` when it escapes, so code that knows nothing of refreshing still does the right
    thing."""


def needs_refresh(creds: Credentials, now: datetime, margin: timedelta = REFRESH_MARGIN) -> bool:
    return creds.expires_at is not None and creds.expires_at - margin <= now


def refresh_if_needed(
    creds: Credentials,
    now: datetime,
    refresh: Refresher,
    *,
    margin: timedelta = REFRESH_MARGIN,
) -> Credentials:
    """`creds` as they are while the token lasts beyond the margin, else refreshed ones."""
    if not needs_refresh(creds, now, margin):
        return creds
    if not creds.refresh_token:
        raise Reauth(
            "The account's sign-in has expired and the network gave no way to renew it; "
            "connect it again."
        )
    return refresh(creds)


def call_with_refresh[T](
    creds: Credentials, call: Callable[[Credentials], T], refresh: Refresher
) -> T:
    """`call(creds)`; after a 401, once more with refreshed credentials, then `Reauth`."""
    try:
        return call(creds)
    except TokenRejected as first:
        if not creds.refresh_token:
            raise Reauth(first.message, detail=first.detail) from first
        fresh = refresh(creds)
    try:
        return call(fresh)
    except TokenRejected as second:
        raise Reauth(
            "The network refused the account's sign-in even after renewing it; connect it again.",
            detail=second.detail,
        ) from second


def credentials_with(creds: Credentials, tokens: TokenSet) -> Credentials:
    """`creds` carrying the new tokens; a refresh answer without a refresh token keeps the
    old one (some networks only rotate it now and then)."""
    return dataclasses.replace(
        creds,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token or creds.refresh_token,
        expires_at=tokens.expires_at,
    )
