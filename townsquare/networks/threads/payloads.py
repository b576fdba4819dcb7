"""Meta's Threads API (graph.threads.net): the parameters Townsquare sends and what the
answers mean. Pure: no I/O, no Django.

Shapes are those of Meta's Threads documentation (developers.facebook.com/documentation/
threads: Posts, Publishing reference, Reply Management, Insights, Troubleshooting, Long-Lived
Tokens) and of Meta's own sample app and Postman collection (github.com/fbsamples/threads_api);
docs/networks/threads.md says which fact was read where and which only a first live run can
confirm.

Errors come in the Graph API's envelope (`{"error": {"message", "type", "code",
"error_subcode", "error_user_msg", "fbtrace_id"}}`), and Meta answers most of them with HTTP
400 whatever they mean, so the `code` decides, not the status: 190 an expired or revoked
token, 10 and 200-299 a permission the token lacks, 4/17/32/613 a rate limit, 1/2 a passing
fault, 506 a duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from townsquare.networks.base import (
    NetworkError,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.http_errors import error_for_status, retry_after_seconds, server_message
from townsquare.networks.oauth2.refresh import TokenRejected

API_HOST = "https://graph.threads.net"
# The pinned version: Threads has had one, v1.0, since its API opened (2024). The setting
# THREADS_API_VERSION moves it without a release when Meta announces another.
API_VERSION = "v1.0"
# Meta's documentation (Get Access Tokens, updated 2026-08-12) names threads.com; threads.net
# answers the same sign-in with a redirect there.
AUTHORIZE_URL = "https://threads.com/oauth/authorize"
TOKEN_URL = f"{API_HOST}/oauth/access_token"  # the code for a short-lived token (1 hour)
LONG_LIVED_URL = f"{API_HOST}/access_token"  # short-lived for long-lived (60 days)
REFRESH_URL = f"{API_HOST}/refresh_access_token"  # a long-lived token renewed (60 days more)
SCOPES = (
    "threads_basic",  # every endpoint
    "threads_content_publish",  # creating and publishing containers
    "threads_manage_replies",  # answering and hiding replies
    "threads_read_replies",  # reading replies and conversations
    "threads_manage_insights",  # post and account insights
    "threads_delete",  # DELETE /{media-id}
)
POST_METRICS = ("views", "likes", "replies", "reposts", "quotes", "shares")
ACCOUNT_METRICS = ("views", "followers_count")
POST_FIELDS = "id,text,timestamp,permalink,media_type,is_quote_post,has_replies"
REPLY_FIELDS = (
    "id,text,timestamp,permalink,username,is_reply,is_reply_owned_by_me,"
    "root_post,replied_to,hide_status"
)
# Container states (Troubleshooting: "Publishing Does Not Return a Media ID").
FINISHED, IN_PROGRESS, ERROR, EXPIRED, PUBLISHED = (
    "FINISHED",
    "IN_PROGRESS",
    "ERROR",
    "EXPIRED",
    "PUBLISHED",
)
CAROUSEL_MIN, CAROUSEL_MAX = 2, 20

# Graph API error codes (Graph API "Handling Errors"), by what they mean for Townsquare.
_TOKEN_CODES = frozenset({190, 102})
_PERMISSION_CODES = frozenset({10, *range(200, 300)})
_RATE_CODES = frozenset({4, 17, 32, 613, 341, 368})
_TRANSIENT_CODES = frozenset({1, 2})
_DUPLICATE_CODES = frozenset({506})
# "API deprecated" (12) and "deprecated version" (2635): every Threads account at once.
_VERSION_CODES = frozenset({12, 2635})
# A rate limit without any usable reset: Threads counts calls in a rolling 24-hour window,
# so usage decays continuously; an hour is a guess that does not hammer a limited account.
_UNTOLD_WAIT_S = 3600.0
# Container errors (Troubleshooting) that the media itself causes: nothing to retry.
_MEDIA_ERRORS = {
    "FAILED_DOWNLOADING_VIDEO": "Threads could not download the video from its address.",
    "FAILED_PROCESSING_AUDIO": "Threads could not process the video's sound.",
    "FAILED_PROCESSING_VIDEO": "Threads could not process the video.",
    "INVALID_ASPEC_RATIO": "The media's aspect ratio is not accepted by Threads.",
    "INVALID_ASPECT_RATIO": "The media's aspect ratio is not accepted by Threads.",
    "INVALID_BIT_RATE": "The video's bit rate is not accepted by Threads.",
    "INVALID_DURATION": "The video is too long or too short for Threads.",
    "INVALID_FRAME_RATE": "The video's frame rate is not accepted by Threads.",
    "INVALID_AUDIO_CHANNELS": "The video's audio channels are not accepted by Threads.",
    "INVALID_AUDIO_CHANNEL_LAYOUT": "The video's audio layout is not accepted by Threads.",
}


class ApiVersionRetired(Reauth):
    """Meta no longer serves the Threads API version Townsquare pins: a connection problem of
    every Threads account at once, repaired by moving THREADS_API_VERSION, not by
    connecting again."""


class PermissionMissing(Reauth):
    """The token lacks a permission (not granted at sign-in, or not approved for the app by
    Meta's app review): connecting again with the permission repairs it."""


# --- addresses -------------------------------------------------------------------------------


def api_url(path: str, version: str = API_VERSION) -> str:
    return f"{API_HOST}/{version}/{path.lstrip('/')}"


def is_media_id(value: str) -> bool:
    """Threads ids are decimal numbers (media, containers and users alike)."""
    return value.isdigit() and 0 < len(value) <= 32


def public_media_url(url: str) -> str:
    """`url` if Meta's servers can fetch it (absolute https); else a refusal before sending."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.hostname in ("localhost",):
        raise Rejected(
            "Threads fetches media from a public https address; this installation gave none.",
            code="no_public_media_url",
            detail=url[:200],
        )
    return url


# --- requests ---------------------------------------------------------------------------------


def text_container(text: str, reply_to_id: str = "") -> dict[str, str]:
    params = {"media_type": "TEXT", "text": text}
    if reply_to_id:
        params["reply_to_id"] = reply_to_id
    return params


def media_container(
    kind: str,
    url: str,
    *,
    text: str = "",
    alt_text: str = "",
    carousel_item: bool = False,
    reply_to_id: str = "",
) -> dict[str, str]:
    """One image or video: a post of its own, or an item of a carousel (no text then)."""
    media_type = "VIDEO" if kind == "video" else "IMAGE"
    params = {
        "media_type": media_type,
        "image_url" if media_type == "IMAGE" else "video_url": public_media_url(url),
    }
    if carousel_item:
        params["is_carousel_item"] = "true"
    else:
        if text:
            params["text"] = text
        if reply_to_id:
            params["reply_to_id"] = reply_to_id
    if alt_text:
        params["alt_text"] = alt_text
    return params


def carousel_container(children: Sequence[str], text: str, reply_to_id: str = "") -> dict[str, str]:
    if not CAROUSEL_MIN <= len(children) <= CAROUSEL_MAX:
        raise Rejected(
            f"A Threads carousel holds {CAROUSEL_MIN} to {CAROUSEL_MAX} images or videos.",
            code="carousel_size",
        )
    params = {"media_type": "CAROUSEL", "children": ",".join(children)}
    if text:
        params["text"] = text
    if reply_to_id:
        params["reply_to_id"] = reply_to_id
    return params


def long_lived_query(client_secret: str, short_lived_token: str) -> dict[str, str]:
    return {
        "grant_type": "th_exchange_token",
        "client_secret": client_secret,
        "access_token": short_lived_token,
    }


def refresh_query(long_lived_token: str) -> dict[str, str]:
    return {"grant_type": "th_refresh_token", "access_token": long_lived_token}


# --- errors -----------------------------------------------------------------------------------


def graph_error(body: bytes) -> dict[str, Any]:
    """The `error` object of a Graph API error body, or {} when there is none."""
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, dict) else {}


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def error_for(
    status: int,
    answer_headers: Mapping[str, str] | None,
    body: bytes,
    *,
    idempotent: bool,
    needs: str = "",
    now: float | None = None,
) -> NetworkError | None:
    """What an answer of the Threads API means; None for a success. `needs` names the
    permission the request needs, so a refusal says which one is missing."""
    if 200 <= status < 300:
        return None
    error = graph_error(body)
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    message = str(error.get("error_user_msg") or error.get("message") or "")[:300]
    message = message or server_message(body)
    detail = f"HTTP {status}: {body[:1000].decode('utf-8', errors='replace')}"
    marker = " ".join(str(error.get(k) or "") for k in ("message", "error_user_title")).upper()
    if code in _TOKEN_CODES or (status == 401 and code is None):
        return TokenRejected(
            message or "Threads no longer accepts this account's sign-in.", detail=detail
        )
    if code in _VERSION_CODES:
        return ApiVersionRetired(
            "Threads no longer serves the API version this installation uses; an "
            "administrator has to update THREADS_API_VERSION.",
            detail=detail,
        )
    if code in _PERMISSION_CODES:
        return PermissionMissing(permission_message(needs, message), detail=detail)
    if code in _RATE_CODES or status == 429 or (code is not None and 80000 <= code < 80100):
        return RetryLater(
            message or "Threads asks Townsquare to wait (rate limit).",
            after=rate_limit_wait(answer_headers, now=now),
            detail=detail,
        )
    if "LINK_LIMIT" in marker:
        return Rejected(
            "Threads refused the post: it holds more links than Threads allows.",
            code="link_limit",
            detail=detail,
        )
    if code in _DUPLICATE_CODES:
        return Rejected(
            message or "Threads refused the post as a duplicate.", code="duplicate", detail=detail
        )
    if code in _TRANSIENT_CODES or error.get("is_transient") is True or status >= 500:
        if status in (504, 524) and not idempotent:
            return error_for_status(status, answer_headers, body, idempotent=False, now=now)
        return RetryLater(message or "Threads is unavailable for a moment.", detail=detail)
    if 400 <= status < 500 and error:
        tag = f"graph_{code}" + (f"_{subcode}" if subcode else "") if code else f"http_{status}"
        return Rejected(
            message or f"Threads refused the request ({status}).", code=tag, detail=detail
        )
    # No Graph envelope (a proxy's page, an empty body): judged by the status alone.
    return error_for_status(status, answer_headers, body, idempotent=idempotent, now=now)


def permission_message(needs: str, said: str = "") -> str:
    base = (
        f"Threads refused: the account did not grant Townsquare the {needs} permission, or "
        "Meta's app review has not approved it for this installation's app (without approval "
        "only the app's testers can grant it). Connect the account again after the "
        "permission is approved."
        if needs
        else "Threads refused: a permission is missing (not granted at sign-in, or not "
        "approved by Meta's app review)."
    )
    return f"{base} Threads said: {said}" if said else base


def rate_limit_wait(answer_headers: Mapping[str, str] | None, *, now: float | None = None) -> float:
    """Seconds to wait after a rate limit: Meta's `X-Business-Use-Case-Usage`
    `estimated_time_to_regain_access` (minutes), a standard reset header, or an hour."""
    lowered = {str(k).lower(): str(v) for k, v in (answer_headers or {}).items()}
    waits: list[float] = []
    try:
        usage = json.loads(lowered.get("x-business-use-case-usage", "") or "{}")
    except ValueError:
        usage = {}
    entries = usage.values() if isinstance(usage, dict) else ()
    for entry in entries:
        for item in entry if isinstance(entry, list) else ():
            minutes = (
                _int(item.get("estimated_time_to_regain_access"))
                if isinstance(item, dict)
                else None
            )
            if minutes:
                waits.append(minutes * 60.0)
    told = retry_after_seconds(lowered, now=now)
    if told:
        waits.append(told)
    return max(waits) if waits else _UNTOLD_WAIT_S


def app_usage(answer_headers: Mapping[str, str] | None) -> dict[str, int]:
    """Meta's `X-App-Usage` header (percentages of the call, CPU and time budgets used)."""
    lowered = {str(k).lower(): str(v) for k, v in (answer_headers or {}).items()}
    try:
        data = json.loads(lowered.get("x-app-usage", "") or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}


def json_body(body: bytes, *, status: int, idempotent: bool) -> dict[str, Any]:
    """A success's JSON object. After a write, an unreadable body means the action may have
    happened: an unknown outcome, never a retry."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    detail = f"HTTP {status}: {body[:500].decode('utf-8', errors='replace')}"
    if idempotent:
        raise UnreadableAnswer("Threads' answer could not be read.", detail=detail)
    raise OutcomeUnknown(
        "Threads accepted the request but its answer could not be read; it may have been "
        "carried out.",
        detail=detail,
    )


# --- answers ----------------------------------------------------------------------------------


def created_id(data: Mapping[str, Any], *, what: str, published: bool) -> str:
    """The `id` of a container (`POST /threads`) or a post (`POST /threads_publish`). A
    publish answer without one is an unknown outcome: the post probably exists."""
    value = data.get("id")
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if is_media_id(text):
        return text
    detail = f"fields: {sorted(data)[:20]}"
    if published:
        raise OutcomeUnknown(
            f"Threads' answer names no {what}; it may have been published.", detail=detail
        )
    raise UnreadableAnswer(f"Threads' answer names no {what}.", detail=detail)


def container_state(data: Mapping[str, Any]) -> tuple[str, str]:
    """(status, error_message) of `GET /{container-id}?fields=status,error_message`."""
    status = data.get("status")
    error = data.get("error_message")
    return (
        status if isinstance(status, str) else "",
        error if isinstance(error, str) else "",
    )


def container_refusal(error_message: str) -> Rejected:
    known = _MEDIA_ERRORS.get(error_message.strip().upper())
    return Rejected(
        known or "Threads could not prepare the post's media.",
        code="media_refused",
        detail=error_message[:200],
    )


def items(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The objects of a list answer (`data`), each with a usable id; others left out."""
    found = data.get("data")
    if not isinstance(found, list):
        raise UnreadableAnswer("Threads' list answer has no data.", detail=str(sorted(data))[:200])
    return [
        item for item in found if isinstance(item, dict) and is_media_id(str(item.get("id") or ""))
    ]


def after_cursor(data: Mapping[str, Any]) -> str:
    paging = data.get("paging")
    cursors = paging.get("cursors") if isinstance(paging, dict) else None
    after = cursors.get("after") if isinstance(cursors, dict) else None
    return after if isinstance(after, str) else ""


def timestamp(item: Mapping[str, Any]) -> datetime | None:
    """Threads' `timestamp` ("2024-09-12T23:17:39+0000") as an aware datetime."""
    value = item.get("timestamp")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def permalink(item: Mapping[str, Any]) -> str:
    value = item.get("permalink")
    return value if isinstance(value, str) and value.startswith("https://") else ""


def nested_id(item: Mapping[str, Any], name: str) -> str:
    """`root_post` / `replied_to` are objects with an id."""
    value = item.get(name)
    found = value.get("id") if isinstance(value, dict) else None
    return str(found) if isinstance(found, int | str) and is_media_id(str(found)) else ""


def insight_values(data: Mapping[str, Any]) -> dict[str, int]:
    """Counters of an insights answer: a media metric carries `values[0].value` (lifetime),
    an account total `total_value.value`, a daily one `values[-1].value` (the latest day).
    A metric without a whole number is left out: unknown, not zero."""
    found: dict[str, int] = {}
    entries = data.get("data")
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        total = entry.get("total_value")
        values = entry.get("values")
        raw: object = None
        if isinstance(total, dict):
            raw = total.get("value")
        elif isinstance(values, list) and values and isinstance(values[-1], dict):
            raw = values[-1].get("value")
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            found[entry["name"]] = raw
    return found
