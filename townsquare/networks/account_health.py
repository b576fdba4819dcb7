"""The facts behind an account's connection health, read from the database and its secret."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from townsquare.lib.crypto import SecretsUnavailable
from townsquare.media.public_urls import public_site_problem
from townsquare.networks.catalog import FETCH_MEDIA_BY_URL
from townsquare.networks.credentials import read_credentials
from townsquare.networks.health import ConnectionFacts, Health, connection_health
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import publishes_automatically

# The page that connects (and reconnects) an account of each network, by URL name.
CONNECT_URL_NAMES = {
    "bluesky": "workspace_connect_bluesky",
    "facebook_page": "workspace_connect_meta",
    "instagram": "workspace_connect_meta",
    "linkedin_page": "workspace_connect_linkedin",
    "linkedin_profile": "workspace_connect_linkedin",
    "mastodon": "workspace_connect_mastodon",
    "matrix_room": "workspace_connect_matrix",
    "threads": "workspace_connect_threads",
    "x": "workspace_connect_x",
}
LINKEDIN_NETWORKS = frozenset({"linkedin_page", "linkedin_profile"})
META_NETWORKS = frozenset({"facebook_page", "instagram"})
# Networks whose token is its own renewal (Threads: no refresh token; a long-lived token
# renews itself while it is valid): renewing ends when the token lapses unrenewed, so the
# countdown is the token's own expiry, moved forward by every renewal.
SELF_RENEWING_NETWORKS = frozenset({"threads"})
# One page connects several kinds of account: the kind to preselect when reconnecting.
CONNECT_URL_QUERIES = {"instagram": "?kind=instagram", "linkedin_profile": "?kind=profile"}


def connection_facts(account: SocialAccount) -> ConnectionFacts:
    readable = True
    values: dict[str, object] = {}
    if account.credentials_encrypted:
        try:
            values = read_credentials(account)
        except SecretsUnavailable:
            readable = False
    extra = values.get("extra")
    refreshes = bool(values.get("refresh_token"))
    renews = refreshes or (isinstance(extra, dict) and bool(extra.get("app_password")))
    return ConnectionFacts(
        connected=bool(account.credentials_encrypted),
        automatic=account.publishes_automatically,
        needs_reconnect=account.needs_reconnect,
        token_expires_at=account.token_expires_at,
        renews_itself=renews,
        credentials_readable=readable,
        last_success_at=account.last_success_at,
        # On a network with a connector and a connect page, an account posted by reminder
        # only waits for its login (X accounts added by hand).
        connectable=publishes_automatically(account.network)
        and account.network in CONNECT_URL_NAMES,
        renewal_ends_at=(
            account.token_expires_at
            if account.network in SELF_RENEWING_NETWORKS
            else _refresh_deadline(extra)
        )
        if refreshes
        else None,
        version_retired=account.needs_reconnect and _api_version_retired(account.network),
        graph_version_retired=bool(account.credentials_encrypted)
        and _graph_version_retired(account.network),
    )


def _refresh_deadline(extra: object) -> datetime | None:
    """When the refresh token itself lapses (LinkedIn's `refresh_expires_at`), if known."""
    raw = extra.get("refresh_expires_at") if isinstance(extra, dict) else None
    if not isinstance(raw, str) or not raw:
        return None
    try:
        deadline = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)


def _api_version_retired(network: str) -> bool:
    """The login was refused while the LinkedIn API version this installation sends is past
    the day LinkedIn may retire it (a year after its month): LinkedIn answers a retired
    version as a refused login (ApiVersionRetired), which reconnecting does not repair."""
    if network not in LINKEDIN_NETWORKS:
        return False
    # Imported here: the connector (and its HTTP client) only where a LinkedIn account is.
    from townsquare.networks.linkedin.client import configured_version
    from townsquare.networks.linkedin.payloads import version_sunset_after

    sunset = version_sunset_after(configured_version())
    return sunset is not None and timezone.now().date() >= sunset


def _graph_version_retired(network: str) -> bool:
    """The Graph API version this installation sends to Meta is past its "available until"
    (Meta's changelog). Told at once, not after a refusal: Meta answers a call to an expired
    version with the oldest one it still serves, so nothing would fail visibly first. The
    Page tokens themselves do not expire (no countdown), so this is the one date that ends
    a Facebook Page's or Instagram account's publishing."""
    if network not in META_NETWORKS:
        return False
    from townsquare.networks.meta.client import configured_version
    from townsquare.networks.meta.payloads import version_problem

    return bool(version_problem(configured_version(), timezone.now().date()))


def account_health(account: SocialAccount, now: datetime | None = None) -> Health:
    return connection_health(connection_facts(account), now or timezone.now())


def connect_url(account: SocialAccount) -> str:
    """Where this account is connected again, or "" for networks without a connect flow."""
    name = CONNECT_URL_NAMES.get(account.network)
    if not name:
        return ""
    try:
        address = reverse(name, kwargs={"workspace": account.workspace.slug})
    except NoReverseMatch:
        return ""
    return address + CONNECT_URL_QUERIES.get(account.network, "")


def accounts_without_public_media(accounts: Iterable[SocialAccount]) -> tuple[str, list[int]]:
    """Why posts with pictures or videos to some of `accounts` would be refused now, and
    which ones: accounts on a network that downloads files (Instagram, Threads, Facebook)
    that Townsquare publishes to, or will once connected, while SITE_URL is not an address
    the internet can reach. ("", []) when nothing stands in the way. The demo's connections
    download nothing (their network answers inside Townsquare) and are never named."""
    problem = public_site_problem()
    if problem is None:
        return "", []
    # Imported here: demo_transport reads credentials, which import this module's neighbours.
    from townsquare.networks.demo_transport import demo_account_ids

    candidates = [
        account
        for account in accounts
        if account.network in FETCH_MEDIA_BY_URL and publishes_automatically(account.network)
    ]
    demo = demo_account_ids(candidates)
    ids = [account.pk for account in candidates if account.pk not in demo]
    return (problem, ids) if ids else ("", [])
