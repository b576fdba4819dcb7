"""Bluesky: publishing, the inbox and the counters of one account on any PDS.

Publishing never posts twice: Bluesky has no idempotency key, so each part gets a record key
derived from Townsquare's key (`payloads.rkey_for`) and is written with
`com.atproto.repo.createRecord`. Sending it again names a record that exists, which the PDS
refuses; a refused or unanswered write is therefore followed by a look at that key, and a
record found there is the post. `find_published` reads the same keys.

A thread goes out part by part: the engine passes the previous part's at:// URI as
`reply_to_id`; its record (read from our own PDS, which has it at once) gives the content
hash (CID) that a reply reference needs and the thread's root.

Media: up to four pictures (shrunk to fit) or one MP4 video (`videos`), uploaded as blobs
before the first part; either wins over a link card.

Credentials: `handle`, `access_token` and `refresh_token` (the session's JWTs),
`instance_url` (the PDS or entryway, https://bsky.social when empty), `extra["did"]` and
`extra["app_password"]` (to log in again once the refresh token no longer works).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
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
    NetworkError,
    OutcomeUnknown,
    PublishedResult,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.bluesky import payloads, videos
from townsquare.networks.bluesky.cards import Card, CardUnavailable, fetch_card
from townsquare.networks.bluesky.images import IMAGE_MAX_BYTES, THUMB_MAX_BYTES, fit_image
from townsquare.networks.bluesky.payloads import POST_COLLECTION, StrongRef
from townsquare.networks.bluesky.xrpc import UPLOAD_TIMEOUT_S, Session, Xrpc, error_name
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

logger = logging.getLogger(__name__)

# Lookups stop here: a thread longer than any network allows cannot be waiting to be found.
MAX_THREAD_PARTS = 100
# Bounds on one poll: pages of notifications or of the author feed.
MAX_PAGES = 10
PAGE_SIZE = 50
GET_POSTS_BATCH = 25  # app.bsky.feed.getPosts takes at most 25 URIs
GET_PROFILES_BATCH = 25  # app.bsky.actor.getProfiles takes at most 25 actors
MISSING = frozenset({"RecordNotFound", "NotFound", "HandleNotFound"})


class BlueskyPublisher:
    """Publisher, InboxSource and MetricsSource for Bluesky. Thread-safe."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        on_session: Callable[[Credentials, Session], None] | None = None,
        card_fetcher: Callable[[str], Card] = fetch_card,
        media_reader: Callable[[str], bytes] | None = None,
        read_timeout: float | None = None,
    ) -> None:
        self.xrpc = Xrpc(
            on_session or store_session,
            transport=transport,
            **({"read_timeout": read_timeout} if read_timeout else {}),
        )
        self._fetch_card = card_fetcher
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
        self.xrpc.close()

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return validate_variant(variant_input_from(variant), rules)

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        if not variant.parts:
            raise Rejected("There is nothing to publish.", code="empty")
        video = videos.check_media(variant.media)  # before anything is read or sent
        did = self.did_of(creds)
        reply: dict[str, Any] | None = None
        if variant.reply_to_id:
            reply = self._reply_to(creds, variant.reply_to_id)
        embed = self._video_embed(creds, video) if video else self._embed(creds, variant)
        refs: list[StrongRef] = []
        for index, text in enumerate(variant.parts):
            record = payloads.build_post(
                text,
                created_at=payloads.now_iso(),
                facets=self._facets(creds, text),
                reply=reply,
                embed=embed if index == 0 else None,
                languages=(variant.language,),
            )
            ref = self._create(creds, did, part_rkey(idempotency_key, index), record)
            refs.append(ref)
            root = reply["root"] if reply else ref.as_json()
            reply = {"root": root, "parent": ref.as_json()}
        return self._result(creds, refs)

    def check_connection(self, creds: Credentials) -> None:
        """The session is renewed (or the app password used again) as for any call; only a
        login that no longer works at all raises Reauth."""
        self.xrpc.call(creds, "GET", "com.atproto.server.getSession", idempotent=True)

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The post written with this key, every part of it found in a row, or None."""
        did = self.did_of(creds)
        refs: list[StrongRef] = []
        for index in range(MAX_THREAD_PARTS):
            found = self._get_record(creds, did, part_rkey(idempotency_key, index))
            if found is None:
                break
            refs.append(StrongRef(found["uri"], found["cid"]))
        return self._result(creds, refs) if refs else None

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        try:
            uri = payloads.parse_at_uri(network_post_id)
        except ValueError as error:
            raise Rejected(str(error), code="bad_id") from None
        # Deleting what is already gone succeeds on a PDS: the outcome the caller wanted.
        self.xrpc.call(
            creds,
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": uri.repo, "collection": uri.collection, "rkey": uri.rkey},
            idempotent=True,
        )

    def did_of(self, creds: Credentials) -> str:
        did = creds.extra.get("did") or self.xrpc.session(creds).did
        if did:
            return did
        body = self.xrpc.call(
            creds,
            "GET",
            "com.atproto.identity.resolveHandle",
            params={"handle": creds.handle.lstrip("@")},
            idempotent=True,
        )
        return str(body.get("did", ""))

    def _create(self, creds: Credentials, did: str, rkey: str, record: dict[str, Any]) -> StrongRef:
        body = {"repo": did, "collection": POST_COLLECTION, "rkey": rkey, "record": record}
        try:
            created = self.xrpc.call(
                creds, "POST", "com.atproto.repo.createRecord", json=body, idempotent=False
            )
        except (Rejected, RetryLater, OutcomeUnknown) as error:
            if isinstance(error, RetryLater) and error.after is not None:
                raise  # a rate limit: nothing was written, and asking again costs quota
            # A replay fails because the record exists (a PDS answers 500 or a conflict),
            # and a timed-out write may have landed: the record key tells.
            existing = self._lookup_after_failure(creds, did, rkey, error)
            if existing is None:
                raise
            return existing
        uri, cid = created.get("uri"), created.get("cid")
        if not isinstance(uri, str) or not isinstance(cid, str):
            raise OutcomeUnknown("Bluesky's answer could not be read.", detail=str(created)[:500])
        return StrongRef(uri, cid)

    def _lookup_after_failure(
        self, creds: Credentials, did: str, rkey: str, error: NetworkError
    ) -> StrongRef | None:
        try:
            found = self._get_record(creds, did, rkey)
        except NetworkError:
            return None  # the original error says more than the failed lookup
        if found is None:
            return None
        logger.info("Bluesky record %s already existed after: %s", rkey, error.detail[:200])
        return StrongRef(found["uri"], found["cid"])

    def _get_record(self, creds: Credentials, repo: str, rkey: str) -> dict[str, Any] | None:
        params = {"repo": repo, "collection": POST_COLLECTION, "rkey": rkey}
        try:
            body = self.xrpc.call(
                creds, "GET", "com.atproto.repo.getRecord", params=params, idempotent=True
            )
        except Rejected as error:
            if error_name(error) in MISSING:
                return None
            raise
        if not isinstance(body.get("uri"), str) or not isinstance(body.get("cid"), str):
            return None
        return body

    def _reply_to(self, creds: Credentials, parent_uri: str) -> dict[str, Any]:
        """{root, parent} for an answer to `parent_uri`, from the parent's record."""
        try:
            uri = payloads.parse_at_uri(parent_uri)
        except ValueError as error:
            raise Rejected(f"Cannot answer this post: {error}", code="bad_parent") from None
        found = self._get_record(creds, uri.repo, uri.rkey)
        if found is None:
            raise Rejected("The post to answer no longer exists.", code="parent_missing")
        value = found.get("value")
        return payloads.reply_refs(
            StrongRef(found["uri"], found["cid"]), value if isinstance(value, dict) else {}
        )

    def _facets(self, creds: Credentials, text: str) -> list[dict[str, Any]]:
        dids = {
            handle: did
            for handle in payloads.mentioned_handles(text)
            if (did := self._resolve_handle(creds, handle))
        }
        return payloads.facets_for(text, dids)

    def _resolve_handle(self, creds: Credentials, handle: str) -> str:
        try:
            body = self.xrpc.call(
                creds,
                "GET",
                "com.atproto.identity.resolveHandle",
                params={"handle": handle},
                idempotent=True,
            )
        except Rejected:
            return ""  # no such account: the mention stays plain text, as in Bluesky's app
        return str(body.get("did", ""))

    def _embed(self, creds: Credentials, variant: VariantToPublish) -> dict[str, Any] | None:
        # One embed per post: pictures (or a video, see publish) win over the card; the link
        # stays clickable as a facet.
        images = [ref for ref in variant.media if ref.kind in ("image", "gif")]
        if images:
            return payloads.images_embed([self._upload_image(creds, ref) for ref in images])
        if variant.link_url:
            return self._card_embed(creds, variant.link_url)
        return None

    def _video_embed(self, creds: Credentials, ref: MediaRef) -> dict[str, Any]:
        data = self._read(ref, "The video of this post is missing from the media library.")
        videos.check_video_file(data)
        blob = self._upload_blob(
            creds, data, videos.VIDEO_MIME, timeout=videos.VIDEO_UPLOAD_TIMEOUT_S
        )
        return payloads.video_embed(blob, ref.alt_text, ref.width, ref.height)

    def _read(self, ref: MediaRef, missing: str) -> bytes:
        try:
            return self._read_media(ref.storage_key)
        except OSError as error:
            raise Rejected(
                missing, code="media_missing", detail=f"{ref.storage_key}: {error}"
            ) from None

    def _upload_image(
        self, creds: Credentials, ref: MediaRef
    ) -> tuple[dict[str, Any], str, int | None, int | None]:
        data = self._read(ref, "A picture of this post is missing from the media library.")
        try:
            data, mime, width, height = fit_image(data, ref.mime_type, IMAGE_MAX_BYTES)
        except Exception as error:
            # Nothing has been sent yet: a picture that cannot be read or shrunk (a broken
            # file, a decompression bomb, ImageTooLarge) is a refusal, never an unknown.
            raise Rejected(
                "A picture cannot be prepared for Bluesky.",
                code="image_unusable",
                detail=f"{type(error).__name__}: {error}",
            ) from None
        blob = self._upload_blob(creds, data, mime)
        return blob, ref.alt_text, width or ref.width, height or ref.height

    def _upload_blob(
        self, creds: Credentials, data: bytes, mime: str, *, timeout: float = UPLOAD_TIMEOUT_S
    ) -> dict[str, Any]:
        # Uploading is safe to repeat: a blob that no record uses is dropped by the PDS.
        body = self.xrpc.call(
            creds,
            "POST",
            "com.atproto.repo.uploadBlob",
            content=data,
            headers={"Content-Type": mime},
            timeout=timeout,
            idempotent=True,
        )
        blob = body.get("blob")
        if not isinstance(blob, dict):
            raise RetryLater("Bluesky did not confirm the upload.", detail=str(body)[:500])
        return blob

    def _card_embed(self, creds: Credentials, url: str) -> dict[str, Any] | None:
        try:
            card = self._fetch_card(url)
        except CardUnavailable as error:
            logger.info("no link card for %s: %s", url, error)
            return None
        thumb = None
        if card.thumb:
            try:
                data, mime, _w, _h = fit_image(card.thumb, card.thumb_mime, THUMB_MAX_BYTES)
            except Exception:  # a card without its picture is still a card
                data = b""
            if data:
                thumb = self._upload_blob(creds, data, mime)
        return payloads.external_embed(url, card.facts.title, card.facts.description, thumb)

    def _result(self, creds: Credentials, refs: list[StrongRef]) -> PublishedResult:
        first = refs[0].uri
        return PublishedResult(
            network_post_id=first,
            url=payloads.post_url(creds.handle.lstrip("@"), first),
            published_at=datetime.now(UTC),
            part_ids=tuple(ref.uri for ref in refs),
        )

    # --- inbox ----------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Mentions, replies and quotes newer than `cursor`, oldest first, and the next cursor.

        The cursor is the newest `indexedAt` seen. Bluesky's own cursor pages backwards in
        time, so each poll reads from the newest notification down to the one it saw last
        (bounded); an item at exactly the cursor's time comes again, for the inbox to skip
        by its id.
        """
        since = payloads.parse_time(cursor) if cursor else None
        newest = since
        messages: list[InboxMessage] = []
        page: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE_SIZE}
            if page:
                params["cursor"] = page
            body = self.xrpc.call(
                creds,
                "GET",
                "app.bsky.notification.listNotifications",
                params=params,
                idempotent=True,
            )
            reached = False
            found: list[tuple[str, InboxMessage]] = []
            for item in payloads.mappings(body.get("notifications")):
                indexed = payloads.parse_time(item.get("indexedAt"))
                if since is not None and indexed < since:
                    reached = True
                    break
                newest = indexed if newest is None or indexed > newest else newest
                message = payloads.inbox_message_from(item)
                if message is not None:
                    found.append((payloads.author_did(item), message))
            messages += self._with_followers(creds, found)
            page = payloads.page_cursor(body)
            if reached or not page or since is None:
                break  # a first poll reads one page: the inbox starts now, not years ago
        messages.reverse()
        return messages, payloads.iso(newest) if newest else cursor

    def _with_followers(
        self, creds: Credentials, found: Sequence[tuple[str, InboxMessage]]
    ) -> list[InboxMessage]:
        """The messages of one page with their authors' follower counts. A notification's
        author is a ProfileView without counts, so the page's authors are read in one
        `app.bsky.actor.getProfiles` call per 25; when that fails the counts stay unknown,
        since the messages matter more than the counts."""
        dids = list(dict.fromkeys(did for did, _message in found if did))
        followers: dict[str, int] = {}
        for start in range(0, len(dids), GET_PROFILES_BATCH):
            try:
                body = self.xrpc.call(
                    creds,
                    "GET",
                    "app.bsky.actor.getProfiles",
                    params={"actors": dids[start : start + GET_PROFILES_BATCH]},
                    idempotent=True,
                )
            except NetworkError as error:
                logger.warning("reading the follower counts of inbox authors failed: %s", error)
                break  # a refusing or busy server is not asked again in this poll
            followers.update(payloads.followers_by_did(body))
        return [
            replace(message, author_followers=followers[did]) if did in followers else message
            for did, message in found
        ]

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """Answer `message` in its thread. Sending the same answer again finds the first one."""
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        key = f"reply:{message.network_message_id}:{digest}"
        variant = VariantToPublish(
            variant_id=0,
            account_id=creds.account_id,
            network="bluesky",
            parts=(text,),
            reply_to_id=message.network_message_id,
        )
        return self.publish(creds, variant, key)

    # --- metrics --------------------------------------------------------------------------------

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        """Today's counters of the account and of each of its posts since `since`."""
        did = self.did_of(creds)
        today = datetime.now(UTC).date()
        profile = self.xrpc.call(
            creds, "GET", "app.bsky.actor.getProfile", params={"actor": did}, idempotent=True
        )
        snapshots = [payloads.account_snapshot(profile, today)]
        return snapshots + self.post_metrics(creds, self._own_posts_since(creds, did, since))

    def post_metrics(self, creds: Credentials, uris: Sequence[str]) -> list[MetricSnapshot]:
        """Likes, reposts, replies and quotes of the given posts, as of today."""
        today = datetime.now(UTC).date()
        snapshots = []
        for start in range(0, len(uris), GET_POSTS_BATCH):
            body = self.xrpc.call(
                creds,
                "GET",
                "app.bsky.feed.getPosts",
                params={"uris": list(uris[start : start + GET_POSTS_BATCH])},
                idempotent=True,
            )
            snapshots += [
                payloads.post_snapshot(post, today) for post in payloads.mappings(body.get("posts"))
            ]
        return snapshots

    def _own_posts_since(self, creds: Credentials, did: str, since: date) -> list[str]:
        uris: list[str] = []
        page: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"actor": did, "limit": 100, "filter": "posts_with_replies"}
            if page:
                params["cursor"] = page
            body = self.xrpc.call(
                creds, "GET", "app.bsky.feed.getAuthorFeed", params=params, idempotent=True
            )
            older = False
            for item in payloads.mappings(body.get("feed")):
                post = payloads.mapping(item.get("post"))
                if item.get("reason") or payloads.mapping(post.get("author")).get("did") != did:
                    continue  # a repost of someone else's post
                record = payloads.mapping(post.get("record"))
                if payloads.parse_time(record.get("createdAt")).date() < since:
                    older = True
                    break
                uris.append(str(post.get("uri")))
            page = payloads.page_cursor(body)
            if older or not page:
                break
        return uris


def part_rkey(idempotency_key: str, index: int) -> str:
    """The record key of part `index` of the post made with `idempotency_key`."""
    return payloads.rkey_for(f"{idempotency_key}:{index}")


# --- Django glue: kept out of the classes so tests can pass their own -------------------------


def store_session(creds: Credentials, session: Session) -> None:
    """Store a renewed session with the account's credentials, encrypted."""
    from townsquare.networks.credentials import read_credentials, store_credentials
    from townsquare.networks.models import SocialAccount

    account = SocialAccount.objects.filter(pk=creds.account_id).first()
    if account is None:
        return
    values = read_credentials(account)
    extra = dict(values.get("extra") or {})
    if session.did:
        extra["did"] = session.did
    values.update(access_token=session.access_jwt, refresh_token=session.refresh_jwt, extra=extra)
    store_credentials(account, values)
    expires = session.expires_at
    if expires:
        account.token_expires_at = datetime.fromtimestamp(expires, UTC)
        account.save(update_fields=["token_expires_at"])


def _read_stored_media(storage_key: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(storage_key, "rb") as handle:
        data: bytes = handle.read()
    return data
