"""What the Facebook Page and Instagram connectors share: Graph API requests as one account
with the pinned version, signing in (code -> short-lived -> long-lived user token, the
granted permissions, the Pages with their tokens), finding a post again by its text, and
the public address of each media file.

Tokens: a Page token obtained from a long-lived user token does not expire (Meta: "Long-Lived
Page access token ... no expiration date"), and Meta gives no refresh token, so nothing is
renewed: a 190 (`TokenRejected`) becomes `Reauth` through the shared policy in
networks/oauth2/refresh.py. The token goes in the Authorization header, never in a URL that
could end up in a log.

Media: Meta downloads pictures and videos itself from a public URL. The connector does not
serve files; the caller passes `media_url` (a signed, expiring address under SITE_URL for
each stored file). Without it a post with media is refused before anything is sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from townsquare.content.validate import validate_variant, variant_input_from
from townsquare.lib.http import outbound_client
from townsquare.networks.base import (
    Credentials,
    MediaRef,
    OutcomeUnknown,
    PublishedResult,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.guarded_requests import classified_request
from townsquare.networks.http_errors import error_for_exception
from townsquare.networks.meta import payloads
from townsquare.networks.oauth2.refresh import call_with_refresh, refresh_if_needed
from townsquare.networks.oauth2.tokens import OAuthApp, TokenSet, parse_token_answer
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 30.0
# A new post takes a moment to be listed: before this, "not there" proves nothing.
SETTLE = timedelta(seconds=30)
CLOCK_SLACK = timedelta(minutes=2)
LIST_LIMIT = 50
MAX_PAGES = 3

MediaUrl = Callable[[MediaRef], str]


@dataclass(frozen=True, slots=True)
class ListedPost:
    """One of the account's own posts as a list shows it, for finding a post again."""

    id: str
    text: str
    time: datetime | None
    url: str


def signed_public_url(media: MediaRef) -> str:
    """The file's signed, expiring address under SITE_URL (media/public_urls.py), which
    Meta's servers download; refused with the reason when SITE_URL is not public."""
    # Imported when a file is published: the media app's models are not needed before.
    from townsquare.media.public_urls import public_media_url

    return public_media_url(media)


def _never_renew(creds: Credentials) -> Credentials:
    raise Reauth("Meta gives no way to renew a sign-in; connect the account again.")


class GraphClient:
    """Requests to the Graph API as one account (a Page token)."""

    network = ""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        version: str = "",
        media_url: MediaUrl | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = outbound_client(
            timeout=httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            headers={"Accept": "application/json"},
            transport=transport,
        )
        self._now = clock
        self._version = version or configured_version()
        self._media_url = media_url or signed_public_url
        self._sleep = sleep

    @property
    def version(self) -> str:
        return self._version

    def close(self) -> None:
        self._http.close()

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return validate_variant(variant_input_from(variant), rules)

    # --- requests -------------------------------------------------------------------------

    def _call(
        self,
        creds: Credentials,
        method: str,
        path: str,
        *,
        idempotent: bool,
        params: dict[str, str] | None = None,
        json: Any = None,
    ) -> dict[str, Any]:
        """Meta's JSON answer (errors raised classified)."""
        current = refresh_if_needed(creds, self._now(), _never_renew)

        def send(with_creds: Credentials) -> dict[str, Any]:
            return self._send(
                with_creds.access_token, method, path, idempotent, params, json, with_creds
            )

        return call_with_refresh(current, send, _never_renew)

    def _send(
        self,
        token: str,
        method: str,
        path: str,
        idempotent: bool,
        params: dict[str, str] | None = None,
        json: Any = None,
        account: Credentials | None = None,
    ) -> dict[str, Any]:
        response = classified_request(
            self._http,
            "Meta",
            method,
            payloads.api_url(self._version, path),
            idempotent=idempotent,
            error_for=payloads.error_for,
            now=self._now().timestamp(),
            params=params,
            json=json,
            headers={"Authorization": f"Bearer {token}"} if token else {},
            account=account,
        )
        return payloads.json_body(
            response.content, status=response.status_code, idempotent=idempotent
        )

    def _read(self, creds: Credentials, path: str, **params: str) -> dict[str, Any]:
        return self._call(creds, "GET", path, idempotent=True, params=params or None)

    def _write(self, creds: Credentials, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._call(creds, "POST", path, idempotent=False, json=body)

    def check_version(self) -> None:
        problem = payloads.version_problem(self._version, self._now().date())
        if problem:
            raise payloads.ApiVersionRetired(
                f"{problem} An administrator has to move META_GRAPH_API_VERSION forward."
            )

    def public_urls(self, media: Sequence[MediaRef]) -> list[str]:
        """The public address of each file (asked before anything is sent)."""
        urls = []
        for item in media:
            url = self._media_url(item)
            if not url.startswith("https://"):
                raise Rejected(
                    "Meta only fetches media from https addresses.", code="no_public_url"
                )
            urls.append(url)
        return urls

    # --- signing in -----------------------------------------------------------------------

    def sign_in(self, app: OAuthApp, code: str) -> tuple[TokenSet, frozenset[str]]:
        """The long-lived user token for an authorization code, and the permissions the
        person granted (Facebook Login lets them untick some)."""
        short = self._token(
            payloads.code_exchange_params(app.client_id, app.client_secret, app.redirect_uri, code)
        )
        tokens = self._token(
            payloads.long_lived_params(app.client_id, app.client_secret, short.access_token)
        )
        granted = payloads.granted_permissions(
            self._send(tokens.access_token, "GET", "me/permissions", True)
        )
        return tokens, granted

    def _token(self, params: dict[str, str]) -> TokenSet:
        try:
            response = self._http.get(payloads.token_url(self._version), params=params)
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            raise error_for_exception(exc, idempotent=True) from exc
        return parse_token_answer(
            response.status_code, response.headers, response.content, now=self._now()
        )

    def managed_pages(self, user_token: str) -> list[dict[str, str]]:
        """The Pages the person may act for, with Page tokens and linked Instagram accounts."""
        fields = "id,name,username,access_token,instagram_business_account{id,username}"
        data = self._send(
            user_token, "GET", "me/accounts", True, params={"fields": fields, "limit": "100"}
        )
        return payloads.managed_pages(data)

    def subscribe_page(self, page_id: str, page_token: str) -> None:
        """Subscribe the Page to the app's webhooks (POST /{page-id}/subscribed_apps), so that
        Meta delivers its comments (and its Instagram account's) to /webhooks/meta/."""
        self._send(
            page_token,
            "POST",
            f"{page_id}/subscribed_apps",
            False,
            json={"subscribed_fields": payloads.WEBHOOK_PAGE_FIELDS},
        )

    # --- finding a post again ---------------------------------------------------------------

    def _listed_posts(self, creds: Credentials, since: datetime) -> list[ListedPost]:
        """The account's own posts, newest first."""
        raise NotImplementedError

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The account's post with `expected`'s text made since `sent_after` (Meta has no
        idempotency key); None only when the list was read back past that moment."""
        if expected is None or sent_after is None or not expected.parts:
            raise OutcomeUnknown(
                "Meta cannot look a post up by a key; without the text and the time it was "
                "sent, a person has to check the account."
            )
        if sent_after.tzinfo is None:
            sent_after = sent_after.replace(tzinfo=UTC)
        if self._now() - sent_after < SETTLE:
            raise RetryLater("Too early to tell whether Meta has the post.", after=30)
        since = sent_after - CLOCK_SLACK
        wanted = " ".join(expected.text.split())
        for post in self._listed_posts(creds, since):
            moment = post.time
            if " ".join(post.text.split()) == wanted and (moment is None or moment >= since):
                return PublishedResult(post.id, post.url, moment or self._now(), (post.id,))
        return None


def configured_version() -> str:
    from django.conf import settings

    value = str(getattr(settings, "META_GRAPH_API_VERSION", "") or "")
    return (
        value
        if value and not payloads.version_problem(value, datetime.now(UTC).date())
        else payloads.API_VERSION
    )


def configured_app(
    redirect_uri: str = "", *, network: str = "facebook_page", version: str = ""
) -> OAuthApp:
    """Townsquare's Meta app from META_APP_ID and META_APP_SECRET."""
    from django.conf import settings

    client_id = str(getattr(settings, "META_APP_ID", "") or "")
    secret = str(getattr(settings, "META_APP_SECRET", "") or "")
    if not client_id or not secret:
        raise Reauth("This installation has no Meta app configured (META_APP_ID).")
    chosen = version or configured_version()
    scopes = payloads.INSTAGRAM_SCOPES if network == "instagram" else payloads.PAGE_SCOPES
    if getattr(settings, "META_WEBHOOK_VERIFY_TOKEN", ""):
        scopes += payloads.WEBHOOK_SCOPES
    if getattr(settings, "META_PRIVATE_REPLIES", False):
        scopes += (payloads.PRIVATE_REPLY_PERMISSION[network],)
    return OAuthApp(
        authorize_url=payloads.authorize_url(chosen),
        token_url=payloads.token_url(chosen),
        client_id=client_id,
        client_secret=secret,
        redirect_uri=redirect_uri,
        scopes=scopes,
        client_auth="form",
    )
