"""LinkedIn (versioned REST API, OAuth 2.0 member tokens): organisation pages, and members'
own profiles where the API is the same.

Not in the publisher registry yet (docs/networks/linkedin_page.md, "Registering"): LinkedIn
accounts are published by reminder until the connect page and the registry line land.

Every call goes through `_call`: the pinned `LinkedIn-Version` and Rest.li 2.0 headers, the
token renewed first when it expires within five minutes (only where LinkedIn gave a refresh
token: approved partners), and a 401 answered with one forced renewal and one retry before
the account must be connected again (networks/oauth2/refresh.py).

LinkedIn has no idempotency key. A post whose answer was lost is looked for with
`find_published` among the author's posts since the send began, by its text.

Credentials: `access_token`, `refresh_token` (often ""), `expires_at`,
`extra["author_urn"]` (urn:li:organization:N for a page, urn:li:person:ID for a member).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from townsquare.content.validate import validate_variant, variant_input_from
from townsquare.lib.http import UnsafeTarget, outbound_client
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
from townsquare.networks.http_errors import error_for_exception
from townsquare.networks.linkedin import payloads
from townsquare.networks.linkedin.uploads import MediaUploads
from townsquare.networks.oauth2.refresh import call_with_refresh, refresh_if_needed
from townsquare.networks.oauth2.tokens import (
    OAuthApp,
    TokenSet,
    code_exchange_request,
    parse_token_answer,
    refresh_request,
)
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 20.0
PAGE_SIZE = 50
MAX_PAGES = 3
# A new post takes a moment to be listed: before this, "not there" proves nothing.
SETTLE = timedelta(seconds=30)
CLOCK_SLACK = timedelta(minutes=2)
# The inbox reads the comments of the page's latest posts.
INBOX_POSTS = 10
COMMENTS_PER_POST = 50
# Statistics are asked for this many posts per request.
STATS_BATCH = 20

Renewer = Callable[[Credentials], Credentials]


class LinkedInPagePublisher:
    """Publisher, InboxSource, MetricsSource and ConnectionCheck for a LinkedIn page."""

    network = "linkedin_page"

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        app: OAuthApp | None = None,
        renew: Renewer | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        media_reader: Callable[[str], bytes] | None = None,
        version: str = "",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = outbound_client(
            timeout=httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            headers={"Accept": "application/json"},
            transport=transport,
        )
        self._app = app
        self._renew = renew or self._renew_and_store
        self._now = clock
        self._version = version or configured_version()
        self._uploads = MediaUploads(
            call=self._call,
            put=self._put,
            read_media=media_reader or _read_stored_media,
            sleep=sleep,
        )

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

    def close(self) -> None:
        self._http.close()

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return validate_variant(variant_input_from(variant), rules)

    # --- requests as the account ------------------------------------------------------------

    def _call(
        self,
        creds: Credentials,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        extra_headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """LinkedIn's answer (a success: errors are raised classified), with the token
        renewed as the policy says."""
        current = refresh_if_needed(creds, self._now(), self._renew)

        def send(with_creds: Credentials) -> httpx.Response:
            return self._send(with_creds, method, path, idempotent, json, extra_headers)

        return call_with_refresh(current, send, self._renew)

    def _send(
        self,
        creds: Credentials,
        method: str,
        path: str,
        idempotent: bool,
        json: Any = None,
        extra_headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = {**payloads.headers(creds.access_token, self._version), **(extra_headers or {})}
        try:
            response = self._http.request(
                method, f"{payloads.API_BASE}{path}", headers=headers, json=json
            )
        except UnsafeTarget as exc:
            raise RetryLater("LinkedIn could not be reached.", detail=str(exc)) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise error_for_exception(exc, idempotent=idempotent) from exc
        error = payloads.error_for(
            response.status_code,
            response.headers,
            response.content,
            idempotent=idempotent,
            now=self._now().timestamp(),
        )
        if error is not None:
            raise error
        return response

    def _read(self, creds: Credentials, path: str) -> dict[str, Any]:
        response = self._call(creds, "GET", path, idempotent=True)
        return payloads.json_body(response.content, status=response.status_code, idempotent=True)

    def _put(self, creds: Credentials, url: str, data: bytes) -> httpx.Response:
        """Upload bytes to an address LinkedIn gave. The token goes only to LinkedIn's own
        hosts; the part is not idempotent (a lost answer leaves the upload unknown)."""
        host = (urlsplit(url).hostname or "").lower()
        headers = {"Content-Type": "application/octet-stream"}
        if host == "linkedin.com" or host.endswith(".linkedin.com"):
            headers["Authorization"] = f"Bearer {creds.access_token}"
        try:
            response = self._http.put(url, content=data, headers=headers)
        except UnsafeTarget as exc:
            raise RetryLater("LinkedIn's upload address was refused.", detail=str(exc)) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise error_for_exception(exc, idempotent=False) from exc
        error = payloads.error_for(
            response.status_code, response.headers, response.content, idempotent=False
        )
        if error is not None:
            raise error
        return response

    @staticmethod
    def author(creds: Credentials) -> str:
        urn = creds.extra.get("author_urn", "")
        if not payloads.is_urn(urn):
            raise Reauth("The LinkedIn account does not say which page or member it is.")
        return urn

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

    # --- signing in -----------------------------------------------------------------------

    def sign_in_tokens(self, app: OAuthApp, code: str) -> tuple[TokenSet, datetime | None]:
        """The tokens for an authorization code, and when the refresh token lapses (None:
        no refresh token, the account lasts as long as its access token)."""
        request = code_exchange_request(app, code, verifier="")
        return self._token_request(request.url, dict(request.form), dict(request.headers), app)

    def _token_request(
        self, url: str, form: dict[str, str], headers: dict[str, str], app: OAuthApp
    ) -> tuple[TokenSet, datetime | None]:
        try:
            response = self._http.post(url, data=form, headers=headers)
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            raise error_for_exception(exc, idempotent=True) from exc
        now = self._now()
        tokens = parse_token_answer(
            response.status_code, response.headers, response.content, now=now
        )
        tokens = payloads.with_linkedin_scopes(tokens, app.scopes)
        refresh_expiry = payloads.refresh_token_expiry(response.content, now)
        return tokens, refresh_expiry if tokens.refresh_token else None

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        if not variant.parts or not variant.text.strip():
            raise Rejected("There is nothing to publish.", code="empty")
        if len(variant.parts) > 1:
            raise Rejected("LinkedIn has no threads; publish one post.", code="no_threads")
        if variant.reply_to_id:
            raise Rejected("A LinkedIn post cannot answer another post.", code="no_replies")
        author = self.author(creds)
        self._uploads.check(variant.media)  # before anything is uploaded
        media = self._uploads.upload_all(creds, author, variant.media, title=variant.title)
        response = self._call(
            creds,
            "POST",
            "/rest/posts",
            json=payloads.post_body(author, variant.text, media),
            idempotent=False,  # a timeout after sending may have published it
        )
        urn = payloads.created_post_urn(response.headers)
        return PublishedResult(urn, payloads.post_url(urn), self._now(), (urn,))

    def _posts(
        self, creds: Credentials, *, sort: str, start: int, count: int
    ) -> list[dict[str, Any]]:
        author = payloads.encoded(self.author(creds))
        data = self._read(
            creds,
            f"/rest/posts?author={author}&q=author&count={count}&start={start}&sortBy={sort}",
        )
        return payloads.elements(data, "posts")

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The author's post with `expected`'s text created since `sent_after`; None only
        when the list was read back past that moment without finding it."""
        if expected is None or sent_after is None or not expected.parts:
            raise OutcomeUnknown(
                "LinkedIn cannot look a post up by a key; without the text and the time it "
                "was sent, a person has to check the page."
            )
        if sent_after.tzinfo is None:
            sent_after = sent_after.replace(tzinfo=UTC)
        if self._now() - sent_after < SETTLE:
            raise RetryLater("Too early to tell whether LinkedIn has the post.", after=30)
        since = sent_after - CLOCK_SLACK
        wanted = " ".join(expected.text.split())
        for page in range(MAX_PAGES):
            posts = self._posts(creds, sort="CREATED", start=page * PAGE_SIZE, count=PAGE_SIZE)
            for post in posts:
                urn = str(post.get("id") or "")
                created = payloads.post_time(post)
                shown = payloads.unescape_little_text(str(post.get("commentary") or ""))
                same = payloads.is_post_urn(urn) and " ".join(shown.split()) == wanted
                if same and (created is None or created >= since):
                    return PublishedResult(
                        urn, payloads.post_url(urn), created or self._now(), (urn,)
                    )
            oldest = [t for p in posts if (t := payloads.post_time(p)) is not None]
            if len(posts) < PAGE_SIZE or (oldest and min(oldest) < since):
                return None
        raise OutcomeUnknown("Too many posts since this one was sent to tell whether it arrived.")

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        if not payloads.is_post_urn(network_post_id):
            raise Rejected("This is not the id of a LinkedIn post.", code="bad_id")
        try:
            self._call(
                creds,
                "DELETE",
                f"/rest/posts/{payloads.encoded(network_post_id)}",
                idempotent=True,
                extra_headers={"X-RestLi-Method": "DELETE"},
            )
        except Rejected as error:
            if error.code in ("http_404", "http_410"):
                return  # already gone: what the caller wanted
            raise

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

    # --- renewing the token -------------------------------------------------------------------

    def _renew_and_store(self, creds: Credentials) -> Credentials:
        from townsquare.networks.refreshed_tokens import renew_and_store

        app = self._app or configured_app(network=self.network)

        def renew(refresh_token: str) -> TokenSet:
            request = refresh_request(app, refresh_token)
            tokens, _ = self._token_request(
                request.url, dict(request.form), dict(request.headers), app
            )
            return tokens

        return renew_and_store(creds, renew, now=self._now())


class LinkedInProfilePublisher(LinkedInPagePublisher):
    """A member's own profile: publishing as the member (w_member_social). Reading the
    member's comments and statistics needs r_member_social, which LinkedIn grants to
    select partners only, so inbox and metrics are off."""

    network = "linkedin_profile"

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            publish=True, threads=False, delete=True, find_published=False, metrics=False
        )

    def check_connection(self, creds: Credentials) -> None:
        self.signed_in_member(creds.access_token)

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


def configured_version() -> str:
    from django.conf import settings

    value = str(getattr(settings, "LINKEDIN_API_VERSION", "") or "")
    return value if payloads.version_sunset_after(value) else payloads.API_VERSION


def configured_app(redirect_uri: str = "", *, network: str = "linkedin_page") -> OAuthApp:
    """Townsquare's LinkedIn app from LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET."""
    from django.conf import settings

    client_id = str(getattr(settings, "LINKEDIN_CLIENT_ID", "") or "")
    secret = str(getattr(settings, "LINKEDIN_CLIENT_SECRET", "") or "")
    if not client_id or not secret:
        raise Reauth("This installation has no LinkedIn app configured (LINKEDIN_CLIENT_ID).")
    return OAuthApp(
        authorize_url=payloads.AUTHORIZE_URL,
        token_url=payloads.TOKEN_URL,
        client_id=client_id,
        client_secret=secret,
        redirect_uri=redirect_uri,
        scopes=payloads.PAGE_SCOPES if network == "linkedin_page" else payloads.PROFILE_SCOPES,
        client_auth="form",  # LinkedIn reads client_id and client_secret from the form
    )


def _read_stored_media(storage_key: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(storage_key, "rb") as handle:
        data: bytes = handle.read()
    return data
