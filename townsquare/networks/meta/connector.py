"""Facebook Pages and Instagram professional accounts through the Graph API.

Both are in the publisher registry and in CONNECT_FIRST: an account publishes automatically
once connected (views.py), by reminder until then. Files go to Meta as their signed public
addresses under SITE_URL (client.signed_public_url).

Credentials: `access_token` (the Page token; Instagram accounts use the token of the Page
they are linked to), `expires_at` None (a Page token from a long-lived user token does not
expire), `extra["page_id"]`, and for Instagram `extra["ig_user_id"]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from townsquare.networks.base import (
    Capabilities,
    Credentials,
    InboxMessage,
    MetricSnapshot,
    OutcomeUnknown,
    PublishedResult,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.meta import payloads, private_replies
from townsquare.networks.meta.client import (
    LIST_LIMIT,
    GraphClient,
    ListedPost,
    configured_app,
    configured_version,
)

__all__ = ["FacebookPagePublisher", "InstagramPublisher", "configured_app", "configured_version"]

INBOX_POSTS = 10
COMMENTS_PER_POST = 50
FB_PHOTOS_MAX = 10
IG_CAROUSEL_MAX = 10
# Reels take a while to process: looked at every few seconds for up to about five minutes.
POLL_INTERVAL_S = 5.0
POLL_ATTEMPTS = 60
# Lifetime post metrics asked for: Meta replaced impressions by media views in 2025.
FB_POST_INSIGHTS = ("post_media_view", "post_total_media_view_unique")
IG_MEDIA_INSIGHTS = ("views", "reach", "saved", "shares")


def _capabilities(*, delete: bool) -> Capabilities:
    return Capabilities(
        publish=True,
        threads=False,
        delete=delete,
        find_published=True,
        inbox=True,
        reply=True,
        metrics=True,
    )


def _single(variant: VariantToPublish, name: str) -> None:
    if not variant.parts:
        raise Rejected("There is nothing to publish.", code="empty")
    if len(variant.parts) > 1:
        raise Rejected(f"{name} has no threads; publish one post.", code="no_threads")
    if variant.reply_to_id:
        raise Rejected(f"A {name} post cannot answer another post.", code="no_replies")


def _cursor_time(cursor: str | None) -> datetime | None:
    return payloads.parse_time(cursor) if cursor else None


def _newest(
    messages: list[InboxMessage], cursor: str | None
) -> tuple[list[InboxMessage], str | None]:
    since = _cursor_time(cursor)
    fresh = sorted(
        (m for m in messages if since is None or m.created_at > since), key=lambda m: m.created_at
    )
    newest = fresh[-1].created_at.isoformat() if fresh else cursor
    return fresh, newest


class FacebookPagePublisher(GraphClient):
    """Publisher, InboxSource, MetricsSource and ConnectionCheck for a Facebook Page."""

    network = "facebook_page"

    @property
    def capabilities(self) -> Capabilities:
        return _capabilities(delete=True)

    @staticmethod
    def page_id(creds: Credentials) -> str:
        page = creds.extra.get("page_id", "")
        if not payloads.is_graph_id(page):
            raise Reauth("The Facebook account does not say which Page it is.")
        return page

    def check_connection(self, creds: Credentials) -> None:
        """The Page token still works and the pinned version is still served."""
        self.check_version()
        self._read(creds, self.page_id(creds), fields="id,name")

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        """Text (with a link card when `link_url`), one photo, or up to ten photos as one
        post. Our engine schedules; the post is published at once."""
        _single(variant, "Facebook")
        page = self.page_id(creds)
        pictures = [m for m in variant.media if m.kind == "image"]
        if len(pictures) != len(variant.media):
            raise Rejected(
                "Facebook Pages take pictures here, not videos or documents.", code="media_kind"
            )
        if len(pictures) > FB_PHOTOS_MAX:
            raise Rejected("A Facebook post takes at most ten pictures.", code="too_many_media")
        if not pictures and not variant.text.strip() and not variant.link_url:
            raise Rejected("There is nothing to publish.", code="empty")
        urls = self.public_urls(pictures)
        if len(urls) == 1:
            made = self._write(creds, f"{page}/photos", payloads.photo_body(urls[0], variant.text))
            post_id = str(made.get("post_id") or "") or payloads.created_id(made)
        else:
            photo_ids = [
                payloads.created_id(
                    self._write(creds, f"{page}/photos", payloads.photo_body(url, published=False))
                )
                for url in urls
            ]
            body = payloads.feed_post_body(
                variant.text, variant.link_url if not urls else "", photo_ids
            )
            post_id = payloads.created_id(self._write(creds, f"{page}/feed", body))
        return PublishedResult(post_id, post_url(post_id), self._now(), (post_id,))

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        payloads.checked_id(network_post_id, "post")
        try:
            self._call(creds, "DELETE", network_post_id, idempotent=True)
        except Rejected as error:
            if error.code == "not_found":
                return  # already gone: what the caller wanted
            raise

    def _listed_posts(self, creds: Credentials, since: datetime) -> list[ListedPost]:
        data = self._read(
            creds,
            f"{self.page_id(creds)}/published_posts",
            fields="id,message,created_time,permalink_url",
            since=str(int(since.timestamp())),
            limit=str(LIST_LIMIT),
        )
        posts = payloads.data_list(data, "posts")
        if len(posts) >= LIST_LIMIT:
            raise OutcomeUnknown(
                "Too many posts since this one was sent to tell whether it arrived."
            )
        return [
            ListedPost(
                str(p["id"]),
                str(p.get("message") or ""),
                payloads.parse_time(p.get("created_time")),
                str(p.get("permalink_url") or post_url(str(p["id"]))),
            )
            for p in posts
            if payloads.is_graph_id(str(p.get("id") or ""))
        ]

    # --- inbox ------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Visitor posts and comments on the Page's latest posts newer than `cursor` (the
        ISO time of the newest one seen), oldest first; the Page's own words left out.
        Webhooks (webhooks.py) bring the same sooner; this is the fallback."""
        page = self.page_id(creds)
        comment_fields = "id,message,from,created_time,permalink_url,parent{id}"
        data = self._read(
            creds,
            f"{page}/feed",
            fields=f"id,message,from,created_time,permalink_url,comments.limit({COMMENTS_PER_POST}){{{comment_fields}}}",
            limit=str(INBOX_POSTS),
        )
        found: list[InboxMessage] = []
        for post in payloads.data_list(data, "posts"):
            post_id = str(post.get("id") or "")
            if not payloads.is_graph_id(post_id):
                continue
            url = str(post.get("permalink_url") or post_url(post_id))
            author_id, author_name = _sender(post)
            created = payloads.parse_time(post.get("created_time"))
            if author_id and author_id != page and created is not None:
                found.append(
                    InboxMessage(
                        post_id,
                        post_id,
                        "mention",
                        author_id,
                        author_name,
                        str(post.get("message") or ""),
                        created,
                        url,
                    )
                )
            for comment in payloads.nested_list(post, "comments"):
                message = _fb_comment(comment, post_id, page, url)
                if message is not None:
                    found.append(message)
        return _newest(found, cursor)

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """An answer as the Page: under the comment (an answer to an answer goes under the
        same top-level comment, as Facebook nests one level), or on a visitor's post."""
        if not text.strip():
            raise Rejected("There is nothing to send.", code="empty")
        reply = message.kind == "reply"
        target = message.in_reply_to_id if reply else message.network_message_id
        payloads.checked_id(target, "comment")
        made = self._write(creds, f"{target}/comments", {"message": text})
        comment_id = payloads.created_id(made)
        return PublishedResult(
            comment_id, message.url or post_url(message.conversation_id), self._now(), (comment_id,)
        )

    def private_reply(
        self, creds: Credentials, message: InboxMessage, text: str
    ) -> PublishedResult:
        """A private answer in Messenger to the author of a comment on the Page, within 7
        days of the comment: `POST /{page-id}/messages` with `recipient.comment_id`."""
        return private_replies.send(self, creds, self.page_id(creds), message, text)

    # --- metrics ----------------------------------------------------------------------------

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        """The Page's followers today, and the lifetime counters of its posts since `since`
        (reactions, comments, shares, and the views Meta counts since it retired
        impressions)."""
        page = self.page_id(creds)
        today = self._now().date()
        snapshots: list[MetricSnapshot] = []
        about = self._read(creds, page, fields="followers_count")
        followers = payloads.counts(about, ("followers_count",))
        if followers:
            snapshots.append(MetricSnapshot(today, "", followers))
        fields = (
            "id,message,created_time,permalink_url,shares,"
            "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),"
            f"insights.metric({','.join(FB_POST_INSIGHTS)})"
        )
        start = datetime.combine(since, datetime.min.time()).timestamp()
        data = self._read(
            creds, f"{page}/published_posts", fields=fields, since=str(int(start)), limit="100"
        )
        for post in payloads.data_list(data, "posts"):
            post_id = str(post.get("id") or "")
            if not payloads.is_graph_id(post_id):
                continue
            values = payloads.insight_values(post)
            for name in ("reactions", "comments"):
                if (count := payloads.summary_count(post, name)) is not None:
                    values[name] = count
            shares = post.get("shares")
            if isinstance(shares, dict) and (n := payloads.counts(shares, ("count",))):
                values["shares"] = n["count"]
            snapshots.append(
                MetricSnapshot(
                    today,
                    post_id,
                    values,
                    payloads.parse_time(post.get("created_time")),
                    str(post.get("permalink_url") or post_url(post_id)),
                    str(post.get("message") or ""),
                )
            )
        return snapshots


class InstagramPublisher(GraphClient):
    """Publisher, InboxSource, MetricsSource and ConnectionCheck for an Instagram
    professional account linked to a Facebook Page."""

    network = "instagram"

    @property
    def capabilities(self) -> Capabilities:
        # The Instagram Graph API offers no way to delete published media.
        return _capabilities(delete=False)

    @staticmethod
    def ig_user(creds: Credentials) -> str:
        ig = creds.extra.get("ig_user_id", "")
        if not payloads.is_graph_id(ig):
            raise Reauth("The Instagram account does not say which professional account it is.")
        return ig

    def check_connection(self, creds: Credentials) -> None:
        self.check_version()
        self._read(creds, self.ig_user(creds), fields="id,username")

    # --- publishing through containers -----------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        """One picture, one reel, or a carousel of 2 to 10 pictures and videos: a container
        per item, waited for until FINISHED, then published."""
        _single(variant, "Instagram")
        ig = self.ig_user(creds)
        media = variant.media
        if not media:
            raise Rejected("An Instagram post needs a picture or a video.", code="media_required")
        if any(m.kind not in ("image", "video") for m in media):
            raise Rejected("Instagram takes pictures and videos only.", code="media_kind")
        if len(media) > IG_CAROUSEL_MAX:
            raise Rejected("An Instagram carousel takes at most ten items.", code="too_many_media")
        urls = self.public_urls(media)
        caption = variant.text
        if len(media) == 1:
            one = media[0]
            body = (
                payloads.ig_image_container(urls[0], caption, one.alt_text)
                if one.kind == "image"
                else payloads.ig_video_container(urls[0], caption)
            )
            container = self._container(creds, ig, body)
        else:
            children = [
                self._container(
                    creds,
                    ig,
                    payloads.ig_image_container(url, alt_text=m.alt_text, item=True)
                    if m.kind == "image"
                    else payloads.ig_video_container(url, item=True),
                )
                for m, url in zip(media, urls, strict=True)
            ]
            container = self._container(
                creds, ig, payloads.ig_carousel_container(children, caption)
            )
        made = self._write(creds, f"{ig}/media_publish", {"creation_id": container})
        media_id = payloads.created_id(made)
        return PublishedResult(media_id, self._permalink(creds, media_id), self._now(), (media_id,))

    def _container(self, creds: Credentials, ig: str, body: dict[str, Any]) -> str:
        """A container made and waited for. Nothing is public yet: a failure here is safe
        to retry, so a timeout while making one is a RetryLater, not an unknown outcome."""
        try:
            container = payloads.created_id(self._write(creds, f"{ig}/media", body))
        except OutcomeUnknown as unknown:
            raise RetryLater(
                "Instagram did not confirm the media; nothing was published.", detail=unknown.detail
            ) from None
        for attempt in range(POLL_ATTEMPTS):
            code, status = payloads.container_status(
                self._read(creds, container, fields="status_code,status")
            )
            if code == "FINISHED":
                return container
            if code == "ERROR":
                raise Rejected(
                    f"Instagram could not process the media: {status or 'no reason given'}.",
                    code="media_error",
                )
            if code in ("EXPIRED", "PUBLISHED"):
                raise RetryLater(
                    f"Instagram's media container is {code.lower()}; it will be made again."
                )
            if attempt + 1 < POLL_ATTEMPTS:
                self._sleep(POLL_INTERVAL_S)
        raise RetryLater(
            "Instagram is still processing the media; nothing was published yet.", after=60
        )

    def _permalink(self, creds: Credentials, media_id: str) -> str:
        try:
            data = self._read(creds, media_id, fields="permalink")
        except (RetryLater, Rejected):
            return ""  # published all the same; the address can be read later
        link = data.get("permalink")
        return link if isinstance(link, str) and link.startswith("https://") else ""

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        raise Rejected(
            "Instagram's API cannot delete a post; delete it in the Instagram app.",
            code="no_delete",
        )

    def _listed_posts(self, creds: Credentials, since: datetime) -> list[ListedPost]:
        data = self._read(
            creds,
            f"{self.ig_user(creds)}/media",
            fields="id,caption,timestamp,permalink",
            limit=str(LIST_LIMIT),
        )
        posts = [
            ListedPost(
                str(item["id"]),
                str(item.get("caption") or ""),
                payloads.parse_time(item.get("timestamp")),
                str(item.get("permalink") or ""),
            )
            for item in payloads.data_list(data, "posts")
            if payloads.is_graph_id(str(item.get("id") or ""))
        ]
        times = [p.time for p in posts if p.time is not None]
        if len(posts) >= LIST_LIMIT and times and min(times) >= since:
            raise OutcomeUnknown(
                "Too many posts since this one was sent to tell whether it arrived."
            )
        return posts

    # --- inbox ------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Comments and their replies on the account's latest media newer than `cursor`,
        oldest first; the account's own answers left out."""
        ig = self.ig_user(creds)
        me = creds.handle.lstrip("@").lower()
        comment = "id,text,timestamp,username"
        data = self._read(
            creds,
            f"{ig}/media",
            fields=f"id,permalink,comments.limit({COMMENTS_PER_POST}){{{comment},replies{{{comment}}}}}",
            limit=str(INBOX_POSTS),
        )
        found: list[InboxMessage] = []
        for item in payloads.data_list(data, "media"):
            media_id = str(item.get("id") or "")
            if not payloads.is_graph_id(media_id):
                continue
            url = str(item.get("permalink") or "")
            for top in payloads.nested_list(item, "comments"):
                message = _ig_comment(top, media_id, media_id, url, me)
                if message is not None:
                    found.append(message)
                for answer in payloads.nested_list(top, "replies"):
                    reply = _ig_comment(answer, media_id, str(top.get("id") or ""), url, me)
                    if reply is not None:
                        found.append(reply)
        return _newest(found, cursor)

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """An answer under the top-level comment (Instagram nests one level)."""
        if not text.strip():
            raise Rejected("There is nothing to send.", code="empty")
        target = message.in_reply_to_id if message.kind == "reply" else message.network_message_id
        payloads.checked_id(target, "comment")
        comment_id = payloads.created_id(self._write(creds, f"{target}/replies", {"message": text}))
        return PublishedResult(comment_id, message.url, self._now(), (comment_id,))

    def private_reply(
        self, creds: Credentials, message: InboxMessage, text: str
    ) -> PublishedResult:
        """A private answer in Instagram Direct to the author of a comment, within 7 days of
        the comment: `POST /{ig-user-id}/messages` with `recipient.comment_id`."""
        return private_replies.send(self, creds, self.ig_user(creds), message, text)

    # --- metrics ----------------------------------------------------------------------------

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        ig = self.ig_user(creds)
        today = self._now().date()
        snapshots: list[MetricSnapshot] = []
        about = self._read(creds, ig, fields="followers_count,follows_count,media_count")
        account = payloads.counts(about, ("followers_count", "follows_count", "media_count"))
        if account:
            snapshots.append(MetricSnapshot(today, "", account))
        fields = (
            "id,caption,timestamp,permalink,media_product_type,like_count,comments_count,"
            f"insights.metric({','.join(IG_MEDIA_INSIGHTS)})"
        )
        data = self._read(creds, f"{ig}/media", fields=fields, limit=str(LIST_LIMIT))
        for item in payloads.data_list(data, "media"):
            media_id = str(item.get("id") or "")
            published = payloads.parse_time(item.get("timestamp"))
            if not payloads.is_graph_id(media_id) or published is None or published.date() < since:
                continue
            values = {
                **payloads.counts(item, ("like_count", "comments_count")),
                **payloads.insight_values(item),
            }
            snapshots.append(
                MetricSnapshot(
                    today,
                    media_id,
                    values,
                    published,
                    str(item.get("permalink") or ""),
                    str(item.get("caption") or ""),
                )
            )
        return snapshots


# --- helpers ------------------------------------------------------------------------------------


def post_url(post_id: str) -> str:
    return f"https://www.facebook.com/{post_id}"


def _sender(item: dict[str, Any]) -> tuple[str, str]:
    # `from` is only given to a Page token with pages_read_user_content; absent, unknown.
    sender = item.get("from")
    if not isinstance(sender, dict):
        return "", ""
    return str(sender.get("id") or ""), str(sender.get("name") or "")


def _fb_comment(comment: dict[str, Any], post_id: str, page: str, url: str) -> InboxMessage | None:
    comment_id = str(comment.get("id") or "")
    created = payloads.parse_time(comment.get("created_time"))
    author_id, author_name = _sender(comment)
    if not payloads.is_graph_id(comment_id) or created is None or author_id == page:
        return None
    parent = comment.get("parent")
    parent_id = str(parent.get("id") or "") if isinstance(parent, dict) else ""
    is_reply = payloads.is_graph_id(parent_id)
    return InboxMessage(
        network_message_id=comment_id,
        conversation_id=post_id,
        kind="reply" if is_reply else "comment",
        author_handle=author_id,
        author_name=author_name,
        text=str(comment.get("message") or ""),
        created_at=created,
        url=str(comment.get("permalink_url") or url),
        in_reply_to_id=parent_id if is_reply else post_id,
    )


def _ig_comment(
    comment: dict[str, Any], media_id: str, parent: str, url: str, me: str
) -> InboxMessage | None:
    comment_id = str(comment.get("id") or "")
    created = payloads.parse_time(comment.get("timestamp"))
    username = str(comment.get("username") or "")
    if not payloads.is_graph_id(comment_id) or created is None:
        return None
    if me and username.lower() == me:
        return None  # the account's own answers
    is_reply = parent != media_id
    return InboxMessage(
        network_message_id=comment_id,
        conversation_id=media_id,
        kind="reply" if is_reply else "comment",
        author_handle=username,
        author_name=username,
        text=str(comment.get("text") or ""),
        created_at=created,
        url=url,
        in_reply_to_id=parent,
    )
