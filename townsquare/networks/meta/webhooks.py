"""Meta's webhooks for Pages and Instagram: the verify-token handshake, the signature of
each delivery, and comment notifications turned into what the inbox ingests. Pure: no
Django, no I/O; the view that receives them is not wired yet (docs/networks/facebook_page.md,
"Webhooks").

- Handshake (GET): Meta sends hub.mode=subscribe, hub.verify_token (the token entered in
  the app dashboard) and hub.challenge; the endpoint answers the challenge, or 403.
- Delivery (POST): `X-Hub-Signature-256: sha256=<hex>` is the HMAC-SHA256 of the raw body
  with the app secret. It is checked on the bytes as received (re-serialised JSON would
  differ: Meta escapes non-ASCII characters) and compared in constant time.
- Body: {"object": "page"|"instagram", "entry": [{"id", "time", "changes": [{"field",
  "value"}]}]}. Page comments and visitor posts come as field "feed" (item "comment" or
  "post", verb "add"); Instagram comments as field "comments" (and "live_comments").
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from townsquare.networks.base import InboxMessage
from townsquare.networks.meta.payloads import is_graph_id

SIGNATURE_HEADER = "X-Hub-Signature-256"
# A delivery is a batch of at most a few hundred changes; anything far larger is not Meta.
MAX_BODY_BYTES = 1_000_000
MAX_CHANGES = 500


@dataclass(frozen=True, slots=True)
class WebhookMessage:
    """One comment or visitor post of a delivery, and which account it belongs to: the
    Page id (object "page") or the Instagram professional account's id ("instagram")."""

    network: str  # facebook_page | instagram
    account_network_id: str
    message: InboxMessage


def challenge_answer(params: Mapping[str, str], verify_token: str) -> str | None:
    """The text to answer a subscription handshake with, or None (answer 403)."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    given = str(params.get("hub.verify_token") or "")
    if not hmac.compare_digest(given.encode(), verify_token.encode()):
        return None
    challenge = str(params.get("hub.challenge") or "")
    return challenge if challenge and len(challenge) <= 200 else None


def signature_valid(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether `header` is the app secret's HMAC-SHA256 of exactly these bytes."""
    if not app_secret or not header or len(raw_body) > MAX_BODY_BYTES:
        return False
    scheme, _, given = header.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())


def parse_delivery(raw_body: bytes) -> list[WebhookMessage]:
    """The new comments and visitor posts of a (verified) delivery; everything else (likes,
    edits, removals, fields Townsquare does not ingest, malformed entries) is left out."""
    try:
        data = json.loads(raw_body)
    except ValueError:
        return []
    if not isinstance(data, Mapping):
        return []
    kind = data.get("object")
    entries = data.get("entry")
    if kind not in ("page", "instagram") or not isinstance(entries, list):
        return []
    found: list[WebhookMessage] = []
    for entry in entries[:MAX_CHANGES]:
        if not isinstance(entry, Mapping) or not is_graph_id(str(entry.get("id") or "")):
            continue
        owner = str(entry["id"])
        changes = entry.get("changes")
        for change in changes[:MAX_CHANGES] if isinstance(changes, list) else []:
            if not isinstance(change, Mapping) or not isinstance(change.get("value"), Mapping):
                continue
            value = change["value"]
            if kind == "page" and change.get("field") == "feed":
                message = _page_feed(value, owner, entry.get("time"))
                network = "facebook_page"
            elif kind == "instagram" and change.get("field") in ("comments", "live_comments"):
                message = _instagram_comment(value, entry.get("time"))
                network = "instagram"
            else:
                continue
            if message is not None:
                found.append(WebhookMessage(network, owner, message))
    return found


def _when(value: object, fallback: object) -> datetime:
    for candidate in (value, fallback):
        if isinstance(candidate, int | float) and not isinstance(candidate, bool) and candidate > 0:
            seconds = candidate / 1000 if candidate > 10_000_000_000 else candidate
            return datetime.fromtimestamp(seconds, UTC)
        if isinstance(candidate, str) and candidate.isdigit():
            return datetime.fromtimestamp(int(candidate), UTC)
    return datetime.now(UTC)


def _page_feed(value: Mapping[str, Any], page_id: str, entry_time: object) -> InboxMessage | None:
    item, verb = value.get("item"), value.get("verb")
    if verb != "add" or item not in ("comment", "post", "status", "photo"):
        return None
    sender = value.get("from")
    sender_id = str(sender.get("id") or "") if isinstance(sender, Mapping) else ""
    if sender_id == page_id:
        return None  # the Page's own posts and answers are not inbox messages
    name = str(sender.get("name") or "") if isinstance(sender, Mapping) else ""
    post_id = str(value.get("post_id") or "")
    if not is_graph_id(post_id):
        return None
    created = _when(value.get("created_time"), entry_time)
    text = str(value.get("message") or "")
    if item == "comment":
        comment_id = str(value.get("comment_id") or "")
        parent = str(value.get("parent_id") or "")
        if not is_graph_id(comment_id):
            return None
        is_reply = bool(parent) and parent != post_id and is_graph_id(parent)
        return InboxMessage(
            network_message_id=comment_id,
            conversation_id=post_id,
            kind="reply" if is_reply else "comment",
            author_handle=sender_id,
            author_name=name,
            text=text,
            created_at=created,
            in_reply_to_id=parent if is_reply else post_id,
        )
    # A visitor's post on the Page: its own conversation, told apart from comments.
    return InboxMessage(
        network_message_id=post_id,
        conversation_id=post_id,
        kind="mention",
        author_handle=sender_id,
        author_name=name,
        text=text,
        created_at=created,
    )


def _instagram_comment(value: Mapping[str, Any], entry_time: object) -> InboxMessage | None:
    comment_id = str(value.get("id") or "")
    media = value.get("media")
    media_id = str(media.get("id") or "") if isinstance(media, Mapping) else ""
    if not is_graph_id(comment_id) or not is_graph_id(media_id):
        return None
    sender = value.get("from")
    username = str(sender.get("username") or "") if isinstance(sender, Mapping) else ""
    parent = str(value.get("parent_id") or "")
    is_reply = is_graph_id(parent)
    return InboxMessage(
        network_message_id=comment_id,
        conversation_id=media_id,
        kind="reply" if is_reply else "comment",
        author_handle=username,
        author_name=username,
        text=str(value.get("text") or ""),
        created_at=_when(None, entry_time),
        in_reply_to_id=parent if is_reply else media_id,
    )
