"""X (API v2, OAuth 2.0 user tokens): publishing, the inbox of mentions and replies, and
the counters of the account and its posts.

In the publisher registry, with a connect page (views.py). An X account that was never
connected stays posted by reminder (registry.CONNECT_FIRST). Pictures (with alt text), a GIF
or a video are uploaded first (uploads.py), then attached to the post.

Every call goes through `_call`: the token is renewed first when it expires within five
minutes, and a 401 gets one forced renewal and one retry before the account must be
connected again (networks/oauth2/refresh.py). Renewed tokens are stored at once
(networks/refreshed_tokens.py): X's refresh tokens work once.

X has no idempotency key. A post whose answer was lost is looked for with `find_published`
in the account's own timeline since the send began, by its text and the post it answers.

The inbox reads `GET /2/users/{id}/mentions` since the newest mention seen (X's `since_id`),
a few pages a poll; a span left unread by a poll is read by the next ones (`until_id`), so a
burst of mentions is read late rather than lost. Answers go into the thread as replies to
the message. Counters come from `GET /2/users/me`
and the account's timeline, with the counters only the author sees for its last 30 days.

Credentials: `access_token`, `refresh_token`, `expires_at`, `extra["user_id"]` (the account's
numeric id on X), `extra["subscription_type"]` (X's word for its subscription, when read).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from townsquare.content.validate import validate_variant, variant_input_from
from townsquare.lib.http import outbound_client
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
from townsquare.networks.guarded_requests import classified_request
from townsquare.networks.oauth2.client import send_token_request
from townsquare.networks.oauth2.refresh import call_with_refresh, refresh_if_needed
from townsquare.networks.oauth2.tokens import (
    OAuthApp,
    TokenSet,
    code_exchange_request,
    refresh_request,
)
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem
from townsquare.networks.x import media_payloads, payloads, reading
from townsquare.networks.x.uploads import XMediaUploads, _read_stored_media

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 15.0
# The account's timeline is read in pages of 100 (X's maximum), a few pages at most.
PAGE_SIZE = 100
MAX_PAGES = 3
# X's timelines take a moment to show a new post: before this, "not there" proves nothing.
SETTLE = timedelta(seconds=30)
# Mentions since the last poll, in pages of 100, this many pages a poll (each post read is
# paid for under X's pay-per-use plan; 300 requests per 15 minutes): older ones wait for the
# next poll.
INBOX_PAGES = 5
# The timeline read for counters: pages of 100, as far back as analytics asks.
METRIC_PAGES = 5
# Clocks differ: the timeline is read from a little before the send began.
CLOCK_SLACK = timedelta(minutes=2)

Renewer = Callable[[Credentials], Credentials]


class XPublisher:
    """Publisher, InboxSource, MetricsSource and ConnectionCheck for X. Thread-safe
    (httpx.Client is)."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        app: OAuthApp | None = None,
        renew: Renewer | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        media_reader: Callable[[str], bytes] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        tier_seen: Callable[[int, str], None] | None = None,
    ) -> None:
        self._http = outbound_client(
            timeout=httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            headers={"Accept": "application/json"},
            transport=transport,
        )
        self._app = app
        self._renew = renew or self._renew_and_store
        self._now = clock
        self._uploads = XMediaUploads(self._call, media_reader or _read_stored_media, sleep)
        # Told the account's subscription whenever users/me is read with its figures, so
        # that its text limit follows a change of tier without connecting again.
        self._tier_seen = tier_seen or _store_tier

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
        empty_ok: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The JSON object X answered, with the token renewed as the policy says.
        `empty_ok`: a success without a body means {} (an upload's APPEND)."""
        if not creds.access_token and not creds.refresh_token:
            # Never connected (an account added by hand): nothing to send X, not even a
            # request that X would refuse.
            raise Reauth("The X account is not connected; connect it on the accounts page.")
        current = refresh_if_needed(creds, self._now(), self._renew)

        def send(with_creds: Credentials) -> dict[str, Any]:
            return self._send(
                with_creds, method, path, idempotent=idempotent, empty_ok=empty_ok, **kwargs
            )

        return call_with_refresh(current, send, self._renew)

    def _send(
        self,
        creds: Credentials,
        method: str,
        path: str,
        *,
        idempotent: bool,
        empty_ok: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        response = classified_request(
            self._http,
            "X",
            method,
            f"{payloads.API_BASE}{path}",
            idempotent=idempotent,
            error_for=payloads.error_for,
            now=self._now().timestamp(),
            headers={"Authorization": f"Bearer {creds.access_token}"},
            account=creds,
            **kwargs,
        )
        if empty_ok and not response.content.strip():
            return {}
        return payloads.json_body(
            response.content, status=response.status_code, idempotent=idempotent
        )

    def check_connection(self, creds: Credentials) -> None:
        self._call(creds, "GET", "/2/users/me", idempotent=True)

    # --- signing in (the connect flow's two requests) ----------------------------------------

    def sign_in_tokens(self, app: OAuthApp, code: str, verifier: str) -> TokenSet:
        """The tokens for an authorization code (a code works once: no retry meaning)."""
        request = code_exchange_request(app, code, verifier)
        return send_token_request(self._http, request, now=self._now(), requested=app.scopes)

    def signed_in_user(self, access_token: str) -> dict[str, Any]:
        """`GET /2/users/me` with a fresh token: the account's id, username and name, and its
        `subscription_type` (long posts for Premium) and counters."""
        creds = Credentials(account_id=0, network="x", handle="", access_token=access_token)
        answer = self._send(
            creds,
            "GET",
            "/2/users/me",
            params={"user.fields": reading.ME_USER_FIELDS},
            idempotent=True,
        )
        user = answer.get("data")
        if not isinstance(user, dict) or not payloads.is_post_id(str(user.get("id") or "")):
            raise RetryLater("X did not say which account signed in.", detail=str(answer)[:500])
        if not isinstance(user.get("username"), str) or not user["username"]:
            raise RetryLater("X did not say which account signed in.", detail=str(answer)[:500])
        return user

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        if not variant.parts:
            raise Rejected("There is nothing to publish.", code="empty")
        # Checked before anything is sent; then uploaded (safe to repeat) before the post.
        plans = media_payloads.plan_uploads(variant.media)
        media_ids = [self._uploads.upload(creds, plan) for plan in plans]
        reply_to = variant.reply_to_id
        results: list[PublishedResult] = []
        for index, text in enumerate(variant.parts):
            # Not idempotent: a timeout after sending may have published it.
            answer = self._call(
                creds,
                "POST",
                "/2/tweets",
                json=payloads.post_body(
                    text, reply_to=reply_to, media_ids=media_ids if index == 0 else ()
                ),
                idempotent=False,
            )
            result = payloads.created_post(answer, handle=creds.handle, now=self._now())
            results.append(result)
            reply_to = result.network_post_id
        ids = tuple(r.network_post_id for r in results)
        first = results[0]
        return PublishedResult(first.network_post_id, first.url, first.published_at, ids)

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The account's post with `expected`'s text (and parent) made since `sent_after`.

        None only when the timeline was read back past that moment without finding it, and
        long enough after the send for X to show the post.
        """
        if expected is None or sent_after is None or not expected.parts:
            raise OutcomeUnknown(
                "X cannot look a post up by a key; without the text and the time it was "
                "sent, a person has to check the account."
            )
        user_id = creds.extra.get("user_id", "")
        if not payloads.is_post_id(user_id):
            raise OutcomeUnknown("The X account's user id is unknown.")
        if sent_after.tzinfo is None:
            sent_after = sent_after.replace(tzinfo=UTC)
        if self._now() - sent_after < SETTLE:
            raise RetryLater("Too early to tell whether X has the post.", after=30)
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "start_time": payloads.rfc3339(sent_after - CLOCK_SLACK),
            "exclude": "retweets",
            "post.fields": "created_at,note_post",
        }
        for _ in range(MAX_PAGES):
            page = self._call(
                creds, "GET", f"/2/users/{user_id}/tweets", params=params, idempotent=True
            )
            posts, next_token = payloads.posts_of_page(page)
            for post in posts:
                if self._matches(post, expected):
                    post_id = str(post.get("id") or "")
                    return PublishedResult(
                        network_post_id=post_id,
                        url=payloads.post_url(creds.handle, post_id),
                        published_at=payloads.parse_time(post.get("created_at")) or self._now(),
                        part_ids=(post_id,),
                    )
            if not next_token:
                return None
            params = {**params, "pagination_token": next_token}
        raise OutcomeUnknown("Too many posts since this one was sent to tell whether it arrived.")

    @staticmethod
    def _matches(post: dict[str, Any], expected: VariantToPublish) -> bool:
        if not payloads.is_post_id(str(post.get("id") or "")):
            return False
        parent = payloads.replied_to(post)
        if parent is not None and parent != expected.reply_to_id:
            return False
        return payloads.same_text(expected.text, payloads.full_text(post))

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        if not payloads.is_post_id(network_post_id):
            raise Rejected("This is not the id of a post on X.", code="bad_id")
        try:
            self._call(creds, "DELETE", f"/2/tweets/{network_post_id}", idempotent=True)
        except Rejected as error:
            if error.code == "http_404":
                return  # already gone: what the caller wanted
            raise

    # --- inbox ------------------------------------------------------------------------------

    def fetch_inbox(
        self, creds: Credentials, cursor: str | None
    ) -> tuple[Sequence[InboxMessage], str | None]:
        """Mentions of the account and replies to it newer than `cursor`, oldest first. A
        first poll reads one page: the inbox starts now, not years ago (and every post read
        is paid for). X lists newest first: when more arrived than INBOX_PAGES pages, the
        cursor keeps the span not read yet, and the next poll reads it before newer ones."""
        user_id = self._user_id(creds)
        at = reading.MentionsCursor.parse(cursor)
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "expansions": reading.MENTION_EXPANSIONS,
            "post.fields": reading.MENTION_POST_FIELDS,
            "user.fields": reading.MENTION_USER_FIELDS,
        }
        since = at.gap_since if at.gap_until else at.newest
        if since:
            params["since_id"] = since
        if at.gap_until:
            params["until_id"] = at.gap_until
        found: dict[str, InboxMessage] = {}
        newest, oldest, next_token = at.newest, "", ""
        for _ in range(INBOX_PAGES if since else 1):
            page = self._call(
                creds, "GET", f"/2/users/{user_id}/mentions", params=params, idempotent=True
            )
            messages, page_newest, next_token = reading.mentions_of_page(page, own_user_id=user_id)
            for message in messages:
                found[message.network_message_id] = message
            newest = reading.newer_id(newest, page_newest)
            oldest = reading.older_id(oldest, reading.oldest_of_page(page))
            if not next_token:
                break
            params = {**params, "pagination_token": next_token}
        ordered = sorted(found.values(), key=lambda m: int(m.network_message_id))
        if since and next_token and oldest:
            # Pages left: what lies between `since` and the oldest read is read next time.
            return ordered, str(reading.MentionsCursor(newest, since, oldest))
        return ordered, newest or cursor

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        """An answer in the message's thread: a post replying to it (X's summoned-reply rule
        lets an account answer a post that mentions it)."""
        if not text.strip():
            raise Rejected("There is nothing to send.", code="empty")
        if not payloads.is_post_id(message.network_message_id):
            raise Rejected("The X post to answer has no valid id.", code="bad_id")
        # Not idempotent: a timeout after sending may have published it.
        answer = self._call(
            creds,
            "POST",
            "/2/tweets",
            json=payloads.post_body(text, reply_to=message.network_message_id),
            idempotent=False,
        )
        return payloads.created_post(answer, handle=creds.handle, now=self._now())

    # --- metrics ----------------------------------------------------------------------------

    def account_user(self, creds: Credentials) -> dict[str, Any]:
        """`GET /2/users/me` as the account, with its counters and subscription."""
        answer = self._call(
            creds,
            "GET",
            "/2/users/me",
            params={"user.fields": reading.ME_USER_FIELDS},
            idempotent=True,
        )
        user = answer.get("data")
        if not isinstance(user, dict):
            raise RetryLater("X did not describe the account.", detail=str(answer)[:500])
        return user

    def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
        """Today's totals of the account and the counters of its posts since `since`: the
        public ones for every post, link and profile clicks for those of the last 30 days
        (X keeps the author's own counters that long)."""
        today = self._now().date()
        user = self.account_user(creds)
        self._tier_seen(creds.account_id, reading.subscription_of(user))
        snapshots = [reading.account_snapshot(user, today)]
        user_id = self._user_id(creds)
        start = max(
            datetime(since.year, since.month, since.day, tzinfo=UTC),
            datetime(2010, 11, 6, tzinfo=UTC),  # X's earliest start_time
        )
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "start_time": payloads.rfc3339(start),
            "exclude": "retweets",
            "post.fields": reading.TIMELINE_POST_FIELDS,
            "expansions": reading.TIMELINE_EXPANSIONS,
        }
        posts: list[dict[str, Any]] = []
        for _ in range(METRIC_PAGES):
            page = self._call(
                creds, "GET", f"/2/users/{user_id}/tweets", params=params, idempotent=True
            )
            found, next_token = payloads.posts_of_page(page)
            posts += found
            if not next_token:
                break
            params = {**params, "pagination_token": next_token}
        private = self._private_counters(creds, posts, today)
        for post in posts:
            post_id = str(post.get("id") or "")
            snapshot = reading.post_snapshot(
                post, today, handle=creds.handle, private=private.get(post_id)
            )
            if snapshot is not None:
                snapshots.append(snapshot)
        return snapshots

    def _private_counters(
        self, creds: Credentials, posts: Sequence[dict[str, Any]], today: date
    ) -> dict[str, Any]:
        """The author's own counters of the posts X still keeps them for, by id; nothing
        when X refuses them (a token or plan without them): the public counters stand."""
        recent_from = today - timedelta(days=reading.PRIVATE_METRICS_DAYS - 1)
        ids = []
        for post in posts:
            created = payloads.parse_time(post.get("created_at"))
            post_id = str(post.get("id") or "")
            if (
                created is not None
                and created.date() >= recent_from
                and payloads.is_post_id(post_id)
            ):
                ids.append(post_id)
        found: dict[str, Any] = {}
        for start in range(0, len(ids), PAGE_SIZE):
            try:
                page = self._call(
                    creds,
                    "GET",
                    "/2/tweets",
                    params={
                        "ids": ",".join(ids[start : start + PAGE_SIZE]),
                        "post.fields": reading.PRIVATE_POST_FIELDS,
                    },
                    idempotent=True,
                )
            except (Rejected, Reauth):
                return found
            found.update(reading.posts_by_id(page))
        return found

    def _user_id(self, creds: Credentials) -> str:
        user_id = creds.extra.get("user_id", "")
        if not payloads.is_post_id(user_id):
            raise Reauth("The X account's user id is unknown; connect the account again.")
        return user_id

    # --- renewing the token -------------------------------------------------------------------

    def _renew_and_store(self, creds: Credentials) -> Credentials:
        from townsquare.networks.refreshed_tokens import renew_and_store

        app = self._app or configured_app()

        def renew(refresh_token: str) -> Any:
            return send_token_request(
                self._http, refresh_request(app, refresh_token), now=self._now()
            )

        return renew_and_store(creds, renew, now=self._now())


def _store_tier(account_id: int, subscription: str) -> None:
    from townsquare.networks.x.tier import store_tier

    store_tier(account_id, subscription)


def configured_app(redirect_uri: str = "") -> OAuthApp:
    """Townsquare's X app from the settings X_CLIENT_ID and X_CLIENT_SECRET."""
    from django.conf import settings

    client_id = str(getattr(settings, "X_CLIENT_ID", "") or "")
    if not client_id:
        raise Reauth("This installation has no X app configured (X_CLIENT_ID).")
    return OAuthApp(
        authorize_url=payloads.AUTHORIZE_URL,
        token_url=payloads.TOKEN_URL,
        client_id=client_id,
        client_secret=str(getattr(settings, "X_CLIENT_SECRET", "") or ""),
        redirect_uri=redirect_uri,
        scopes=payloads.SCOPES,
    )
