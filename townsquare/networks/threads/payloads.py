"""Meta's Threads API (graph.threads.net): the parameters Townsquare sends and what the
answers mean. Pure: no I/O, no Django.

Shapes are those of Meta's Threads documentation (developers.facebook.com/documentation/
threads: Posts, Publishing reference, Reply Management, Insights, Troubleshooting, Long-Lived
Tokens) and of Meta's own sample app and Postman collection (github.com/fbsamples/threads_api);
docs/networks/threads.md says which fact was read where and which only a first live run can
confirm.

Errors come in the Graph API's envelope and are classified by the Graph code like those of
Meta's other connectors (`error_for`, on networks/meta/payloads.py).
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
    UnreadableAnswer,
)
from townsquare.networks.meta import payloads as graph
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

# "API deprecated" (12) and "deprecated version" (2635): every Threads account at once.
_VERSION_CODES = frozenset({12, 2635})
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


def error_for(
    status: int,
    answer_headers: Mapping[str, str] | None,
    body: bytes,
    *,
    idempotent: bool,
    needs: str = "",
    now: float | None = None,
) -> NetworkError | None:
    """What an answer of the Threads API means; None for a success.

    Threads answers in the Graph API's error envelope, so the Graph classification Meta's
    other connectors use decides (networks/meta/payloads.error_for: token, throttling with
    Meta's usage headers, permission, duplicate, temporary, validation). Threads adds the
    link limit, its own pinned version, and names the permission the request needs
    (`needs`), since Threads' refusals do not say which one is missing."""
    if 200 <= status < 300:
        return None
    error = graph.graph_error(body)
    code = error.get("code")
    detail = f"HTTP {status}: {body[:1000].decode('utf-8', errors='replace')}"
    if status == 401 and not error:
        return TokenRejected("Threads no longer accepts this account's sign-in.", detail=detail)
    if code in _VERSION_CODES:
        return ApiVersionRetired(
            "Threads no longer serves the API version this installation uses; an "
            "administrator has to update THREADS_API_VERSION.",
            detail=detail,
        )
    marker = " ".join(str(error.get(k) or "") for k in ("message", "error_user_title")).upper()
    if "LINK_LIMIT" in marker:
        return Rejected(
            "Threads refused the post: it holds more links than Threads allows.",
            code="link_limit",
            detail=detail,
        )
    found = graph.error_for(status, answer_headers, body, idempotent=idempotent, now=now)
    if isinstance(found, graph.MissingPermission):
        named = needs or found.permission
        said = str(error.get("error_user_msg") or error.get("message") or "")[:300]
        return graph.MissingPermission(
            permission_message(named, said), permission=named, detail=found.detail
        )
    return found


def permission_message(needs: str, said: str = "") -> str:
    base = (
        f"Threads refused: the account did not grant Townsquare the {needs} permission, or "
        "Meta's app review has not approved it for this installation's app (without approval "
        "only the app's Threads testers can grant it). Connect the account again once the "
        "permission is approved."
        if needs
        else "Threads refused: a permission is missing (not granted at sign-in, or not "
        "approved by Meta's app review)."
    )
    return f"{base} Threads said: {said}" if said else base


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


def quota(data: Mapping[str, Any]) -> tuple[int, int] | None:
    """(quota_usage, config.quota_total) of a `threads_publishing_limit` answer."""
    entries = data.get("data")
    first = entries[0] if isinstance(entries, list) and entries else None
    if not isinstance(first, dict):
        return None
    used, config = first.get("quota_usage"), first.get("config")
    total = config.get("quota_total") if isinstance(config, dict) else None
    if isinstance(used, bool) or isinstance(total, bool):
        return None
    if isinstance(used, int) and isinstance(total, int):
        return used, total
    return None
