"""Turn an HTTP answer (or the lack of one) into the error with the right retry meaning.

Every connector that talks HTTP classifies the same way, so the rules live here once:

- 2xx: no error.
- 401, 403: `Reauth` (the token expired, was revoked or lost a permission).
- 408, 429: `RetryLater`; 429 carries `after` from `Retry-After` or a rate-limit reset header.
- other 4xx: `Rejected`, with the network's own message.
- 5xx: `RetryLater` (the server answered, so it is up, and refused this time) -- except 504
  and 524, where a gateway gave up waiting for the origin: the origin may have carried the
  request out, which is an `OutcomeUnknown` for a request with side effects.
- no answer: `RetryLater` when the request cannot have left (refused connection, connect or
  pool timeout), `OutcomeUnknown` when it may have reached the network (read timeout, reset
  connection). A request with no side effects (`idempotent=True`: reads, deletes) is simply
  retried, since sending it twice does no harm.

Pure apart from naming httpx's exception types: no I/O, no Django. `now` is injectable so that
reset times can be tested without a clock.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from townsquare.networks.base import (
    NetworkError,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)

__all__ = [
    "error_for_exception",
    "error_for_status",
    "retry_after_seconds",
    "server_message",
]

# Headers that say when a rate limit resets, in the shapes networks use: seconds from now
# (Retry-After, the IETF RateLimit-Reset draft), epoch seconds (X, Bluesky, GitHub) or an ISO
# timestamp (Mastodon). The longest wait among them is honoured: waiting a little too long
# costs a few seconds, waiting too little costs another 429 and, on some networks, a ban.
RESET_HEADERS = (
    "retry-after",
    "x-ratelimit-reset",
    "x-rate-limit-reset",
    "ratelimit-reset",
)
# A bare number above this is an epoch timestamp, below it a number of seconds: no network
# asks to wait 30 years, and no reset lies before 2001.
_EPOCH_THRESHOLD = 1_000_000_000
# Messages from a network are shown to people; a whole HTML error page is not a message.
MESSAGE_MAX_CHARS = 300
DETAIL_MAX_CHARS = 2_000
# Fields in which JSON error bodies put their human-readable message, most specific first.
_MESSAGE_FIELDS = ("error_description", "message", "detail", "error", "title", "errors")
# A gateway's own timeout: the origin may still have done the work (Cloudflare uses 524).
_GATEWAY_TIMEOUTS = frozenset({504, 524})

# Failures that happen before a single byte of the request can have left the machine.
_NOT_SENT: tuple[type[BaseException], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    ConnectionRefusedError,
)
# A client that cannot even form the request (bad address, a token that is not a valid header
# value): nothing was sent, and retrying cannot help until the account is connected again.
_UNUSABLE_CONNECTION: tuple[type[BaseException], ...] = (
    httpx.UnsupportedProtocol,
    httpx.InvalidURL,
    httpx.LocalProtocolError,
)


def error_for_status(
    status: int,
    headers: Mapping[str, str] | None = None,
    body: bytes | str = b"",
    *,
    idempotent: bool = False,
    now: float | None = None,
) -> NetworkError | None:
    """The error that an answer with `status` means, or None for a success (2xx).

    `headers` may be any mapping (case is ignored); `body` is used for the message only.
    """
    if 200 <= status < 300:
        return None
    lowered = _lower(headers)
    message = server_message(body)
    detail = f"HTTP {status}: {_text(body)[:DETAIL_MAX_CHARS]}"
    if status < 200 or 300 <= status < 400:
        # Connectors do not follow redirects on writes; a 303 after a POST can mean "created,
        # look over there", so a write answered this way may have happened.
        text = f"The network answered with an unexpected redirect ({status})."
        if idempotent:
            return RetryLater(text, detail=detail)
        return OutcomeUnknown(text, detail=detail)
    if status in (401, 403):
        return Reauth(
            message or "The network no longer accepts this account's credentials.",
            detail=detail,
        )
    if status in (408, 429):
        return RetryLater(
            message or _default_message(status),
            after=retry_after_seconds(lowered, now=now),
            detail=detail,
        )
    if status < 500:
        return Rejected(message or _default_message(status), code=f"http_{status}", detail=detail)
    if status in _GATEWAY_TIMEOUTS and not idempotent:
        return OutcomeUnknown(
            "A gateway of the network timed out; the post may have been published.",
            detail=detail,
        )
    return RetryLater(
        message or _default_message(status),
        after=retry_after_seconds(lowered, now=now),
        detail=detail,
    )


def error_for_exception(exc: BaseException, *, idempotent: bool = False) -> NetworkError:
    """The error that a failed request means, judged by where it failed."""
    if isinstance(exc, NetworkError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, _NOT_SENT):
        return RetryLater("The network could not be reached.", detail=detail)
    if isinstance(exc, _UNUSABLE_CONNECTION):
        return Reauth(
            "The address or credentials of this account cannot be used; connect it again.",
            detail=detail,
        )
    if idempotent:
        if isinstance(exc, ValueError):  # a body that is not the JSON it should be
            return UnreadableAnswer(
                "The network sent an answer that could not be read.", detail=detail
            )
        return RetryLater("The network did not answer in time.", detail=detail)
    # Read and write timeouts, resets, a server that hung up, an unreadable answer, and
    # anything unforeseen: the request may have been carried out. Saying so is what keeps a
    # post from being published twice.
    return OutcomeUnknown(
        "The network did not confirm the request; it may or may not have been carried out.",
        detail=detail,
    )


def retry_after_seconds(
    headers: Mapping[str, str] | None, *, now: float | None = None
) -> float | None:
    """Seconds to wait according to the rate-limit headers, or None if none is usable.

    Accepts delta seconds (fractions too), HTTP dates, epoch seconds and ISO timestamps.
    A reset in the past means "now": 0.
    """
    lowered = _lower(headers)
    current = time.time() if now is None else now
    waits = [
        wait
        for name in RESET_HEADERS
        if (raw := lowered.get(name)) is not None
        and (wait := _parse_wait(raw, current)) is not None
    ]
    return max(waits) if waits else None


def server_message(body: bytes | str | Mapping[str, object] | None) -> str:
    """The human-readable message in an error body (JSON or plain text), shortened, or ''."""
    if body is None:
        return ""
    if isinstance(body, Mapping):
        return _message_from_json(body)
    text = _text(body).strip()
    if not text:
        return ""
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, Mapping):
        return _message_from_json(parsed)
    if isinstance(parsed, str):
        return _shorten(parsed)
    if text.startswith("<"):
        return ""  # an HTML error page says nothing a person could act on
    return _shorten(text)


# --- helpers ----------------------------------------------------------------------------------


def _lower(headers: Mapping[str, str] | None) -> dict[str, str]:
    if headers is None:
        return {}
    return {str(key).lower(): str(value) for key, value in headers.items()}


def _text(body: bytes | str) -> str:
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return body


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= MESSAGE_MAX_CHARS:
        return flat
    return flat[: MESSAGE_MAX_CHARS - 1].rstrip() + "…"


def _message_from_json(data: Mapping[str, object]) -> str:
    for name in _MESSAGE_FIELDS:
        found = _first_text(data.get(name))
        if found:
            return _shorten(found)
    return ""


def _first_text(value: object, depth: int = 0) -> str:
    # Error bodies nest: {"error": {"message": ...}}, {"errors": [{"detail": ...}]}. The depth
    # bound keeps a hostile body from costing more than a glance.
    if depth > 3 or value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        for name in _MESSAGE_FIELDS:
            found = _first_text(value.get(name), depth + 1)
            if found:
                return found
        return ""
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        for item in list(value)[:5]:
            found = _first_text(item, depth + 1)
            if found:
                return found
    return ""


def _parse_wait(raw: str, now: float) -> float | None:
    value = raw.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if not math.isfinite(number):
            return None
        wait = number - now if number >= _EPOCH_THRESHOLD else number
        return max(0.0, wait)
    moment = _parse_moment(value)
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - now)


def _parse_moment(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)  # Retry-After: Wed, 21 Oct 2015 07:28:00 GMT
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(value)  # Mastodon: 2017-09-15T19:20:00.000Z
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _default_message(status: int) -> str:
    if status == 429:
        return "The network's rate limit was reached."
    if status == 408:
        return "The network gave up waiting for the request."
    if status >= 500:
        return f"The network had a temporary problem ({status})."
    return f"The network refused the request ({status})."
