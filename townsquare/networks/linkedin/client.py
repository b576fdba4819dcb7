"""The part of LinkedIn's connector that pages and members' profiles share: requests
with the pinned version and the token policy, signing in, publishing, finding a post
again, deleting, renewing tokens. `connector.py` builds the two publishers on it.

Every call goes through `_call`: the pinned `LinkedIn-Version` and Rest.li 2.0 headers, the
token renewed first when it expires within five minutes (only where LinkedIn gave a refresh
token: approved partners), and a 401 answered with one forced renewal and one retry before
the account must be connected again (networks/oauth2/refresh.py).

LinkedIn has no idempotency key. A post whose answer was lost is looked for with
`find_published` among the author's posts since the send began, by its text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from townsquare.content.validate import validate_variant, variant_input_from
from townsquare.lib.http import UnsafeTarget, outbound_client
from townsquare.networks.base import (
    Credentials,
    OutcomeUnknown,
    PublishedResult,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.demo_transport import http_for
from townsquare.networks.guarded_requests import classified_request
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

Renewer = Callable[[Credentials], Credentials]


class LinkedInClient:
    """Requests to LinkedIn as one account, and what pages and profiles publish alike."""

    network = ""

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
        if not creds.access_token and not creds.refresh_token:
            # Never connected (an account added by hand): nothing to send LinkedIn, not even
            # a request it would refuse.
            raise Reauth("The LinkedIn account is not connected; connect it on the accounts page.")
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
        return classified_request(
            self._http,
            "LinkedIn",
            method,
            f"{payloads.API_BASE}{path}",
            idempotent=idempotent,
            error_for=payloads.error_for,
            now=self._now().timestamp(),
            headers=headers,
            json=json,
            account=creds,
        )

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
        http = http_for(creds, self._http)  # a demo connection uploads to the demo network
        try:
            response = http.put(url, content=data, headers=headers)
        except UnsafeTarget as exc:
            raise RetryLater("LinkedIn's upload address was refused.", detail=str(exc)) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise error_for_exception(exc, idempotent=False) from exc
        finally:
            if http is not self._http:
                http.close()
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
