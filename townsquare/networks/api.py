"""API for a workspace's social accounts: what can be posted to, and whether it would work.

Posts name their accounts by id, so a client needs this list first; the connection part
tells it, as the accounts page tells a person, whether a post to the account would go out.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from townsquare.lib.bounds import Id
from townsquare.networks.access import access_account, access_accounts
from townsquare.networks.account_health import connect_url, connection_facts
from townsquare.networks.catalog import HIDDEN_NETWORKS, NETWORK_NAMES
from townsquare.networks.health import connection_health
from townsquare.networks.models import SocialAccount

router = Router(tags=["accounts"])


class ConnectionOut(Schema):
    state: str = Field(description="ok, warning, error or unconnected")
    code: str = Field(
        description=(
            "ok, expires_soon, expired, needs_reconnect, unreadable, not_connected, "
            "by_reminder (a network Townsquare reminds people to post on by hand) or "
            "reminder_until_connected (posted by reminder until someone connects it)"
        )
    )
    connected_at: datetime | None
    last_success_at: datetime | None
    expires_at: datetime | None = Field(
        description="When access ends, if it does not renew itself; null otherwise"
    )
    connect_url: str = Field(description="The page where a person connects it (again)")


class AccountOut(Schema):
    id: int
    network: str
    network_name: str
    handle: str
    display_name: str
    language: str
    publishing: str = Field(
        description="automatic: Townsquare posts it at the scheduled time; reminder: "
        "Townsquare has no connector for the network, so when a post is due a person is "
        "reminded to post it by hand and marks it as posted (also an X account until "
        "someone connects it)"
    )
    connection: ConnectionOut


def _out(account: SocialAccount) -> AccountOut:
    facts = connection_facts(account)
    health = connection_health(facts, timezone.now())
    return AccountOut(
        id=account.pk,
        network=account.network,
        network_name=NETWORK_NAMES.get(account.network)
        or HIDDEN_NETWORKS.get(account.network, account.network),
        handle=account.handle,
        display_name=account.display_name,
        language=account.language,
        publishing="automatic" if account.publishes_automatically else "reminder",
        connection=ConnectionOut(
            state=health.level,
            code=health.code,
            connected_at=account.connected_at,
            last_success_at=account.last_success_at,
            expires_at=None if facts.renews_itself else account.token_expires_at,
            connect_url=connect_url(account),
        ),
    )


@router.get("/workspaces/{workspace}/accounts", response=list[AccountOut])
def list_accounts(request: HttpRequest, workspace: str) -> list[AccountOut]:
    """Every social account of the workspace, by network and handle."""
    rows = access_accounts(request.membership).select_related("workspace")
    return [_out(account) for account in rows]


@router.get("/workspaces/{workspace}/accounts/{account_id}", response=AccountOut)
def get_account(request: HttpRequest, workspace: str, account_id: Id) -> AccountOut:
    return _out(access_account(request.membership, account_id))
