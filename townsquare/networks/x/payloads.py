"""X API v2: the bodies Townsquare sends and what X's answers mean. Pure: no I/O, no Django.

Shapes are those of X's OpenAPI description (`POST /2/tweets` `CreatePostsRequest`,
`CreatePostsResponse`, `GetUsersPostsResponse`, the `Problem` types) and of docs.x.com; the
tests check every body we build against that description.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from townsquare.networks.base import (
    NetworkError,
    OutcomeUnknown,
    PublishedResult,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.http_errors import error_for_status, server_message
from townsquare.networks.oauth2.refresh import TokenRejected

API_BASE = "https://api.x.com"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
TOKEN_URL = "https://api.x.com/2/oauth2/token"  # noqa: S105 (an address, not a secret)
# offline.access brings the refresh token; without it a sign-in lasts two hours. media.write
# lets the account upload pictures and videos (`POST /2/media/upload...`, `/2/media/metadata`).
SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access", "media.write")
# The detail X gives a 403 for a post whose text the account posted recently.
_DUPLICATE = "duplicate content"
_POST_ID = re.compile(r"^[0-9]{1,19}$")
_URL = re.compile(r"https?://\S+")


# --- requests ---------------------------------------------------------------------------------


def post_body(text: str, *, reply_to: str = "", media_ids: Sequence[str] = ()) -> dict[str, Any]:
    """The body of `POST /2/tweets`: text, the post it answers for a thread's next part, and
    the media uploaded for it (`CreatePostsMedia`: 1 to 4 ids)."""
    body: dict[str, Any] = {"text": text}
    if media_ids:
        body["media"] = {"media_ids": list(media_ids)}
    if reply_to:
        if not _POST_ID.match(reply_to):
            raise Rejected("The post to answer on X has no valid id.", code="bad_id")
        body["reply"] = {"in_reply_to_tweet_id": reply_to}
    return body


def is_post_id(value: str) -> bool:
    return bool(_POST_ID.match(value))


def post_url(handle: str, post_id: str) -> str:
    username = handle.lstrip("@")
    return (
        f"https://x.com/{username}/status/{post_id}"
        if username
        else (f"https://x.com/i/web/status/{post_id}")
    )


# --- answers ----------------------------------------------------------------------------------


def error_for(
    status: int,
    headers: Mapping[str, str] | None,
    body: bytes,
    *,
    idempotent: bool,
    now: float | None = None,
) -> NetworkError | None:
    """What an answer of X means; None for a success.

    401 is `TokenRejected` (one forced refresh, then Reauth); a 403 for duplicate content is
    `Rejected`, as are 403s that name a refused action (replying where X does not let the app
    reply); other 403s mean a missing permission: connect again. The rest as every network.
    """
    if 200 <= status < 300:
        return None
    message = server_message(body)
    detail = f"HTTP {status}: {body[:1000].decode('utf-8', errors='replace')}"
    if status == 401:
        return TokenRejected(
            message or "X no longer accepts this account's sign-in.", detail=detail
        )
    if status == 403:
        lowered = message.lower()
        if _DUPLICATE in lowered:
            return Rejected(
                "X refuses a post with the same text as one the account published recently.",
                code="duplicate",
                detail=detail,
            )
        if "not permitted" in lowered or "reply" in lowered or "client-forbidden" in detail:
            return Rejected(message or "X refused this post.", code="rejected", detail=detail)
    return error_for_status(status, headers, body, idempotent=idempotent, now=now)


def json_body(body: bytes, *, status: int, idempotent: bool) -> dict[str, Any]:
    """A success's JSON object. An HTML page or truncated JSON after a write means the post
    may exist without Townsquare knowing its id: an unknown outcome, never a retry."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    detail = f"HTTP {status}: {body[:500].decode('utf-8', errors='replace')}"
    if idempotent:
        raise UnreadableAnswer("X's answer could not be read.", detail=detail)
    raise OutcomeUnknown(
        "X accepted the request but its answer could not be read; the post may have been "
        "published.",
        detail=detail,
    )


def created_post(data: Mapping[str, Any], *, handle: str, now: datetime) -> PublishedResult:
    """The post `POST /2/tweets` made. An answer without it is an unknown outcome, unless X
    listed the errors that stopped it."""
    created = data.get("data")
    post_id = created.get("id") if isinstance(created, Mapping) else None
    if isinstance(post_id, str) and is_post_id(post_id):
        return PublishedResult(
            network_post_id=post_id,
            url=post_url(handle, post_id),
            published_at=now,
            part_ids=(post_id,),
        )
    errors = data.get("errors")
    if isinstance(errors, list) and errors and created is None:
        raise Rejected(
            server_message({"errors": errors}) or "X refused the post.",
            code="rejected",
            detail=json.dumps(errors)[:1000],
        )
    raise OutcomeUnknown(
        "X's answer names no post; the post may have been published.",
        detail=json.dumps(data)[:1000],
    )


def posts_of_page(data: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The posts of one page of a user's timeline, and the token of the next page ("")."""
    posts = data.get("data", [])
    if not isinstance(posts, list):
        raise RetryLater("X's list of posts has an unexpected shape.", detail=str(data)[:500])
    meta = data.get("meta")
    token = meta.get("next_token") if isinstance(meta, Mapping) else None
    return [p for p in posts if isinstance(p, dict)], token if isinstance(token, str) else ""


def replied_to(post: Mapping[str, Any]) -> str | None:
    """The id the post answers, "" for none, None when the answer does not say (the field
    was named referenced_tweets in the docs and referenced_posts in the OpenAPI)."""
    for name in ("referenced_posts", "referenced_tweets"):
        refs = post.get(name)
        if isinstance(refs, list):
            for ref in refs:
                if isinstance(ref, Mapping) and ref.get("type") == "replied_to":
                    return str(ref.get("id") or "")
            return ""
    return None


def full_text(post: Mapping[str, Any]) -> str:
    """The whole text: a long post's `text` is cut, its `note_post`/`note_tweet` is not."""
    for name in ("note_post", "note_tweet"):
        note = post.get(name)
        if isinstance(note, Mapping) and isinstance(note.get("text"), str):
            return str(note["text"])
    text = post.get("text")
    return text if isinstance(text, str) else ""


def same_text(sent: str, shown: str) -> bool:
    """Whether X's text of a post is the text sent. X answers with &amp; &lt; &gt; escaped
    and every link rewritten to t.co, so links count as equal wherever they stand."""

    def normal(text: str) -> str:
        return " ".join(_URL.sub("<link>", html.unescape(text)).split())

    return normal(sent) == normal(shown)


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
