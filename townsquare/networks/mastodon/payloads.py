"""Pure: Mastodon's JSON read into Townsquare's data classes, and the other way round.

No I/O and no Django, so every shape a server may send is tested without one.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import urlsplit

from townsquare.networks.base import InboxMessage, MetricSnapshot, PublishedResult, known_count

POST_COUNTERS = {
    "likes": "favourites_count",
    "reposts": "reblogs_count",
    "replies": "replies_count",
    "quotes": "quotes_count",  # Mastodon 4.5+; older instances leave it out
}
ACCOUNT_COUNTERS = {
    "followers": "followers_count",
    "following": "following_count",
    "posts": "statuses_count",
}


class BadInstance(ValueError):
    """What a person typed is not the address of a Mastodon instance."""


def instance_url(value: str) -> str:
    """`https://host[:port]` from "mastodon.social", "@me@host" or a URL; BadInstance else."""
    text = value.strip()
    if text.startswith("@") and text.count("@") == 2:
        text = text.rsplit("@", 1)[1]  # a handle: its instance is after the second @
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port  # both raise ValueError on a malformed address ("http://[::1")
    except ValueError:
        raise BadInstance(value) from None
    host = (parts.hostname or "").lower()
    if (
        parts.scheme not in ("http", "https")
        or not host
        or parts.username
        or parts.password
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or not re.fullmatch(r"[a-z0-9.\-\[\]:]+", host)
    ):
        raise BadInstance(value)
    netloc = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{netloc}{f':{port}' if port else ''}"


def parse_time(value: object) -> datetime:
    """A Mastodon timestamp (ISO 8601) as an aware datetime; the epoch when unreadable."""
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.fromtimestamp(0, UTC)


def id_order(value: object) -> tuple[int, str]:
    """Sort key of Mastodon ids: numeric strings of varying length (snowflakes)."""
    text = str(value or "")
    return (len(text), text)


def newest_id(*ids: str | None) -> str | None:
    present = [value for value in ids if value]
    return max(present, key=id_order) if present else None


class _TextParser(HTMLParser):
    # Mastodon's status HTML: <p> paragraphs, <br> line breaks, and links whose text is split
    # into "invisible" and "ellipsis" spans; all spans together are the link as written.
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("\n")
        elif tag == "p" and self.out:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def html_to_text(content: str) -> str:
    """The plain text of a status's HTML `content`, paragraphs and line breaks kept."""
    parser = _TextParser()
    parser.feed(content or "")
    parser.close()
    return html.unescape("".join(parser.out)).strip()


def same_text(written: str, found: str) -> bool:
    """Whether the text we sent and the text a server shows are the same post's text."""
    return _normalised(written) == _normalised(found)


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def status_result(status: Mapping[str, Any], *, part_ids: tuple[str, ...] = ()) -> PublishedResult:
    status_id = str(status.get("id") or "")
    return PublishedResult(
        network_post_id=status_id,
        url=str(status.get("url") or status.get("uri") or ""),
        published_at=parse_time(status.get("created_at")),
        part_ids=part_ids or (status_id,),
    )


def handle_of(account: Mapping[str, Any], domain: str) -> str:
    """`@user@domain` of an account; `acct` holds only `user` for the instance's own."""
    acct = str(account.get("acct") or account.get("username") or "")
    if not acct:
        return ""
    return "@" + (acct if "@" in acct else f"{acct}@{domain}")


def inbox_message(
    status: Mapping[str, Any],
    *,
    own_account_id: str,
    kind: Literal["mention", "reply", "direct"] | None = None,
    conversation_id: str = "",
) -> InboxMessage | None:
    """A status someone sent us as an inbox message; None for our own or a malformed one."""
    status_id = status.get("id")
    author = status.get("account")
    if not status_id or not isinstance(author, Mapping):
        return None
    if str(author.get("id") or "") == own_account_id:
        return None
    in_reply_to = str(status.get("in_reply_to_id") or "")
    if kind is None:
        if status.get("visibility") == "direct":
            kind = "direct"
        elif in_reply_to and str(status.get("in_reply_to_account_id") or "") == own_account_id:
            kind = "reply"
        else:
            kind = "mention"
    return InboxMessage(
        network_message_id=str(status_id),
        # The thread it belongs to: what it answers, or itself when it starts one.
        conversation_id=conversation_id or in_reply_to or str(status_id),
        kind=kind,
        author_handle="@" + str(author.get("acct") or author.get("username") or ""),
        author_name=str(author.get("display_name") or author.get("username") or ""),
        text=html_to_text(str(status.get("content") or "")),
        created_at=parse_time(status.get("created_at")),
        url=str(status.get("url") or status.get("uri") or ""),
        in_reply_to_id=in_reply_to,
        author_followers=known_count(author.get("followers_count")),
    )


def reply_text(message: InboxMessage, text: str) -> str:
    """The answer, starting with a mention of the author unless it already names them."""
    handle = message.author_handle.strip()
    if not handle or handle == "@":
        return text
    if text.lstrip().lower().startswith(handle.lower()):
        return text
    return f"{handle} {text}"


def post_snapshot(status: Mapping[str, Any], day: date) -> MetricSnapshot:
    metrics = {
        name: _count(status.get(field))
        for name, field in POST_COUNTERS.items()
        if field in status or name != "quotes"
    }
    # A reply (a thread's later part, an answer to someone) and a private mention are
    # conversations, not publications: `published_at` stays empty, so collection counts them
    # only for a post it already tracks (Townsquare's threads), never as posts of their own.
    conversation = bool(status.get("in_reply_to_id")) or status.get("visibility") == "direct"
    return MetricSnapshot(
        day=day,
        network_post_id=str(status.get("id") or ""),
        metrics=metrics,
        published_at=None if conversation else _created_at(status.get("created_at")),
        url=str(status.get("url") or status.get("uri") or ""),
        text=html_to_text(str(status.get("content") or "")),
    )


def _created_at(value: object) -> datetime | None:
    """When a status was published; None when unreadable (parse_time's epoch would be a
    post from 1970)."""
    moment = parse_time(value)
    return None if moment == datetime.fromtimestamp(0, UTC) else moment


def account_snapshot(account: Mapping[str, Any], day: date) -> MetricSnapshot:
    return MetricSnapshot(
        day=day,
        network_post_id="",
        metrics={name: _count(account.get(field)) for name, field in ACCOUNT_COUNTERS.items()},
    )


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return max(0, value)


# --- the inbox cursor: both sources' positions in one string ---------------------------------


def read_cursor(cursor: str | None) -> tuple[str | None, str | None]:
    """(notifications since, conversations since) from a cursor; (None, None) for garbage."""
    if not cursor:
        return None, None
    try:
        data = json.loads(cursor)
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    notes, convs = data.get("notifications"), data.get("conversations")
    return (
        str(notes) if isinstance(notes, str | int) and str(notes).isdigit() else None,
        str(convs) if isinstance(convs, str | int) and str(convs).isdigit() else None,
    )


def write_cursor(notifications: str | None, conversations: str | None) -> str:
    return json.dumps({"notifications": notifications, "conversations": conversations})
