"""Threads (Meta's Threads API): Publisher, InboxSource, MetricsSource and ConnectionCheck
for one Threads profile.

Registered: a Threads profile connected through Settings > Accounts > Connect Threads
(views.py) publishes automatically; one added by hand stays posted by reminder until it is
connected (registry.CONNECT_FIRST).

Publishing is Meta's container flow: a container per post (text, one image or video, or a
carousel of 2 to 20 items, each item a container of its own), media containers polled until
FINISHED, then `threads_publish`. A thread is a reply chain: each later part answers the
part before (`reply_to_id`). Threads fetches media itself, from a public https address the
caller gives through `media_url` (a MediaRef -> URL function; by default the signed public
address of media/public_urls.py); no bytes are uploaded.

Credentials: `access_token` (long-lived), `refresh_token` (the same token: see client.py),
`expires_at`, `extra["user_id"]` (the Threads user id).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.rules.loader import rules_for
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem
from townsquare.networks.threads import payloads
from townsquare.networks.threads.client import ThreadsClient, configured_app, configured_version

# Container status checks: Meta recommends about once a minute for at most five minutes;
# images are usually ready within seconds, so the first checks come sooner.
POLL_WAITS_S = (2.0, 5.0, 15.0, 30.0, 60.0, 60.0, 60.0)
# A new post takes a moment to be listed: before this, "not there" proves nothing.
SETTLE = timedelta(seconds=30)
# Threads counts the 250 posts a day over a rolling 24 hours: with none left, the post is
# tried again this much later.
QUOTA_WAIT_SECONDS = 3600
CLOCK_SLACK = timedelta(minutes=2)
PAGE_SIZE = 25
MAX_PAGES = 3
INBOX_POSTS = 10
REPLIES_PER_POST = 50
METRIC_POSTS = 25

MediaUrl = Callable[[MediaRef], str]

__all__ = ["ThreadsPublisher", "configured_app", "configured_version"]


def _public_media(media: MediaRef) -> str:
    """The file's signed, expiring address under SITE_URL (media/public_urls.py), which
    refuses with `site_url_not_public` before any request when the internet cannot reach
    SITE_URL. Imported at first use: the connector stays importable without the media app."""
    from townsquare.media.public_urls import public_media_url

    return public_media_url(media)


class ThreadsPublisher(ThreadsClient):
    """Publisher, InboxSource, MetricsSource and ConnectionCheck for a Threads profile."""

    def __init__(self, *, media_url: MediaUrl | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The registry makes it without arguments: the installation's public media addresses.
        self._media_url = media_url or _public_media

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

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return validate_variant(variant_input_from(variant), rules)

    def check_connection(self, creds: Credentials) -> None:
        """The token still works (renewed first when due) and still belongs to the
        connected profile."""
        data = self._call(creds, "GET", "me", params={"fields": "id,username"}, idempotent=True)
        if str(data.get("id") or "") != self.user_id(creds):
            raise Reauth(
                "The Threads sign-in now belongs to another profile; connect the account again."
            )

    def profile(self, access_token: str) -> dict[str, Any]:
        """`GET /me?fields=id,username,name`: who the token belongs to."""
        creds = Credentials(
            account_id=0, network=self.network, handle="", access_token=access_token
        )
        data = self._call(
            creds, "GET", "me", params={"fields": "id,username,name"}, idempotent=True
        )
        if not payloads.is_media_id(str(data.get("id") or "")):
            raise RetryLater("Threads did not say who signed in.", detail=str(sorted(data))[:200])
        return data

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        if not variant.parts or not (variant.text.strip() or variant.media):
            raise Rejected("There is nothing to publish.", code="empty")
        # The 500-character and link limits, before anything is sent (networks/rules).
        errors = [p for p in self.validate(variant, rules_for("threads")) if p.is_error]
        if errors:
            raise Rejected(errors[0].message_en, code=errors[0].code)
        # Every address checked before any request (the quota's too).
        urls = [payloads.public_media_url(self._media_url(item)) for item in variant.media]
        self._check_quota(creds, len(variant.parts))
        reply_to = variant.reply_to_id
        ids: list[str] = []
        for index, text in enumerate(variant.parts):
            media = tuple(zip(variant.media, urls, strict=True)) if index == 0 else ()
            container = self._container(creds, text, media, reply_to)
            post_id = self._publish_container(creds, container)
            ids.append(post_id)
            reply_to = post_id
        url, when = self._where(creds, ids[0])
        return PublishedResult(ids[0], url, when, tuple(ids))

    def _container(
        self,
        creds: Credentials,
        text: str,
        media: Sequence[tuple[MediaRef, str]],
        reply_to: str,
    ) -> str:
        """The container of one post, ready to publish (media ones polled until FINISHED).
        Containers are safe to make again: one never published expires after 24 hours."""
        if not media:
            return self._create(creds, payloads.text_container(text, reply_to))
        if len(media) == 1:
            item, url = media[0]
            params = payloads.media_container(
                item.kind, url, text=text, alt_text=item.alt_text, reply_to_id=reply_to
            )
            container = self._create(creds, params)
        else:
            children = []
            for item, url in media:
                child = self._create(
                    creds,
                    payloads.media_container(
                        item.kind, url, alt_text=item.alt_text, carousel_item=True
                    ),
                )
                self._wait_until_ready(creds, child)
                children.append(child)
            container = self._create(creds, payloads.carousel_container(children, text, reply_to))
        self._wait_until_ready(creds, container)
        return container

    def _create(self, creds: Credentials, params: dict[str, str]) -> str:
        # Idempotent in effect: an unpublished container shows nowhere and expires.
        data = self._call(
            creds,
            "POST",
            f"{self.user_id(creds)}/threads",
            params=params,
            idempotent=True,
            needs="threads_content_publish",
        )
        return payloads.created_id(data, what="container", published=False)

    def _wait_until_ready(self, creds: Credentials, container: str) -> None:
        for wait in POLL_WAITS_S:
            self._sleep(wait)
            data = self._call(
                creds, "GET", container, params={"fields": "status,error_message"}, idempotent=True
            )
            status, error = payloads.container_state(data)
            if status == payloads.FINISHED:
                return
            if status == payloads.ERROR:
                raise payloads.container_refusal(error)
            if status == payloads.EXPIRED:
                raise RetryLater("Threads let the prepared media expire; trying again.")
            if status == payloads.PUBLISHED:
                raise OutcomeUnknown("Threads says this container was already published.")
        # Nothing is published yet, so trying again later is safe.
        raise RetryLater("Threads is still preparing the media.", after=120)

    def _publish_container(self, creds: Credentials, container: str) -> str:
        data = self._call(
            creds,
            "POST",
            f"{self.user_id(creds)}/threads_publish",
            params={"creation_id": container},
            idempotent=False,  # a lost answer may hide a published post
            needs="threads_content_publish",
        )
        return payloads.created_id(data, what="post", published=True)

    def _where(self, creds: Credentials, post_id: str) -> tuple[str, datetime]:
        """The post's permalink and time; a failed read does not undo a published post."""
        try:
            data = self._call(
                creds, "GET", post_id, params={"fields": "permalink,timestamp"}, idempotent=True
            )
        except NetworkError:
            return "", self._now()
        return payloads.permalink(data), payloads.timestamp(data) or self._now()

    def _check_quota(self, creds: Credentials, posts: int) -> None:
        """Threads' own count of the profile's posts in the last 24 hours, which also counts
        those another app published: with no room left, nothing is sent and the post waits
        an hour (the scheduler pauses the account meanwhile). A quota that cannot be read
        does not hold the post back; Threads' own refusal would still come."""
        try:
            found = self.publishing_quota(creds)
        except NetworkError:
            return
        if found is None:
            return
        used, total = found
        if used + posts > total:
            raise RetryLater(
                f"Threads' limit of {total} posts in 24 hours is reached for this profile "
                f"({used} published, counting other apps'); trying again in an hour.",
                after=QUOTA_WAIT_SECONDS,
            )

    def publishing_quota(self, creds: Credentials) -> tuple[int, int] | None:
        """(posts published in the last 24 hours, the limit) from
        `threads_publishing_limit`; None when Threads does not say. Meta asks apps that
        schedule to respect the 250-a-day limit themselves (Overview, "Posts")."""
        data = self._call(
            creds,
            "GET",
            f"{self.user_id(creds)}/threads_publishing_limit",
            params={"fields": "quota_usage,config"},
            idempotent=True,
            needs="threads_content_publish",
        )
        return payloads.quota(data)

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The profile's post (or, for a part answering another, reply) with `expected`'s
        text made since `sent_after`; None only when the list was read back past it."""
        if expected is None or sent_after is None or not expected.parts:
            raise OutcomeUnknown(
                "Threads cannot look a post up by a key; without the text and the time it "
                "was sent, a person has to check the profile."
            )
        if sent_after.tzinfo is None:
            sent_after = sent_after.replace(tzinfo=UTC)
        if self._now() - sent_after < SETTLE:
            raise RetryLater("Too early to tell whether Threads has the post.", after=30)
        since = sent_after - CLOCK_SLACK
        edge = "replies" if expected.reply_to_id else "threads"
        params = {
            "fields": payloads.POST_FIELDS,
            "since": str(int(since.timestamp())),
            "limit": str(PAGE_SIZE),
        }
        wanted = " ".join(expected.text.split())
        for _ in range(MAX_PAGES):
            data = self._call(
                creds, "GET", f"{self.user_id(creds)}/{edge}", params=params, idempotent=True
            )
            for post in payloads.items(data):
                created = payloads.timestamp(post)
                same = " ".join(str(post.get("text") or "").split()) == wanted
                if same and (created is None or created >= since):
                    post_id = str(post["id"])
                    return PublishedResult(
                        post_id, payloads.permalink(post), created or self._now(), (post_id,)
                    )
            after = payloads.after_cursor(data)
            if not after or len(payloads.items(data)) < PAGE_SIZE:
                return None
            params = {**params, "after": after}
        raise OutcomeUnknown("Too many posts since this one was sent to tell whether it arrived.")

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        if not payloads.is_media_id(network_post_id):
            raise Rejected("This is not the id of a Threads post.", code="bad_id")
        try:
            self._call(creds, "DELETE", network_post_id, idempotent=True, needs="threads_delete")
        except Rejected as error:
            if error.code in ("http_404", "not_found"):
                return  # already gone (Graph 100/33: "object does not exist"): what was wanted
            raise

    # --- inbox ------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Replies (at any depth) to the profile's latest posts newer than `cursor` (the
        epoch second of the newest reply seen), oldest first; the profile's own left out."""
        seen = int(cursor) if cursor and cursor.isdigit() else 0
        newest = seen
        found: list[tuple[int, InboxMessage]] = []
        posts = self._call(
            creds,
            "GET",
            f"{self.user_id(creds)}/threads",
            params={"fields": payloads.POST_FIELDS, "limit": str(INBOX_POSTS)},
            idempotent=True,
        )
        for post in payloads.items(posts):
            if post.get("has_replies") is False:
                continue
            post_id = str(post["id"])
            data = self._call(
                creds,
                "GET",
                f"{post_id}/conversation",
                params={
                    "fields": payloads.REPLY_FIELDS,
                    "reverse": "true",
                    "limit": str(REPLIES_PER_POST),
                },
                idempotent=True,
                needs="threads_read_replies",
            )
            for reply in payloads.items(data):
                message = _inbox_message(reply, post_id)
                if message is None:
                    continue
                second = int(message.created_at.timestamp())
                if second > seen:
                    found.append((second, message))
                    newest = max(newest, second)
        found.sort(key=lambda pair: pair[0])
        return [message for _, message in found], str(newest) if newest else cursor

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """An answer in the thread: a reply to the reply (Threads nests replies)."""
        if not text.strip():
            raise Rejected("There is nothing to send.", code="empty")
        if not payloads.is_media_id(message.network_message_id):
            raise Rejected("The Threads reply to answer is unknown.", code="bad_id")
        container = self._create(creds, payloads.text_container(text, message.network_message_id))
        post_id = self._publish_container(creds, container)
        url, when = self._where(creds, post_id)
        return PublishedResult(post_id, url, when, (post_id,))

    def hide_reply(self, creds: Credentials, reply_id: str, *, hide: bool = True) -> None:
        """Hide (or show again) a reply to one of the profile's posts (`manage_reply`).
        Threads hides top-level replies only, each with everything nested under it; a
        deeper reply is refused by Threads (Reply Management, "Hide Replies")."""
        if not payloads.is_media_id(reply_id):
            raise Rejected("This is not the id of a Threads reply.", code="bad_id")
        data = self._call(
            creds,
            "POST",
            f"{reply_id}/manage_reply",
            params={"hide": "true" if hide else "false"},
            idempotent=True,  # hiding twice is hiding
            needs="threads_manage_replies",
        )
        if data.get("success") is not True:
            raise RetryLater("Threads did not confirm hiding the reply.", detail=str(data)[:200])

    # --- metrics ----------------------------------------------------------------------------

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        """Today's counters of the profile (followers, profile views) and lifetime counters
        of its posts published since `since`."""
        today = self._now().date()
        user = self.user_id(creds)
        account = self._call(
            creds,
            "GET",
            f"{user}/threads_insights",
            params={"metric": ",".join(payloads.ACCOUNT_METRICS)},
            idempotent=True,
            needs="threads_manage_insights",
        )
        snapshots = [
            MetricSnapshot(day=today, network_post_id="", metrics=payloads.insight_values(account))
        ]
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
        posts = self._call(
            creds,
            "GET",
            f"{user}/threads",
            params={
                "fields": payloads.POST_FIELDS,
                "since": str(int(start.timestamp())),
                "limit": str(METRIC_POSTS),
            },
            idempotent=True,
        )
        for post in payloads.items(posts):
            post_id = str(post["id"])
            data = self._call(
                creds,
                "GET",
                f"{post_id}/insights",
                params={"metric": ",".join(payloads.POST_METRICS)},
                idempotent=True,
                needs="threads_manage_insights",
            )
            snapshots.append(
                MetricSnapshot(
                    day=today,
                    network_post_id=post_id,
                    metrics=payloads.insight_values(data),
                    published_at=payloads.timestamp(post),
                    url=payloads.permalink(post),
                    text=str(post.get("text") or ""),
                )
            )
        return snapshots


def _inbox_message(reply: dict[str, Any], root_id: str) -> InboxMessage | None:
    created = payloads.timestamp(reply)
    if created is None or reply.get("is_reply_owned_by_me") is True:
        return None  # the profile's own answers are not inbox messages
    if reply.get("hide_status") == "HIDDEN":
        return None  # hidden by the profile already (the value Meta's sample app tests)
    parent = payloads.nested_id(reply, "replied_to") or root_id
    username = str(reply.get("username") or "")
    return InboxMessage(
        network_message_id=str(reply["id"]),
        conversation_id=payloads.nested_id(reply, "root_post") or root_id,
        kind="comment" if parent == root_id else "reply",
        author_handle=username,
        # The replies edge names the author by username only.
        author_name="",
        text=str(reply.get("text") or ""),
        created_at=created,
        url=payloads.permalink(reply),
        in_reply_to_id=parent,
    )
