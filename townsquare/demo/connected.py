"""Demo connections: each demo brand has an account of X, LinkedIn, Facebook, Instagram and
Threads that is connected, beside the ones added by hand and posted by reminder.

Their credentials are marked `"demo": true`, so whatever Townsquare sends for them goes to
the demo network of networks/demo_transport.py and never to the internet: publishing,
inbox polls, counters and connection checks work on a machine without one. The tokens carry
the lifetimes the networks give (LinkedIn and Threads 60 days, so their countdowns show; a
Facebook Page token from a long-lived user token does not expire, nor does Instagram's through
it; X's is renewed every two hours, which a demo cannot do, so it is stored without expiry).
None has a refresh token: nothing is ever renewed at a network.

Idempotent: an account already connected for the demo is left alone while its token has a
month to go; a token nearer its end is given its full lifetime again. An account someone
connected for real (credentials without the mark) is never touched.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from django.utils import timezone

from townsquare.lib.crypto import SecretsUnavailable
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.demo_transport import DEMO_FLAG
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Workspace

DEMO_TOKEN = "demo-connection-no-network-token"  # noqa: S105 (no network ever issued it)
# (network, handle, display name) of each brand's connected accounts.
CONNECTED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Morgenrot Kaffeerösterei": (
        ("x", "@MorgenrotCafe", "Morgenrot Café"),
        ("linkedin_page", "Morgenrot Café", "Morgenrot Café"),
        ("facebook_page", "morgenrot.cafe", "Morgenrot Café Leipzig"),
        ("instagram", "morgenrot.cafe", "Morgenrot Café"),
        ("threads", "@morgenrot.cafe", "Morgenrot Café"),
    ),
    "Northwind Outdoor": (
        ("x", "@NorthwindTrails", "Northwind Trails"),
        ("linkedin_page", "Northwind Trails", "Northwind Trails"),
        ("facebook_page", "northwindtrails", "Northwind Trails"),
        ("instagram", "northwind.trails", "Northwind Trails"),
        ("threads", "@northwind.trails", "Northwind Trails"),
    ),
}
LIFETIME: dict[str, timedelta | None] = {
    "x": None,
    "linkedin_page": timedelta(days=60),
    "facebook_page": None,
    "instagram": None,
    "threads": timedelta(days=60),
}
RENEW_WITHIN = timedelta(days=30)


def seed_connected(workspaces: list[Workspace]) -> None:
    now = timezone.now()
    for workspace in workspaces:
        for network, handle, name in CONNECTED.get(workspace.name, ()):
            account, _created = SocialAccount.objects.get_or_create(
                workspace=workspace,
                network=network,
                handle=handle,
                defaults={"display_name": name, "language": workspace.language},
            )
            if _needs_demo_login(account, now):
                _connect(account, now)


def demo_ids(account: SocialAccount) -> dict[str, str]:
    """The account's ids at its network as its connector reads them from `extra`: stable,
    so posts and counters stay the account's across runs."""
    number = str(10**17 + zlib.crc32(f"{account.workspace_id}:{account.network}".encode()))
    if account.network == "linkedin_page":
        return {"author_urn": f"urn:li:organization:{number[-9:]}"}
    if account.network == "facebook_page":
        return {"page_id": number}
    if account.network == "instagram":
        return {"ig_user_id": number, "page_id": str(int(number) + 1)}
    return {"user_id": number}  # X and Threads


def _connect(account: SocialAccount, now: datetime) -> None:
    lifetime = LIFETIME.get(account.network)
    expires = now + lifetime if lifetime else None
    store_credentials(
        account,
        {
            "access_token": DEMO_TOKEN,
            "expires_at": expires.isoformat() if expires else None,
            "extra": {**demo_ids(account), DEMO_FLAG: True},
        },
    )
    account.connected_at = account.connected_at or now
    account.last_success_at = now
    account.needs_reconnect = False
    account.token_expires_at = expires
    account.save(
        update_fields=["connected_at", "last_success_at", "needs_reconnect", "token_expires_at"]
    )


def _needs_demo_login(account: SocialAccount, now: datetime) -> bool:
    """Not connected yet, or connected for the demo with a token near its end; a login made
    for real (or one that cannot be read) is left alone."""
    if not account.credentials_encrypted:
        return True
    try:
        stored = read_credentials(account)
    except SecretsUnavailable:
        return False
    if not stored.get("extra", {}).get(DEMO_FLAG):
        return False
    expires = account.token_expires_at
    return account.needs_reconnect or (expires is not None and expires - now < RENEW_WITHIN)
