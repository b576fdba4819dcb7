"""LinkedIn (versioned REST API, OAuth 2.0 member tokens): organisation pages, and members'
own profiles where the API is the same.

In the publisher registry, with a connect page (views.py). A LinkedIn account that was never
connected stays posted by reminder (registry.CONNECT_FIRST) until someone connects it.

`LinkedInClient` (client.py) holds what both share: the calls, signing in, publishing,
finding a post again, deleting. A page adds the inbox (comments on its posts), answers and
statistics; a profile only publishes (reading a member's posts, comments and statistics
needs r_member_social, which LinkedIn grants to select partners only), so it does not
offer the InboxSource and MetricsSource protocols at all.

Credentials: `access_token`, `refresh_token` (often ""), `expires_at`,
`extra["author_urn"]` (urn:li:organization:N for a page, urn:li:person:ID for a member).
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
from townsquare.networks.linkedin import payloads
from townsquare.networks.linkedin.client import (
    MAX_PAGES,
    PAGE_SIZE,
    LinkedInClient,
    configured_app,
    configured_version,
)

# The inbox reads the comments of the page's latest posts.
INBOX_POSTS = 10
COMMENTS_PER_POST = 50
# Statistics are asked for this many posts per request.
STATS_BATCH = 20

__all__ = [
    "LinkedInPagePublisher",
    "LinkedInProfilePublisher",
    "configured_app",
    "configured_version",
]


class LinkedInPagePublisher(LinkedInClient):
    """Publisher, InboxSource, MetricsSource and ConnectionCheck for a LinkedIn page."""

    network = "linkedin_page"

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            publish=True,
            threads=False,
            delete=True,
            find_published=True,
            inbox=True,
            reply=True,
            metrics=True,
        )

    def check_connection(self, creds: Credentials) -> None:
        """The member still administers the page (and the token and version still work)."""
        author = self.author(creds)
        if author not in self.administered(creds):
            raise Reauth(
                "The LinkedIn member who connected this page is no longer one of its "
                "administrators; an administrator has to connect it again."
            )

    def administered(self, creds: Credentials) -> list[str]:
        data = self._read(
            creds, "/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED"
        )
        return payloads.administered_organizations(data)

    def organization(self, creds: Credentials, urn: str) -> dict[str, Any]:
        """The page's name and vanity name (`GET /rest/organizations/{id}`)."""
        return self._read(creds, f"/rest/organizations/{payloads.organization_id(urn)}")

    # --- inbox ------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Comments on the page's latest posts newer than `cursor` (the time in ms of the
        newest comment seen), oldest first. The page's own comments are left out."""
        author = self.author(creds)
        seen = int(cursor) if cursor and cursor.isdigit() else 0
        newest = seen
        found: list[tuple[int, InboxMessage]] = []
        for post in self._posts(creds, sort="LAST_MODIFIED", start=0, count=INBOX_POSTS):
            post_urn = str(post.get("id") or "")
            if not payloads.is_post_urn(post_urn):
                continue
            data = self._read(
                creds,
                f"/rest/socialActions/{payloads.encoded(post_urn)}/comments"
                f"?count={COMMENTS_PER_POST}",
            )
            for comment in payloads.elements(data, "comments"):
                message = _inbox_message(comment, post_urn, author)
                if message is None:
                    continue
                millis = int(message.created_at.timestamp() * 1000)
                if millis > seen:
                    found.append((millis, message))
                    newest = max(newest, millis)
        found.sort(key=lambda pair: pair[0])
        return [message for _, message in found], str(newest) if newest else cursor

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """An answer as the page in the comment's thread (LinkedIn nests one level: an
        answer to an answer goes under the same top-level comment)."""
        if not text.strip():
            raise Rejected("There is nothing to send.", code="empty")
        post_urn = message.conversation_id
        if not payloads.is_post_urn(post_urn):
            raise Rejected("The LinkedIn post of this comment is unknown.", code="bad_id")
        parent = message.in_reply_to_id if message.kind == "reply" else message.network_message_id
        response = self._call(
            creds,
            "POST",
            f"/rest/socialActions/{payloads.encoded(post_urn)}/comments",
            json=payloads.comment_body(self.author(creds), post_urn, text, parent),
            idempotent=False,
        )
        data = (
            payloads.json_body(response.content, status=response.status_code, idempotent=False)
            if response.content
            else {}
        )
        urn = payloads.created_comment_urn(data, response.headers)
        return PublishedResult(urn, payloads.post_url(post_urn), self._now(), (urn,))

    # --- metrics ----------------------------------------------------------------------------

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        """The page's followers today, and the lifetime counters of its posts published
        since `since` (LinkedIn keeps share statistics for the last twelve months)."""
        author = self.author(creds)
        today = self._now().date()
        snapshots: list[MetricSnapshot] = []
        followers = payloads.follower_count(
            self._read(
                creds,
                f"/rest/networkSizes/{payloads.encoded(author)}"
                "?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
            )
        )
        if followers is not None:
            snapshots.append(MetricSnapshot(today, "", {"firstDegreeSize": followers}))
        posts: dict[str, dict[str, Any]] = {}
        for page in range(MAX_PAGES):
            batch = self._posts(creds, sort="CREATED", start=page * PAGE_SIZE, count=PAGE_SIZE)
            times = [payloads.post_time(p) for p in batch]
            for post, published in zip(batch, times, strict=True):
                urn = str(post.get("id") or "")
                if payloads.is_post_urn(urn) and published and published.date() >= since:
                    posts[urn] = post
            if len(batch) < PAGE_SIZE or any(t and t.date() < since for t in times):
                break
        urns = list(posts)
        for start in range(0, len(urns), STATS_BATCH):
            counters = payloads.share_statistics(
                self._read(creds, self._statistics_path(author, urns[start : start + STATS_BATCH]))
            )
            for urn, values in counters.items():
                if urn not in posts:
                    continue
                post = posts[urn]
                snapshots.append(
                    MetricSnapshot(
                        day=today,
                        network_post_id=urn,
                        metrics=values,
                        published_at=payloads.post_time(post),
                        url=payloads.post_url(urn),
                        text=payloads.unescape_little_text(str(post.get("commentary") or "")),
                    )
                )
        return snapshots

    @staticmethod
    def _statistics_path(author: str, urns: Sequence[str]) -> str:
        shares = ",".join(payloads.encoded(u) for u in urns if u.startswith("urn:li:share:"))
        ugc = ",".join(payloads.encoded(u) for u in urns if u.startswith("urn:li:ugcPost:"))
        path = (
            "/rest/organizationalEntityShareStatistics?q=organizationalEntity"
            f"&organizationalEntity={payloads.encoded(author)}"
        )
        if shares:
            path += f"&shares=List({shares})"
        if ugc:
            path += f"&ugcPosts=List({ugc})"
        return path


class LinkedInProfilePublisher(LinkedInClient):
    """A member's own profile: publishing as the member (w_member_social). Reading the
    member's comments and statistics needs r_member_social, which LinkedIn grants to
    select partners only, so it is no inbox or metrics source."""

    network = "linkedin_profile"

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            publish=True, threads=False, delete=True, find_published=False, metrics=False
        )

    def check_connection(self, creds: Credentials) -> None:
        """The member's token still works (one OpenID Connect read)."""
        self._read(creds, "/v2/userinfo")

    def signed_in_member(self, access_token: str) -> dict[str, Any]:
        """OpenID Connect `GET /v2/userinfo`: the member's id (`sub`) and name."""
        creds = Credentials(
            account_id=0, network=self.network, handle="", access_token=access_token
        )
        response = self._call(creds, "GET", "/v2/userinfo", idempotent=True)
        data = payloads.json_body(response.content, status=response.status_code, idempotent=True)
        sub = data.get("sub")
        if not isinstance(sub, str) or not sub or not payloads.is_urn(f"urn:li:person:{sub}"):
            raise RetryLater("LinkedIn did not say who signed in.", detail=str(data)[:500])
        return data

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        # Listing a member's posts needs r_member_social (restricted): a person checks.
        raise OutcomeUnknown(
            "LinkedIn does not let Townsquare read a member's posts; a person has to check."
        )


def _inbox_message(comment: dict[str, Any], post_urn: str, author: str) -> InboxMessage | None:
    urn = comment.get("commentUrn")
    actor = comment.get("actor")
    created = payloads.comment_time(comment)
    if not isinstance(urn, str) or not urn.startswith("urn:li:comment:") or created is None:
        return None
    if not isinstance(actor, str) or actor == author:
        return None  # the page's own answers are not inbox messages
    parent = comment.get("parentComment")
    is_reply = isinstance(parent, str) and parent.startswith("urn:li:comment:")
    return InboxMessage(
        network_message_id=urn,
        conversation_id=post_urn,
        kind="reply" if is_reply else "comment",
        author_handle=actor,
        # The Comments API names the commenter by URN only; a name needs member lookups
        # LinkedIn does not grant to page tools.
        author_name="",
        text=payloads.comment_text(comment),
        created_at=created,
        url=payloads.post_url(post_urn),
        in_reply_to_id=str(parent) if is_reply else post_urn,
    )
