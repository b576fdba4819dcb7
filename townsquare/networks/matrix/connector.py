"""Matrix rooms: publishing, the inbox and the counters of one room per connected account.

Credentials: `access_token`, `instance_url` (the homeserver), `extra["user_id"]`,
`extra["device_id"]` and `extra["room_id"]`. Every room of one Matrix user shares the token.

Never twice: every event is sent with `PUT .../send/{type}/{txnId}`, and the homeserver
answers a transaction id it has seen from the same device with the event it already made.
The part's idempotency key is the text event's transaction id; media events go out first,
with ids derived from it, so the event that carries the key is the last one of a post, and
finding it means the whole post is out. `find_published` pages back through the room for our
event whose `unsigned.transaction_id` is the key (the homeserver shows it to the device that
sent it).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from townsquare.content.validate import validate_variant, variant_input_from
from townsquare.networks.base import (
    Capabilities,
    Credentials,
    InboxMessage,
    MediaRef,
    MetricSnapshot,
    OutcomeUnknown,
    PublishedResult,
    Reauth,
    Rejected,
    VariantToPublish,
)
from townsquare.networks.matrix import events
from townsquare.networks.matrix.client import UPLOAD_TIMEOUT_S, MatrixClient, path_part
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

logger = logging.getLogger(__name__)

CLIENT = "/_matrix/client/v3"
PAGE_SIZE = 100
# Bounds on one call: pages of the room's timeline read backwards or forwards.
MAX_LOOKUP_PAGES = 20
MAX_INBOX_PAGES = 10
MAX_METRIC_PAGES = 20
MAX_EVENT_LOOKUPS = 50
# The homeserver's clock stamps events, ours stamps `sent_after`: a margin for their drift.
CLOCK_SKEW = timedelta(minutes=5)


class MatrixPublisher:
    """Publisher, InboxSource and MetricsSource for Matrix rooms. Thread-safe."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        media_reader: Callable[[str], bytes] | None = None,
        read_timeout: float | None = None,
    ) -> None:
        self.client = MatrixClient(
            transport=transport,
            **({"read_timeout": read_timeout} if read_timeout else {}),
        )
        self._read_media = media_reader or _read_stored_media

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            publish=True,
            threads=True,
            delete=True,
            find_published=True,
            inbox=True,
            reply=True,
            metrics=True,
        )

    def close(self) -> None:
        self.client.close()

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return validate_variant(variant_input_from(variant), rules)

    # --- requests ---------------------------------------------------------------------------

    def call(
        self, creds: Credentials, method: str, path: str, *, idempotent: bool, **kwargs: Any
    ) -> dict[str, Any]:
        if not creds.instance_url or not creds.access_token:
            raise Reauth("This Matrix room has no stored login; connect it again.")
        return self.client.call(
            creds.instance_url, creds.access_token, method, path, idempotent=idempotent, **kwargs
        )

    def check_connection(self, creds: Credentials) -> None:
        self.call(creds, "GET", f"{CLIENT}/account/whoami", idempotent=True)

    def whoami(self, homeserver: str, token: str) -> dict[str, Any]:
        return self.client.call(
            homeserver, token, "GET", f"{CLIENT}/account/whoami", idempotent=True
        )

    def login(self, homeserver: str, user_id: str, password: str) -> dict[str, Any]:
        """Log in with a password; the answer holds `access_token`, `user_id`, `device_id`."""
        body = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user_id},
            "password": password,
            "initial_device_display_name": "Townsquare",
        }
        # Logging in twice makes a second device and does no other harm.
        return self.client.call(
            homeserver, "", "POST", f"{CLIENT}/login", json=body, idempotent=True
        )

    def joined_rooms(self, homeserver: str, token: str) -> list[dict[str, str]]:
        """The rooms the user has joined, each with its id, name and canonical alias."""
        body = self.client.call(homeserver, token, "GET", f"{CLIENT}/joined_rooms", idempotent=True)
        room_ids = [r for r in _list(body.get("joined_rooms")) if isinstance(r, str)]
        rooms = []
        for room_id in room_ids[:200]:
            name = self._state_field(homeserver, token, room_id, "m.room.name", "name")
            alias = self._state_field(homeserver, token, room_id, "m.room.canonical_alias", "alias")
            rooms.append({"room_id": room_id, "name": name, "alias": alias})
        return rooms

    def _state_field(self, homeserver: str, token: str, room_id: str, kind: str, field: str) -> str:
        try:
            body = self.client.call(
                homeserver,
                token,
                "GET",
                f"{CLIENT}/rooms/{path_part(room_id)}/state/{kind}/",
                idempotent=True,
            )
        except Rejected:
            return ""  # a room without a name or alias (404 M_NOT_FOUND)
        value = body.get(field)
        return value if isinstance(value, str) else ""

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        if not variant.parts:
            raise Rejected("There is nothing to publish.", code="empty")
        user_id = creds.extra.get("user_id", "")
        media_ids = [
            self._send(creds, self._media_content(creds, ref), f"{idempotency_key}:media:{n}")
            for n, ref in enumerate(variant.media)
        ]
        reply_to = variant.reply_to_id
        part_ids: list[str] = []
        for index, text in enumerate(variant.parts):
            key = idempotency_key if index == 0 else f"{idempotency_key}:{index}"
            if not text.strip() and index == 0 and media_ids:
                # Pictures without words: the last picture is the post.
                part_ids.append(media_ids[-1])
                continue
            content = events.text_content(text, reply_to=reply_to, own_user_id=user_id)
            part_ids.append(self._send(creds, content, key))
            reply_to = part_ids[-1]
        return self._result(creds, part_ids)

    def _send(self, creds: Credentials, content: dict[str, Any], txn_id: str) -> str:
        room = path_part(room_of(creds))
        body = self.call(
            creds,
            "PUT",
            f"{CLIENT}/rooms/{room}/send/{events.MESSAGE}/{path_part(txn_id)}",
            json=content,
            idempotent=False,
        )
        event_id = body.get("event_id")
        if not isinstance(event_id, str) or not event_id:
            raise OutcomeUnknown(
                "The Matrix homeserver did not say which event it made.", detail=str(body)[:500]
            )
        return event_id

    def _media_content(self, creds: Credentials, ref: MediaRef) -> dict[str, Any]:
        try:
            data = self._read_media(ref.storage_key)
        except OSError as error:
            raise Rejected(
                "A file of this post is missing from the media library.",
                code="media_missing",
                detail=f"{ref.storage_key}: {error}",
            ) from None
        # Uploading again is harmless: a file no event uses is just unused.
        uploaded = self.call(
            creds,
            "POST",
            "/_matrix/media/v3/upload",
            content=data,
            params={"filename": ref.storage_key.rsplit("/", 1)[-1]},
            headers={"Content-Type": ref.mime_type or "application/octet-stream"},
            timeout=UPLOAD_TIMEOUT_S,
            idempotent=True,
        )
        uri = uploaded.get("content_uri")
        if not isinstance(uri, str) or not uri.startswith("mxc://"):
            raise Rejected(
                "The Matrix homeserver did not accept the file.", detail=str(uploaded)[:500]
            )
        return events.media_content(ref, uri, len(data), ref.width, ref.height)

    def _result(self, creds: Credentials, part_ids: list[str]) -> PublishedResult:
        return PublishedResult(
            network_post_id=part_ids[0],
            url=events.event_url(room_of(creds), part_ids[0]),
            published_at=datetime.now(UTC),
            part_ids=tuple(part_ids),
        )

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """Our event sent with this key, or None once the room's history certainly reaches
        back before `sent_after` (or to its beginning) without it."""
        user_id = creds.extra.get("user_id", "")
        if not user_id:
            raise OutcomeUnknown("The Matrix user of this room is not known; look in the room.")
        earliest = sent_after - CLOCK_SKEW if sent_after else None
        only_ours = {"types": [events.MESSAGE], "senders": [user_id]}
        reached_start = False
        for page, is_last in self._pages(creds, "b", None, MAX_LOOKUP_PAGES, only_ours):
            for event in page:
                unsigned = event.get("unsigned")
                if (
                    event.get("sender") == user_id
                    and isinstance(unsigned, dict)
                    and unsigned.get("transaction_id") == idempotency_key
                    and isinstance(event.get("event_id"), str)
                ):
                    return self._result(creds, [event["event_id"]])
                if earliest is not None and events.timestamp(event) < earliest:
                    return None  # older than the send: it is not there
            reached_start = is_last
        if reached_start:
            return None
        raise OutcomeUnknown(
            "Townsquare could not read far enough back in the room to tell whether the post "
            "went out; look in the room."
        )

    def _pages(
        self,
        creds: Credentials,
        direction: str,
        start: str | None,
        max_pages: int,
        room_filter: dict[str, Any] | None = None,
    ) -> Iterator[tuple[list[dict[str, Any]], bool]]:
        """Pages of `/messages`, each with whether it was the last one the room has."""
        token = start
        for _ in range(max_pages):
            body = self._messages(creds, direction, token, room_filter)
            chunk = [e for e in _list(body.get("chunk")) if isinstance(e, dict)]
            end = body.get("end")
            # The spec omits `end` once the room has nothing further in that direction.
            last = not isinstance(end, str) or not end
            yield chunk, last
            if last or (not chunk and end == token):
                return  # no progress: stop without claiming the room's beginning was reached
            token = end

    def _messages(
        self,
        creds: Credentials,
        direction: str,
        token: str | None,
        room_filter: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"dir": direction, "limit": PAGE_SIZE}
        if token:
            params["from"] = token
        if room_filter:
            params["filter"] = json.dumps(room_filter)
        return self.call(
            creds,
            "GET",
            f"{CLIENT}/rooms/{path_part(room_of(creds))}/messages",
            params=params,
            idempotent=True,
        )

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        if not network_post_id.startswith("$"):
            raise Rejected("This is not a Matrix event id.", code="bad_id")
        room = path_part(room_of(creds))
        try:
            self.call(
                creds,
                "PUT",
                f"{CLIENT}/rooms/{room}/redact/{path_part(network_post_id)}"
                f"/{path_part('redact:' + network_post_id)}",
                json={"reason": "Deleted in Townsquare"},
                idempotent=True,
            )
        except Rejected as error:
            if error.code != "m_not_found":
                raise
            # An event the room no longer has is as deleted as it gets.

    # --- inbox ----------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Messages that mention us or answer our events since `cursor`, oldest first.

        The cursor is the room's own pagination token: `/messages` read forwards from it.
        The first poll reads the latest page backwards (the inbox starts now, not years ago)
        and keeps the token of the room's present as the cursor.
        """
        room_id = room_of(creds)
        if cursor is None:
            body = self._messages(creds, "b", None)
            timeline = [e for e in _list(body.get("chunk")) if isinstance(e, dict)]
            timeline.reverse()
            start = body.get("start")
            next_cursor = start if isinstance(start, str) else None
        else:
            timeline, next_cursor = [], cursor
            for _ in range(MAX_INBOX_PAGES):
                body = self._messages(creds, "f", next_cursor)
                chunk = [e for e in _list(body.get("chunk")) if isinstance(e, dict)]
                timeline += chunk
                end = body.get("end")
                if isinstance(end, str) and end:
                    next_cursor = end
                if not chunk or not isinstance(end, str):
                    break
        user_id = creds.extra.get("user_id", "")
        names = self.member_names(creds)
        own = self._own_events(creds, timeline, user_id)
        messages = [
            message
            for event in timeline
            if (
                message := events.inbox_message(
                    event,
                    room_id=room_id,
                    own_user_id=user_id,
                    display_name=names.get(user_id, ""),
                    own_events=own,
                    names=names,
                )
            )
        ]
        return messages, next_cursor

    def member_names(self, creds: Credentials) -> dict[str, str]:
        """Display names of the room's joined members by user id."""
        body = self.call(
            creds,
            "GET",
            f"{CLIENT}/rooms/{path_part(room_of(creds))}/joined_members",
            idempotent=True,
        )
        joined = body.get("joined")
        if not isinstance(joined, dict):
            return {}
        return {
            user: str(info.get("display_name") or "") if isinstance(info, dict) else ""
            for user, info in joined.items()
        }

    def _own_events(
        self, creds: Credentials, timeline: list[dict[str, Any]], user_id: str
    ) -> set[str]:
        """Ids of our events among those the timeline answers, asking the room about the ones
        the timeline does not contain itself."""
        senders = {e.get("event_id"): e.get("sender") for e in timeline}
        wanted = {
            target
            for e in timeline
            for target in (events.reply_target(e), events.thread_root(e))
            if target
        }
        own = set()
        for target in sorted(wanted)[:MAX_EVENT_LOOKUPS]:
            sender = senders.get(target)
            if sender is None:
                sender = self.event(creds, target).get("sender")
            if sender == user_id:
                own.add(target)
        return own

    def event(self, creds: Credentials, event_id: str) -> dict[str, Any]:
        """One event of the room, or {} when the room does not show it to us."""
        try:
            return self.call(
                creds,
                "GET",
                f"{CLIENT}/rooms/{path_part(room_of(creds))}/event/{path_part(event_id)}",
                idempotent=True,
            )
        except Rejected:
            return {}

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """Answer `message`, in its thread when it was written in one, mentioning its author.
        Sending the same answer again finds the first one (same transaction id)."""
        original = self.event(creds, message.network_message_id)
        if not original:
            raise Rejected("The message to answer no longer exists.", code="parent_missing")
        content = events.text_content(
            text,
            reply_to=message.network_message_id,
            thread_root=events.thread_root(original),
            mention=[message.author_handle],
            own_user_id=creds.extra.get("user_id", ""),
        )
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        event_id = self._send(creds, content, f"reply:{message.network_message_id}:{digest}")
        return self._result(creds, [event_id])

    # --- metrics --------------------------------------------------------------------------------

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        """Today's counters: the room's joined members, and per own event since `since` its
        reactions and replies, counted from the room's timeline read back to `since`."""
        today = datetime.now(UTC).date()
        snapshots = [
            MetricSnapshot(
                day=today, network_post_id="", metrics={"followers": len(self.member_names(creds))}
            )
        ]
        user_id = creds.extra.get("user_id", "")
        earliest = datetime.combine(since, time.min, UTC)
        seen: list[dict[str, Any]] = []
        # Reactions and replies come after the event they are about, so every own event met
        # on the way back has all of its relations among the events already read.
        for page, _last in self._pages(creds, "b", None, MAX_METRIC_PAGES):
            older = [e for e in page if events.timestamp(e) < earliest]
            seen += [e for e in page if events.timestamp(e) >= earliest]
            if older:
                break
        own = {
            str(e["event_id"]): e
            for e in seen
            if e.get("sender") == user_id
            and e.get("type") == events.MESSAGE
            and isinstance(e.get("event_id"), str)
            and not events.is_edit(e)
            and isinstance(events.content_of(e).get("body"), str)
        }
        counts = events.count_relations(seen, set(own))
        room_id = room_of(creds)
        snapshots += [
            events.metric_snapshot(own[event_id], counts[event_id], room_id, today)
            for event_id in sorted(own)
        ]
        return snapshots


def room_of(creds: Credentials) -> str:
    room_id = creds.extra.get("room_id", "")
    if not room_id:
        raise Reauth("This Matrix account names no room; connect it again.")
    return room_id


# --- Django glue: kept out of the class so tests can pass their own ----------------------------


def _read_stored_media(storage_key: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(storage_key, "rb") as handle:
        data: bytes = handle.read()
    return data


def _list(value: object) -> list[Any]:
    """A JSON list from a server's answer; anything else (a number, a string) is no list."""
    return value if isinstance(value, list) else []
