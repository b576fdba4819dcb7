"""Demo social accounts: what each demo brand publishes to."""

from __future__ import annotations

from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Workspace

ACCOUNTS: dict[str, tuple[tuple[str, str, str, dict[str, object]], ...]] = {
    "Morgenrot Kaffeerösterei": (
        ("bluesky", "@morgenrot.bsky.social", "Morgenrot Kaffee", {}),
        ("mastodon", "@morgenrot@mastodon.social", "Morgenrot", {"text_max": 500}),
        ("instagram", "morgenrot.kaffee", "Morgenrot Kaffeerösterei", {}),
        ("linkedin_page", "Morgenrot GmbH", "Morgenrot GmbH", {}),
        ("threads", "@morgenrot.kaffee", "Morgenrot", {}),
        ("matrix_room", "#morgenrot-community:matrix.org", "Morgenrot Community", {}),
    ),
    "Northwind Outdoor": (
        ("x", "@NorthwindOutdoor", "Northwind Outdoor", {}),
        ("bluesky", "@northwind.bsky.social", "Northwind Outdoor", {}),
        ("facebook_page", "Northwind Outdoor", "Northwind Outdoor", {}),
        ("youtube", "@northwindoutdoor", "Northwind Outdoor", {}),
        ("pinterest", "northwindoutdoor", "Northwind Outdoor", {}),
        ("mastodon", "@northwind@hachyderm.io", "Northwind Outdoor", {"text_max": 500}),
    ),
}


def seed_accounts(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        for network, handle, name, limits in ACCOUNTS.get(workspace.name, ()):
            SocialAccount.objects.get_or_create(
                workspace=workspace,
                network=network,
                handle=handle,
                defaults={
                    "display_name": name,
                    "language": workspace.language,
                    "reported_limits": limits,
                },
            )
