"""Meta's Graph API for Facebook Pages and Instagram professional accounts: the requests
Townsquare sends and what Meta's answers mean. Pure: no I/O, no Django.

Shapes follow Meta's references on developers.facebook.com (Graph API error handling,
versions, Facebook Login's manual flow, Pages API posts and photos, IG User media and
media_publish, IG Container, comments and insights); docs/networks/facebook_page.md and
docs/networks/instagram.md say which fact was read where and what only a live run can show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from townsquare.networks.base import (
    NetworkError,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.http_errors import error_for_status, retry_after_seconds
from townsquare.networks.oauth2.refresh import TokenRejected

GRAPH_HOST = "graph.facebook.com"
GRAPH_BASE = f"https://{GRAPH_HOST}"
DIALOG_BASE = "https://www.facebook.com"
# The pinned Graph API version (the newest on the changelog when this was written); the
# setting META_GRAPH_API_VERSION moves it forward without a release.
API_VERSION = "v26.0"
# "Available until" of each version, from the Graph API changelog's version table. Meta
# serves a version two years or so; a call naming an expired version is answered by the
# oldest available one instead, so an expired pin shows up as changed behaviour, not as an
# error: the table is what lets Townsquare say so first.
VERSION_AVAILABLE_UNTIL: Mapping[str, date] = {
    "v20.0": date(2026, 9, 24),
    "v21.0": date(2027, 1, 21),
    "v22.0": date(2027, 5, 20),
    "v23.0": date(2027, 10, 8),
    "v24.0": date(2028, 2, 18),
    "v25.0": date(2028, 7, 29),
    "v26.0": date(2028, 12, 31),  # "TBD" on the changelog: at least two years from July 2026
}
_VERSION = re.compile(r"^v[0-9]{2}\.0$")

# Facebook Login permissions. pages_show_list lists the Pages (/me/accounts); the others are
# what each network's connector does. Every one except pages_show_list needs App Review
# (Advanced Access) before people outside the app's own roles can grant it.
PAGE_SCOPES = (
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_manage_engagement",
    "pages_read_user_content",
    "read_insights",
)
INSTAGRAM_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
)
ALL_SCOPES = tuple(dict.fromkeys(PAGE_SCOPES + INSTAGRAM_SCOPES))
# Asked for too while the installation receives webhooks (META_WEBHOOK_VERIFY_TOKEN set): Meta
# delivers a Page's `feed` (and, with Facebook Login, its Instagram account's `comments`) only
# once the Page is subscribed to the app, which takes this permission (Webhooks for Pages;
# Instagram webhook fields and permissions). Optional: without it connecting still works and
# comments arrive by polling.
WEBHOOK_SCOPES = ("pages_manage_metadata",)
WEBHOOK_PAGE_FIELDS = "feed"

# Graph error codes (Handling Errors, developers.facebook.com/docs/graph-api/guides/
# error-handling) grouped by what Townsquare does about them.
_TOKEN_CODES = frozenset({102, 190})
_THROTTLE_CODES = frozenset({4, 17, 32, 341, 613}) | frozenset(range(80001, 80015))
_PERMISSION_CODES = frozenset({3, 10}) | frozenset(range(200, 300))
_TEMPORARY_CODES = frozenset({1, 2})
_DUPLICATE_CODE = 506
# Instagram's publishing subcodes (IG error codes reference).
_IG_PUBLISH_LIMIT = 2207042  # 50 API-published posts per 24 hours reached
_IG_MEDIA_FETCH = frozenset({2207003, 2207020, 2207052})  # Meta could not download the media
_IG_NOT_READY = 9007  # media_publish before the container is FINISHED
_MAX_UNTOLD_WAIT_S = 3600.0  # X-App-Usage counts over a rolling hour
_DEFAULT_THROTTLE_S = 300.0
_PERMISSION = re.compile(r"\b((?:pages|instagram|read|business)_[a-z_]+)\b")


class ApiVersionRetired(Reauth):
    """The pinned Graph API version is past Meta's "available until": every Meta account at
    once, repaired by an administrator moving META_GRAPH_API_VERSION forward."""


class MissingPermission(Reauth):
    """Meta refused for a permission the sign-in did not grant (or the app has not passed
    App Review for it): connecting again, after the review where needed, repairs it."""

    def __init__(self, message: str, *, permission: str = "", detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.permission = permission


# --- versions and addresses -------------------------------------------------------------------


def version_problem(version: str, today: date) -> str:
    """Why `version` cannot be used on `today` ("" when it can)."""
    if not _VERSION.match(version):
        return f"{version!r} is not a Graph API version (vNN.0)."
    until = VERSION_AVAILABLE_UNTIL.get(version)
    if until is None:
        return ""  # newer than this table: assumed available
    if today > until:
        return f"Meta retired Graph API {version} on {until.isoformat()}."
    return ""


def days_left(version: str, today: date) -> int | None:
    """Days until Meta retires `version` (None: not known), for the health page."""
    until = VERSION_AVAILABLE_UNTIL.get(version)
    return None if until is None else (until - today).days


def api_url(version: str, path: str, params: Mapping[str, str] | None = None) -> str:
    query = f"?{urlencode(dict(params))}" if params else ""
    return f"{GRAPH_BASE}/{version}/{path.lstrip('/')}{query}"


def authorize_url(version: str) -> str:
    return f"{DIALOG_BASE}/{version}/dialog/oauth"


def token_url(version: str) -> str:
    return api_url(version, "oauth/access_token")


def is_graph_id(value: str) -> bool:
    """A Page, media, post or comment id ("123", "123_456")."""
    return bool(re.fullmatch(r"[0-9]{1,25}(_[0-9]{1,25})?", value))


def checked_id(value: str, what: str = "object") -> str:
    if not is_graph_id(value):
        raise Rejected(f"This is not the id of a Meta {what}.", code="bad_id")
    return value


# --- sign-in ----------------------------------------------------------------------------------


def code_exchange_params(
    client_id: str, secret: str, redirect_uri: str, code: str
) -> dict[str, str]:
    """GET /oauth/access_token: the code for a short-lived user token (Manual flow)."""
    return {
        "client_id": client_id,
        "client_secret": secret,
        "redirect_uri": redirect_uri,
        "code": code,
    }


def long_lived_params(client_id: str, secret: str, short_token: str) -> dict[str, str]:
    """GET /oauth/access_token?grant_type=fb_exchange_token: a user token of about 60 days."""
    return {
        "grant_type": "fb_exchange_token",
        "client_id": client_id,
        "client_secret": secret,
        "fb_exchange_token": short_token,
    }


def granted_permissions(data: Mapping[str, Any]) -> frozenset[str]:
    """The permissions with status "granted" of a GET /me/permissions answer."""
    return frozenset(
        str(item["permission"])
        for item in data_list(data, "permissions")
        if item.get("status") == "granted" and isinstance(item.get("permission"), str)
    )


def managed_pages(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The Pages of a GET /me/accounts answer: id, name, access_token, username and the
    linked Instagram professional account (ig_user_id, ig_username) where there is one."""
    found = []
    for page in data_list(data, "pages"):
        page_id, token = page.get("id"), page.get("access_token")
        if not isinstance(page_id, str) or not is_graph_id(page_id):
            continue
        if not isinstance(token, str) or not token:
            continue  # a Page the person may see but not act for
        entry = {
            "page_id": page_id,
            "access_token": token,
            "name": str(page.get("name") or "")[:255],
            "username": str(page.get("username") or "")[:255],
            "ig_user_id": "",
            "ig_username": "",
        }
        ig = page.get("instagram_business_account")
        if isinstance(ig, Mapping) and is_graph_id(str(ig.get("id") or "")):
            entry["ig_user_id"] = str(ig["id"])
            entry["ig_username"] = str(ig.get("username") or "")[:255]
        found.append(entry)
    return found


# --- requests: Facebook Page ------------------------------------------------------------------


def feed_post_body(text: str, link: str = "", photo_ids: Sequence[str] = ()) -> dict[str, Any]:
    """POST /{page-id}/feed: text, a link (Facebook builds the card) or unpublished photos
    attached as one post (attached_media)."""
    body: dict[str, Any] = {"message": text}
    if link:
        body["link"] = link
    if photo_ids:
        body["attached_media"] = [{"media_fbid": photo_id} for photo_id in photo_ids]
    return body


def photo_body(url: str, caption: str = "", *, published: bool = True) -> dict[str, Any]:
    """POST /{page-id}/photos from a public URL; unpublished for a post of several."""
    body: dict[str, Any] = {"url": url, "published": published}
    if caption and published:
        body["caption"] = caption
    return body


# --- requests: Instagram ----------------------------------------------------------------------


def ig_image_container(
    url: str, caption: str = "", alt_text: str = "", *, item: bool = False
) -> dict[str, Any]:
    body: dict[str, Any] = {"image_url": url}
    if item:
        body["is_carousel_item"] = True
    elif caption:
        body["caption"] = caption
    if alt_text:
        body["alt_text"] = alt_text[:1000]
    return body


def ig_video_container(url: str, caption: str = "", *, item: bool = False) -> dict[str, Any]:
    """A reel (every single feed video is a reel since 2023) or a carousel's video."""
    if item:
        return {"media_type": "VIDEO", "video_url": url, "is_carousel_item": True}
    body: dict[str, Any] = {"media_type": "REELS", "video_url": url}
    if caption:
        body["caption"] = caption
    return body


def ig_carousel_container(children: Sequence[str], caption: str) -> dict[str, Any]:
    body: dict[str, Any] = {"media_type": "CAROUSEL", "children": ",".join(children)}
    if caption:
        body["caption"] = caption
    return body


def container_status(data: Mapping[str, Any]) -> tuple[str, str]:
    """(status_code, status) of GET /{container}?fields=status_code,status: FINISHED,
    IN_PROGRESS, ERROR, EXPIRED or PUBLISHED, and the error's words when ERROR."""
    code = data.get("status_code")
    if not isinstance(code, str) or not code:
        raise UnreadableAnswer(
            "Instagram did not say how the media is coming along.", detail=str(data)[:500]
        )
    return code, str(data.get("status") or "")


# --- answers: errors --------------------------------------------------------------------------


def graph_error(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, dict) else {}


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def error_for(
    status: int,
    headers: Mapping[str, str] | None,
    body: bytes,
    *,
    idempotent: bool,
    now: float | None = None,
) -> NetworkError | None:
    """What an answer of the Graph API means; None for a success.

    Meta says what went wrong in `error.code` (and `error_subcode`), mostly with status 400
    whatever the cause, so the code decides: 190/102 a token no longer accepted (Reauth
    after the shared 401 policy), 4/17/32/613/80001+ throttling (RetryLater with the
    usage headers' estimate), 10/200-299 a missing permission (naming it), 506 a duplicate,
    100 a validation error, 1/2 temporary. Without a Graph error body the HTTP status is
    judged as for every network.
    """
    if 200 <= status < 300:
        return None
    error = graph_error(body)
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    message = _shown(error)
    detail = f"HTTP {status}: {body[:1000].decode('utf-8', errors='replace')}"
    if code is None:
        return error_for_status(status, headers, body, idempotent=idempotent, now=now)
    if code in _TOKEN_CODES:
        return TokenRejected(
            "Meta no longer accepts this account's sign-in (expired, revoked or the "
            f"password changed); connect it again. Meta said: {message}",
            detail=detail,
        )
    if code in _THROTTLE_CODES or subcode == _IG_PUBLISH_LIMIT:
        return RetryLater(
            f"Meta's rate limit was reached. Meta said: {message}",
            after=throttle_wait(headers, now=now, publish_limit=subcode == _IG_PUBLISH_LIMIT),
            detail=detail,
        )
    if code in _PERMISSION_CODES:
        permission = missing_permission(message)
        named = permission or "a permission"
        return MissingPermission(
            f"Meta refused: the app lacks {named} for this account (not granted when it "
            "was connected, or the Meta app has not passed App Review for it). Connect the "
            f"account again after granting it. Meta said: {message}",
            permission=permission,
            detail=detail,
        )
    if code == _DUPLICATE_CODE:
        return Rejected(
            "Meta refuses a post with the same content as the one just before it.",
            code="duplicate",
            detail=detail,
        )
    if code == _IG_NOT_READY:
        return RetryLater(
            "Instagram has not finished preparing the media.", after=30, detail=detail
        )
    if subcode in _IG_MEDIA_FETCH:
        return Rejected(
            "Instagram could not download the media from its public address; the address "
            f"must be reachable from the internet. Meta said: {message}",
            code="media_unreachable",
            detail=detail,
        )
    if code in _TEMPORARY_CODES or error.get("is_transient") is True or status >= 500:
        if status in (504, 524) and not idempotent:
            return OutcomeUnknown(
                "Meta timed out; the request may have been carried out.", detail=detail
            )
        return RetryLater(f"Meta had a temporary problem. Meta said: {message}", detail=detail)
    if code == 100 and subcode == 33:
        return Rejected(
            "Meta no longer has this object (deleted, or no access).",
            code="not_found",
            detail=detail,
        )
    return Rejected(
        f"Meta refused the request. Meta said: {message}", code=f"graph_{code}", detail=detail
    )


def _shown(error: Mapping[str, Any]) -> str:
    for name in ("error_user_msg", "message"):
        value = error.get(name)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:300]
    return "no reason given"


def missing_permission(message: str) -> str:
    """The permission a refusal names ("(#200) Requires pages_manage_posts permission")."""
    found = _PERMISSION.search(message)
    return found.group(1) if found else ""


def throttle_wait(
    headers: Mapping[str, str] | None, *, now: float | None = None, publish_limit: bool = False
) -> float:
    """Seconds to wait after a throttle: the longest `estimated_time_to_regain_access`
    (minutes) of X-Business-Use-Case-Usage or X-Ad-Account-Usage, else Retry-After, else an
    hour when X-App-Usage or X-Page-Usage is at 100% (a rolling hour), else five minutes."""
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    minutes = [m for m in _regain_minutes(lowered.get("x-business-use-case-usage", ""))]
    minutes += _regain_minutes(lowered.get("x-ad-account-usage", ""))
    if minutes and max(minutes) > 0:
        return max(minutes) * 60.0
    after = retry_after_seconds(lowered, now=now)
    if after is not None:
        return after
    if publish_limit or any(
        _usage_full(lowered.get(name, "")) for name in ("x-app-usage", "x-page-usage")
    ):
        return _MAX_UNTOLD_WAIT_S
    return _DEFAULT_THROTTLE_S


def _regain_minutes(raw: str) -> list[float]:
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return []
    entries: list[Any] = []
    if isinstance(data, Mapping):  # X-Business-Use-Case-Usage: {"<id>": [{...}]}
        for value in list(data.values())[:20]:
            entries += value if isinstance(value, list) else [value]
        if "estimated_time_to_regain_access" in data:
            entries.append(data)
    found = []
    for entry in entries[:50]:
        value = entry.get("estimated_time_to_regain_access") if isinstance(entry, Mapping) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            found.append(float(value))
    return found


def _usage_full(raw: str) -> bool:
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return False
    if not isinstance(data, Mapping):
        return False
    return any(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 100 for v in data.values()
    )


def json_body(body: bytes, *, status: int, idempotent: bool) -> dict[str, Any]:
    """A success's JSON object. After a write, an unreadable body means the action may have
    happened without Townsquare knowing what it made: an unknown outcome, never a retry."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    detail = f"HTTP {status}: {body[:500].decode('utf-8', errors='replace')}"
    if idempotent:
        raise UnreadableAnswer("Meta's answer could not be read.", detail=detail)
    raise OutcomeUnknown(
        "Meta accepted the request but its answer could not be read; it may have been carried out.",
        detail=detail,
    )


# --- answers: what was made and lists ---------------------------------------------------------


def created_id(data: Mapping[str, Any], field: str = "id", *, after_write: bool = True) -> str:
    """The id Meta made ("id", or "post_id" of a photo). Missing after a write: unknown."""
    value = data.get(field)
    if isinstance(value, str) and is_graph_id(value):
        return value
    text = f"Meta's answer names no {field}."
    if after_write:
        raise OutcomeUnknown(text + " It may have been published.", detail=str(data)[:500])
    raise UnreadableAnswer(text, detail=str(data)[:500])


def data_list(data: Mapping[str, Any], what: str) -> list[dict[str, Any]]:
    """The `data` array of a Graph collection, or UnreadableAnswer."""
    found = data.get("data")
    if not isinstance(found, list):
        raise UnreadableAnswer(
            f"Meta's list of {what} has an unexpected shape.", detail=str(data)[:500]
        )
    return [item for item in found if isinstance(item, dict)]


def nested_list(item: Mapping[str, Any], field: str) -> list[dict[str, Any]]:
    """An expanded edge inside an object (`comments{...}`): absent means none."""
    edge = item.get(field)
    if not isinstance(edge, Mapping):
        return []
    found = edge.get("data")
    return [x for x in found if isinstance(x, dict)] if isinstance(found, list) else []


def parse_time(value: object) -> datetime | None:
    """Graph times: "2026-12-07T13:00:00+0000" (ISO 8601 without the colon)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def summary_count(item: Mapping[str, Any], field: str) -> int | None:
    """`reactions.summary(total_count)` style counts; None when absent."""
    edge = item.get(field)
    summary = edge.get("summary") if isinstance(edge, Mapping) else None
    value = summary.get("total_count") if isinstance(summary, Mapping) else None
    return _count(value)


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def insight_values(item: Mapping[str, Any]) -> dict[str, int]:
    """Lifetime values of an expanded `insights.metric(...)` edge, by metric name."""
    found: dict[str, int] = {}
    for metric in nested_list(item, "insights"):
        name, values = metric.get("name"), metric.get("values")
        total = metric.get("total_value")
        if isinstance(total, Mapping) and isinstance(name, str):
            value = _count(total.get("value"))
        elif isinstance(values, list) and values and isinstance(values[-1], Mapping):
            value = _count(values[-1].get("value"))
        else:
            value = None
        if isinstance(name, str) and value is not None:
            found[name] = value
    return found


def counts(item: Mapping[str, Any], names: Sequence[str]) -> dict[str, int]:
    return {name: value for name in names if (value := _count(item.get(name))) is not None}


# The 7-day window in which a Page may answer a comment privately (Messenger's private
# replies); after it only a public answer is possible.
PRIVATE_REPLY_WINDOW = timedelta(days=7)


def private_reply_open(comment_time: datetime, now: datetime) -> bool:
    return timedelta(0) <= now - comment_time <= PRIVATE_REPLY_WINDOW


# The permission each network's private reply needs besides the connection's own: Messenger
# Platform "Private Replies" (pages_messaging on the Page token) and Instagram Platform
# "Send a Private Reply to a Commenter" (instagram_manage_messages with Facebook Login).
PRIVATE_REPLY_PERMISSION: Mapping[str, str] = {
    "facebook_page": "pages_messaging",
    "instagram": "instagram_manage_messages",
}
# Asked for too while META_PRIVATE_REPLIES is on (optional, like WEBHOOK_SCOPES); whether the
# person granted it is kept in the account's credentials `extra` under this key ("granted"),
# and only such accounts are offered a private answer in the inbox.
PRIVATE_REPLY_EXTRA = "private_replies"


def private_replies_permitted(extra: Mapping[str, Any]) -> bool:
    return str(extra.get(PRIVATE_REPLY_EXTRA, "")) == "granted"


def private_reply_body(comment_id: str, text: str) -> dict[str, Any]:
    """The Send API body of a private reply: the comment names the recipient."""
    return {
        "recipient": {"comment_id": checked_id(comment_id, "comment")},
        "message": {"text": text},
    }


def private_reply_id(data: Mapping[str, Any]) -> str:
    """The Send API's `message_id` ("m_…" on Messenger, opaque on Instagram): not a Graph
    id, so read as any non-empty text. Missing after the send: the outcome is unknown."""
    value = data.get("message_id")
    if isinstance(value, str) and value.strip() and len(value) <= 512:
        return value
    raise OutcomeUnknown(
        "Meta's answer names no message; the private answer may have been sent.",
        detail=str(data)[:500],
    )
