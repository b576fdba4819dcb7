"""Matrix event contents: what Townsquare sends and what it reads back. Pure: no I/O.

Sending: `m.text` with the plain `body` and an HTML `formatted_body` (user text escaped,
links and user ids made clickable, line breaks kept) and `m.mentions` naming exactly the
users the text mentions, so that clients notify them and nobody else. Pictures and videos are
`m.image` / `m.video` events whose `body` is the alt text (the spec's textual description).

Reading: which timeline events concern us (they mention our user id or display name, or
answer one of our events), and the counters of our own events (reactions, replies).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from townsquare.networks.base import InboxMessage, MediaRef, MetricSnapshot

MESSAGE = "m.room.message"
REACTION = "m.reaction"
# https://spec.matrix.org/v1.15/appendices/#user-identifiers: a localpart of lower-case
# letters, digits and ._=-/+ and a server name (host, optionally with a port).
USER_ID = re.compile(r"@[a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(?::\d{1,5})?(?<![.\-])")
LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
MEDIA_MSGTYPES = {"image": "m.image", "gif": "m.image", "video": "m.video", "document": "m.file"}


# --- sending -------------------------------------------------------------------------------


def mentioned_users(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in USER_ID.finditer(text):
        seen.setdefault(match.group(0), None)
    return list(seen)


def formatted_body(text: str) -> str:
    """The text as Matrix HTML: escaped, links and user ids clickable, line breaks kept."""
    pieces: list[str] = []
    position = 0
    tokens = sorted(
        [(m.start(), m.end(), "link") for m in LINK.finditer(text)]
        + [(m.start(), m.end(), "user") for m in USER_ID.finditer(text)]
    )
    for start, end, kind in tokens:
        if start < position:
            continue  # a user id inside a link stays part of the link
        pieces.append(_escape(text[position:start]))
        token = text[start:end]
        href = token if kind == "link" else matrix_to(token)
        pieces.append(f'<a href="{html.escape(href, quote=True)}">{_escape(token)}</a>')
        position = end
    pieces.append(_escape(text[position:]))
    return "".join(pieces)


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def text_content(
    text: str,
    *,
    reply_to: str = "",
    thread_root: str = "",
    mention: Sequence[str] = (),
    own_user_id: str = "",
) -> dict[str, Any]:
    users = [u for u in [*mention, *mentioned_users(text)] if u and u != own_user_id]
    content: dict[str, Any] = {
        "msgtype": "m.text",
        "body": text,
        "format": "org.matrix.custom.html",
        "formatted_body": formatted_body(text),
        "m.mentions": {"user_ids": list(dict.fromkeys(users))} if users else {},
    }
    relation = relates_to(reply_to, thread_root)
    if relation:
        content["m.relates_to"] = relation
    return content


def relates_to(reply_to: str, thread_root: str = "") -> dict[str, Any]:
    """An answer to `reply_to`; inside the thread of `thread_root` when there is one."""
    if not reply_to:
        return {}
    if thread_root:
        return {
            "rel_type": "m.thread",
            "event_id": thread_root,
            "is_falling_back": False,
            "m.in_reply_to": {"event_id": reply_to},
        }
    return {"m.in_reply_to": {"event_id": reply_to}}


def media_content(
    ref: MediaRef, content_uri: str, size: int, width: int | None, height: int | None
) -> dict[str, Any]:
    info: dict[str, Any] = {"mimetype": ref.mime_type, "size": size}
    if width and height and ref.kind != "document":
        info["w"], info["h"] = width, height
    if ref.kind == "video" and ref.duration_s:
        info["duration"] = int(ref.duration_s * 1000)
    fallback = {"image": "Picture", "gif": "Animation", "video": "Video", "document": "File"}
    return {
        "msgtype": MEDIA_MSGTYPES[ref.kind],
        "body": ref.alt_text.strip() or fallback[ref.kind],
        "url": content_uri,
        "info": info,
        "m.mentions": {},
    }


def matrix_to(identifier: str, event_id: str = "", via: str = "") -> str:
    """A matrix.to link to a user, a room, or an event in a room."""
    link = "https://matrix.to/#/" + quote(identifier, safe="@:!#")
    if event_id:
        link += "/" + quote(event_id, safe="")
    if via:
        link += "?via=" + quote(via, safe="")
    return link


def server_of(identifier: str) -> str:
    """The server name of a room, user or event id ("!abc:example.org" -> "example.org")."""
    return identifier.partition(":")[2]


def event_url(room_id: str, event_id: str) -> str:
    return matrix_to(room_id, event_id, via=server_of(room_id))


# --- reading ---------------------------------------------------------------------------------


def timestamp(event: Mapping[str, Any]) -> datetime:
    millis = event.get("origin_server_ts")
    if not isinstance(millis, int) or isinstance(millis, bool):
        return datetime.fromtimestamp(0, UTC)
    return datetime.fromtimestamp(millis / 1000, UTC)


def content_of(event: Mapping[str, Any]) -> Mapping[str, Any]:
    content = event.get("content")
    return content if isinstance(content, Mapping) else {}


def relation_of(event: Mapping[str, Any]) -> Mapping[str, Any]:
    relation = content_of(event).get("m.relates_to")
    return relation if isinstance(relation, Mapping) else {}


def reply_target(event: Mapping[str, Any]) -> str:
    reply = relation_of(event).get("m.in_reply_to")
    if isinstance(reply, Mapping) and isinstance(reply.get("event_id"), str):
        return str(reply["event_id"])
    return ""


def thread_root(event: Mapping[str, Any]) -> str:
    relation = relation_of(event)
    if relation.get("rel_type") == "m.thread" and isinstance(relation.get("event_id"), str):
        return str(relation["event_id"])
    return ""


def is_edit(event: Mapping[str, Any]) -> bool:
    return relation_of(event).get("rel_type") == "m.replace"


def without_reply_fallback(body: str) -> str:
    """The body without the quoted "> <@user:server> ..." lines older clients put on top."""
    lines = body.splitlines()
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index and index < len(lines) and not lines[index].strip():
        index += 1
    return "\n".join(lines[index:]) if index else body


def mentions(event: Mapping[str, Any], user_id: str, display_name: str) -> bool:
    content = content_of(event)
    declared = content.get("m.mentions")
    if isinstance(declared, Mapping):
        ids = declared.get("user_ids")
        if isinstance(ids, list) and user_id in ids:
            return True
    body = content.get("body")
    if not isinstance(body, str):
        return False
    text = without_reply_fallback(body)
    if user_id and user_id in text:
        return True
    # A display name mentions us only as a whole word: "Rösterei" is not "Röst".
    return bool(
        display_name and re.search(rf"(?<!\w){re.escape(display_name)}(?!\w)", text, re.IGNORECASE)
    )


def inbox_message(
    event: Mapping[str, Any],
    *,
    room_id: str,
    own_user_id: str,
    display_name: str,
    own_events: set[str],
    names: Mapping[str, str],
) -> InboxMessage | None:
    """The inbox item an event is for us, or None (not a message, ours, not about us)."""
    if event.get("type") != MESSAGE or is_edit(event):
        return None
    event_id, sender = event.get("event_id"), event.get("sender")
    if not isinstance(event_id, str) or not isinstance(sender, str) or sender == own_user_id:
        return None
    body = content_of(event).get("body")
    if not isinstance(body, str):
        return None  # redacted
    answered = reply_target(event)
    root = thread_root(event)
    answers_us = bool(answered and answered in own_events) or bool(root and root in own_events)
    if not answers_us and not mentions(event, own_user_id, display_name):
        return None
    return InboxMessage(
        network_message_id=event_id,
        conversation_id=root or answered or event_id,
        kind="reply" if answers_us else "mention",
        author_handle=sender,
        author_name=names.get(sender) or sender,
        text=without_reply_fallback(body),
        created_at=timestamp(event),
        url=event_url(room_id, event_id),
        in_reply_to_id=answered or root,
    )


def count_relations(
    events: Iterable[Mapping[str, Any]], targets: set[str]
) -> dict[str, dict[str, int]]:
    """Reactions (m.annotation, summed) and replies (m.in_reply_to or a thread reply) per
    target event, from the timeline events given."""
    counts = {target: {"reactions": 0, "replies": 0} for target in targets}
    for event in events:
        relation = relation_of(event)
        if event.get("type") == REACTION and relation.get("rel_type") == "m.annotation":
            target = relation.get("event_id")
            if isinstance(target, str) and target in counts:
                counts[target]["reactions"] += 1
        elif event.get("type") == MESSAGE and not is_edit(event):
            # A message in a thread answers its root too, whichever message it quotes.
            for target in {reply_target(event), thread_root(event)} & counts.keys():
                counts[target]["replies"] += 1
    return counts


def metric_snapshot(
    event: Mapping[str, Any], counts: Mapping[str, int], room_id: str, day: date
) -> MetricSnapshot:
    """An own message's counters, and for one that answers nobody when, where and what it is.

    A reply or a thread message (a thread's later part, an answer to someone in the room) is
    a conversation, not a publication: `published_at` stays empty, so collection counts it
    only for a post it already tracks (Townsquare's threads), never as a post of its own."""
    event_id = str(event.get("event_id") or "")
    answers = bool(reply_target(event) or thread_root(event))
    stamped = isinstance(event.get("origin_server_ts"), int)
    body = content_of(event).get("body")
    return MetricSnapshot(
        day=day,
        network_post_id=event_id,
        metrics=dict(counts),
        published_at=timestamp(event) if stamped and not answers else None,
        url=event_url(room_id, event_id),
        text=without_reply_fallback(body) if isinstance(body, str) else "",
    )
