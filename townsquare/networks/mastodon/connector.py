"""Mastodon: publishing, the inbox and the counters of one account on any instance.

Publishing never posts twice: each status is sent with Townsquare's key as its
`Idempotency-Key` (an instance keeps it for an hour and answers a repeat with the first
status). Mastodon cannot look a status up by that key, so `find_published` lists the account's
own statuses made since the send started and matches the text and the status it answers.

A thread goes out part by part: the engine passes the previous part's status id as
`reply_to_id`, which becomes `in_reply_to_id`.

Credentials: `access_token` (OAuth, no expiry), `instance_url` and `extra["account_id"]`
(the account's id on its instance).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
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
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.mastodon import payloads
from townsquare.networks.mastodon.api import (
    UPLOAD_TIMEOUT_S,
    MastodonApi,
    body_of,
    expect_dict,
    expect_list,
)
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

logger = logging.getLogger(__name__)

# Bounds on one look: pages of the account's statuses, notifications or conversations.
MAX_PAGES = 5
PAGE_SIZE = 40  # Mastodon's maximum for these lists
# Waiting for an upload to be processed: 1, 2, 4, 8, 8... seconds, about two minutes in all.
# A video still processing after that is "later", never a failure.
MEDIA_POLL_DELAYS = (1.0, 2.0, 4.0, *([8.0] * 14))
# Visibilities an answer keeps from what it answers: never more public than the question.
NARROW_VISIBILITIES = ("unlisted", "private", "direct")


class MastodonPublisher:
    """Publisher, InboxSource and MetricsSource for Mastodon. Thread-safe."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        media_reader: Callable[[str], bytes] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        read_timeout: float | None = None,
    ) -> None:
        self.api = MastodonApi(
            transport=transport,
            **({"read_timeout": read_timeout} if read_timeout else {}),
        )
        self._read_media = media_reader or _read_stored_media
        self._sleep = sleep

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
        self.api.close()

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return validate_variant(variant_input_from(variant), rules)

    # --- requests as the account ------------------------------------------------------------

    def _json(
        self, creds: Credentials, method: str, path: str, *, idempotent: bool, **kwargs: Any
    ) -> Any:
        return self.api.json(
            _instance(creds),
            method,
            path,
            token=creds.access_token,
            idempotent=idempotent,
            **kwargs,
        )

    def own_account_id(self, creds: Credentials) -> str:
        known = creds.extra.get("account_id")
        if known:
            return known
        account = self.verify_credentials(creds)
        return str(account.get("id") or "")

    def check_connection(self, creds: Credentials) -> None:
        self.verify_credentials(creds)

    def verify_credentials(self, creds: Credentials) -> dict[str, Any]:
        body = self._json(creds, "GET", "/api/v1/accounts/verify_credentials", idempotent=True)
        return expect_dict(body, what="verify_credentials", idempotent=True)

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        if not variant.parts:
            raise Rejected("There is nothing to publish.", code="empty")
        if any(ref.kind == "document" for ref in variant.media):
            raise Rejected(
                "Mastodon takes pictures and videos, not documents.", code="unsupported_media"
            )
        media_ids = [self._upload(creds, ref) for ref in variant.media]
        reply_to = variant.reply_to_id
        statuses: list[dict[str, Any]] = []
        for index, text in enumerate(variant.parts):
            body: dict[str, Any] = {"status": text, "visibility": "public"}
            if index == 0 and media_ids:
                body["media_ids"] = media_ids
            if variant.content_warning:
                body["spoiler_text"] = variant.content_warning
            if variant.language:
                body["language"] = variant.language
            if reply_to:
                body["in_reply_to_id"] = reply_to
            # The engine's key names one part; further parts of a variant get their own.
            key = idempotency_key if index == 0 else f"{idempotency_key}:{index}"
            status = self._post_status(creds, body, key)
            statuses.append(status)
            reply_to = str(status["id"])
        ids = tuple(str(status["id"]) for status in statuses)
        return payloads.status_result(statuses[0], part_ids=ids)

    def _post_status(self, creds: Credentials, body: dict[str, Any], key: str) -> dict[str, Any]:
        # Not idempotent for the error classification: a timeout after sending may have
        # published it. The Idempotency-Key makes a deliberate second send safe.
        answer = self._json(
            creds,
            "POST",
            "/api/v1/statuses",
            json=body,
            headers={"Idempotency-Key": key},
            idempotent=False,
        )
        status = expect_dict(answer, what="status", idempotent=False)
        if not status.get("id"):
            raise OutcomeUnknown(
                "Mastodon's answer names no status; the post may have been published.",
                detail=str(status)[:500],
            )
        return status

    def _upload(self, creds: Credentials, ref: MediaRef) -> str:
        """The id of the uploaded attachment, once Mastodon has processed it."""
        try:
            data = self._read_media(ref.storage_key)
        except OSError as error:
            raise Rejected(
                "A file of this post is missing from the media library.",
                code="media_missing",
                detail=f"{ref.storage_key}: {error}",
            ) from None
        name = ref.storage_key.rsplit("/", 1)[-1] or "upload"
        form = {"description": ref.alt_text} if ref.alt_text else {}
        # Uploading again is harmless (an attachment no status uses is removed by the
        # instance), so a timed-out upload is retried rather than left unknown.
        response = self.api.request(
            _instance(creds),
            "POST",
            "/api/v2/media",
            token=creds.access_token,
            files={"file": (name, data, ref.mime_type or "application/octet-stream")},
            data=form,
            timeout=UPLOAD_TIMEOUT_S,
            idempotent=True,
        )
        media = expect_dict(body_of(response, idempotent=True), what="media", idempotent=True)
        media_id = str(media.get("id") or "")
        if not media_id:
            raise RetryLater("Mastodon did not confirm the upload.", detail=str(media)[:500])
        if response.status_code == 202 or not media.get("url"):
            self._wait_until_processed(creds, media_id)
        return media_id

    def _wait_until_processed(self, creds: Credentials, media_id: str) -> None:
        # 202 on upload and 206 on GET mean "still processing"; 200 with a url means ready.
        for delay in MEDIA_POLL_DELAYS:
            self._sleep(delay)
            response = self.api.request(
                _instance(creds),
                "GET",
                f"/api/v1/media/{media_id}",
                token=creds.access_token,
                idempotent=True,
            )
            if response.status_code == 206:
                continue
            media = body_of(response, idempotent=True)
            if isinstance(media, dict) and media.get("url"):
                return
        raise RetryLater(
            "Mastodon is still processing an attachment; the post goes out when it is ready.",
            after=60,
            detail=f"media {media_id} still processing",
        )

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The account's status with `expected`'s text and parent, made after `sent_after`.

        None only when the listing reached back past `sent_after` without finding it.
        """
        if expected is None or sent_after is None or not expected.parts:
            raise OutcomeUnknown(
                "Mastodon cannot look a post up by its key; without the text and the time it "
                "was sent, a person has to check the account.",
            )
        account_id = self.own_account_id(creds)
        if not account_id:
            raise OutcomeUnknown("The Mastodon account's id is unknown.")
        if sent_after.tzinfo is None:
            sent_after = sent_after.replace(tzinfo=UTC)
        max_id: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE_SIZE}
            if max_id:
                params["max_id"] = max_id
            page = expect_list(
                self._json(
                    creds,
                    "GET",
                    f"/api/v1/accounts/{account_id}/statuses",
                    params=params,
                    idempotent=True,
                ),
                what="statuses",
            )
            for status in page:
                if payloads.parse_time(status.get("created_at")) < sent_after:
                    return None  # the listing now covers the whole period
                if status.get("reblog") or not self._matches(creds, status, expected):
                    continue
                return payloads.status_result(status)
            if len(page) < PAGE_SIZE:
                return None  # the account has no older statuses
            max_id = min((str(s.get("id")) for s in page), key=payloads.id_order)
        raise OutcomeUnknown(
            "Too many statuses since the post was sent to tell whether it arrived.",
        )

    def _matches(
        self, creds: Credentials, status: dict[str, Any], expected: VariantToPublish
    ) -> bool:
        if str(status.get("in_reply_to_id") or "") != expected.reply_to_id:
            return False
        try:
            source = self._json(
                creds, "GET", f"/api/v1/statuses/{status['id']}/source", idempotent=True
            )
        except Rejected:
            source = None  # deleted meanwhile, or an instance without the endpoint
        if isinstance(source, dict) and isinstance(source.get("text"), str):
            return payloads.same_text(expected.text, source["text"])
        return payloads.same_text(expected.text, payloads.html_to_text(status.get("content", "")))

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        if not network_post_id.isdigit():
            raise Rejected("This is not the id of a Mastodon status.", code="bad_id")
        try:
            self._json(creds, "DELETE", f"/api/v1/statuses/{network_post_id}", idempotent=True)
        except Rejected as error:
            if error.code == "http_404":
                return  # already gone: what the caller wanted
            raise

    # --- inbox ----------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Mentions, replies and direct messages newer than `cursor`, oldest first.

        The cursor holds the newest notification id and the newest direct status id seen.
        A first poll reads one page of each: the inbox starts now, not years ago.
        """
        own_id = self.own_account_id(creds)
        notes_since, convs_since = payloads.read_cursor(cursor)
        found: dict[str, InboxMessage] = {}
        notes, notes_next = self._pages(
            creds, "/api/v1/notifications", notes_since, {"types[]": "mention"}
        )
        for note in notes:
            status = note.get("status")
            if isinstance(status, dict) and note.get("type") == "mention":
                message = payloads.inbox_message(status, own_account_id=own_id)
                if message is not None:
                    found[message.network_message_id] = message
        convs, convs_next = self._pages(
            creds, "/api/v1/conversations", convs_since, {}, position=_last_status_id
        )
        for conversation in convs:
            status = conversation.get("last_status")
            if not isinstance(status, dict):
                continue
            if convs_since and payloads.id_order(status.get("id")) <= payloads.id_order(
                convs_since
            ):
                continue  # a conversation whose newest message was seen already
            message = payloads.inbox_message(
                status,
                own_account_id=own_id,
                kind="direct",
                conversation_id=str(conversation.get("id") or ""),
            )
            if message is not None:
                found[message.network_message_id] = message
        messages = sorted(found.values(), key=lambda m: payloads.id_order(m.network_message_id))
        return messages, payloads.write_cursor(notes_next, convs_next)

    def _pages(
        self,
        creds: Credentials,
        path: str,
        since: str | None,
        params: dict[str, Any],
        position: Callable[[dict[str, Any]], str] = lambda item: str(item.get("id") or ""),
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Items newer than `since` (bounded), and the newest position seen for the cursor.

        `position` is what the list is paged by: a notification's id, a conversation's last
        status id.
        """
        items: list[dict[str, Any]] = []
        newest = since
        for _ in range(MAX_PAGES):
            query = {**params, "limit": PAGE_SIZE}
            if newest:
                query["min_id"] = newest  # the page right after it, walking forward
            page = expect_list(
                self._json(creds, "GET", path, params=query, idempotent=True), what=path
            )
            items += page
            newest = payloads.newest_id(newest, *(p for i in page if (p := position(i)).isdigit()))
            if not since or len(page) < PAGE_SIZE:
                break
        return items, newest

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """Answer `message` in its thread, naming its author, no more public than it was."""
        visibility = "direct" if message.kind == "direct" else "public"
        if visibility != "direct":
            try:
                parent = self._json(
                    creds,
                    "GET",
                    f"/api/v1/statuses/{message.network_message_id}",
                    idempotent=True,
                )
            except Rejected as error:
                if error.code == "http_404":
                    raise Rejected(
                        "The message to answer no longer exists.", code="parent_missing"
                    ) from None
                raise
            if isinstance(parent, dict) and parent.get("visibility") in NARROW_VISIBILITIES:
                visibility = str(parent["visibility"])
        answer = payloads.reply_text(message, text)
        digest = hashlib.sha256(answer.encode()).hexdigest()[:16]
        body = {
            "status": answer,
            "visibility": visibility,
            "in_reply_to_id": message.network_message_id,
        }
        status = self._post_status(creds, body, f"reply:{message.network_message_id}:{digest}")
        return payloads.status_result(status)

    # --- metrics --------------------------------------------------------------------------------

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        """Today's counters of the account and of each of its statuses since `since`."""
        today = datetime.now(UTC).date()
        account = self.verify_credentials(creds)
        snapshots = [payloads.account_snapshot(account, today)]
        account_id = creds.extra.get("account_id") or str(account.get("id") or "")
        max_id: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE_SIZE}
            if max_id:
                params["max_id"] = max_id
            page = expect_list(
                self._json(
                    creds,
                    "GET",
                    f"/api/v1/accounts/{account_id}/statuses",
                    params=params,
                    idempotent=True,
                ),
                what="statuses",
            )
            older = False
            for status in page:
                if payloads.parse_time(status.get("created_at")).date() < since:
                    older = True
                    break
                if not status.get("reblog"):
                    snapshots.append(payloads.post_snapshot(status, today))
            if older or len(page) < PAGE_SIZE:
                break
            max_id = min((str(s.get("id")) for s in page), key=payloads.id_order)
        return snapshots


def _last_status_id(conversation: dict[str, Any]) -> str:
    status = conversation.get("last_status")
    return str(status.get("id") or "") if isinstance(status, dict) else ""


def _instance(creds: Credentials) -> str:
    if not creds.instance_url:
        raise Reauth("This Mastodon account has no instance address; connect it again.")
    return creds.instance_url


# --- Django glue: kept out of the class so tests can pass their own -------------------------


def _read_stored_media(storage_key: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(storage_key, "rb") as handle:
        data: bytes = handle.read()
    return data
