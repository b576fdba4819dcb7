"""How each account publishes, for the composer: automatically, or by reminder."""

from __future__ import annotations

from typing import Any

from django import template

from townsquare.networks.models import SocialAccount

register = template.Library()


@register.simple_tag
def accounts_by_reminder(workspace: Any) -> list[SocialAccount]:
    """The workspace's accounts on networks Townsquare cannot post to itself."""
    return [
        account
        for account in SocialAccount.objects.filter(workspace=workspace).order_by(
            "network", "handle"
        )
        if not account.publishes_automatically
    ]
