"""Demo connection states and scheduled posts: what the accounts page and the dashboard show
when a login stops working before a post is due.

The demo cannot hold a real login to any network, so the Mastodon account of the German
brand is shown as a connection whose token the instance revoked three days ago; a post
scheduled for next week then carries the warning that it would fail, as it would.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from townsquare.content.models import Post
from townsquare.lib.crypto import SecretsUnavailable
from townsquare.lib.errors import ActionError
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Membership, Workspace

REVOKED = {"Morgenrot Kaffeerösterei": ("mastodon", "@morgenrot@mastodon.social")}
DEMO_TOKEN = "demo-token-revoked"  # noqa: S105 (a token no server ever issued)
DEMO_INSTANCE = "https://mastodon.demo.invalid"
SCHEDULE_IN_DAYS = 5
SCHEDULE_AT = time(9, 0)


def seed_connections(workspaces: list[Workspace]) -> None:
    now = timezone.now()
    for workspace in workspaces:
        revoked = REVOKED.get(workspace.name)
        if revoked:
            account = SocialAccount.objects.filter(
                workspace=workspace, network=revoked[0], handle=revoked[1]
            ).first()
            if account is not None and _without_real_login(account):
                store_credentials(
                    account,
                    {
                        "access_token": DEMO_TOKEN,
                        # A reserved name: the client refuses it without asking DNS, so a
                        # running demo never sends anything to a real instance.
                        "instance_url": DEMO_INSTANCE,
                    },
                )
                account.connected_at = now - timedelta(days=40)
                account.last_success_at = now - timedelta(days=3)
                account.needs_reconnect = True
                account.save(update_fields=["connected_at", "last_success_at", "needs_reconnect"])
        _schedule_first_post(workspace, now)


def _schedule_first_post(workspace: Workspace, now: datetime) -> None:
    if Publication.objects.filter(workspace=workspace).exists():
        return
    owner = Membership.objects.filter(workspace=workspace, role="owner").first()
    if owner is None:
        return
    zone = ZoneInfo(workspace.time_zone)
    day = (now.astimezone(zone) + timedelta(days=SCHEDULE_IN_DAYS)).date()
    # The first draft that is ready for every account (some demo drafts show problems on
    # purpose, and those cannot be scheduled).
    for post in Post.objects.filter(workspace=workspace).order_by("pk"):
        try:
            do_schedule_post(owner, post, datetime.combine(day, SCHEDULE_AT))
        except ActionError:
            continue
        return


def _without_real_login(account: SocialAccount) -> bool:
    """No credentials yet, or the demo's own from an earlier version, which named a real
    instance; a login someone made for real is left alone."""
    if not account.credentials_encrypted:
        return True
    try:
        stored = read_credentials(account)
    except SecretsUnavailable:
        return False
    return stored.get("access_token") == DEMO_TOKEN and stored.get("instance_url") != DEMO_INSTANCE
