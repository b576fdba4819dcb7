"""What Meta's webhook deliveries bring into the inbox: each comment or visitor post goes to
every connected account of its Page (facebook_page) or Instagram professional account
(instagram), and to no other.

The webhook view answers Meta at once and hands the parsed messages to `ingest_delivery`, a
background task, so that triage never holds Meta's request open (Meta retries deliveries that
take too long, and would then deliver the same comments again).

Messages are stored with `ingest_store.store_messages`, the path the polling inbox uses: the
account's cursor row serialises writers and the unique (account, network message id) holds,
so a comment that arrives by webhook and again by poll, or twice by webhook, is stored once.
An account is found by the Page or Instagram id from its credentials (the handle may be a
name that changes), kept beside them in the indexed `network_account_id`; a Page connected in
two workspaces gets the message in both, because both connected it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.tasks import task

from townsquare.inbox.ingest_store import store_messages
from townsquare.lib.crypto import SecretsUnavailable
from townsquare.networks.base import InboxMessage
from townsquare.networks.credentials import read_credentials
from townsquare.networks.meta.webhooks import WebhookMessage
from townsquare.networks.models import SocialAccount

logger = logging.getLogger(__name__)

# Which credential says which account a delivery belongs to, per network.
ID_KEYS = {"facebook_page": "page_id", "instagram": "ig_user_id"}


def message_to_json(item: WebhookMessage) -> dict[str, Any]:
    """A parsed delivery item as a task argument (task arguments are JSON)."""
    message = item.message
    return {
        "network": item.network,
        "account": item.account_network_id,
        "id": message.network_message_id,
        "conversation": message.conversation_id,
        "kind": message.kind,
        "author_handle": message.author_handle,
        "author_name": message.author_name,
        "text": message.text,
        "created_at": message.created_at.isoformat(),
        "url": message.url,
        "in_reply_to": message.in_reply_to_id,
    }


def message_from_json(data: dict[str, Any]) -> WebhookMessage:
    return WebhookMessage(
        network=str(data["network"]),
        account_network_id=str(data["account"]),
        message=InboxMessage(
            network_message_id=str(data["id"]),
            conversation_id=str(data["conversation"]),
            kind=data["kind"],
            author_handle=str(data["author_handle"]),
            author_name=str(data["author_name"]),
            text=str(data["text"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            url=str(data.get("url") or ""),
            in_reply_to_id=str(data.get("in_reply_to") or ""),
        ),
    )


def connected_accounts(network: str, wanted: Iterable[str]) -> dict[str, list[SocialAccount]]:
    """The connected, not removed accounts of `network` for each wanted network id: by the
    indexed `network_account_id`, and for accounts that have none yet (connected before it
    was kept, or since their credentials were replaced) from their credentials, once."""
    key = ID_KEYS.get(network)
    ids = set(wanted)
    found: dict[str, list[SocialAccount]] = defaultdict(list)
    if key is None or not ids:
        return found
    connected = (
        SocialAccount.objects.filter(network=network, removed_at__isnull=True)
        .exclude(credentials_encrypted="")
        .select_related("workspace")
        .order_by("pk")
    )
    for account in connected.filter(network_account_id__in=ids):
        found[account.network_account_id].append(account)
    for account in connected.filter(network_account_id=""):
        network_id = _network_id_of(account, key)
        if network_id and network_id in ids:
            found[network_id].append(account)
    return found


def _network_id_of(account: SocialAccount, key: str) -> str:
    """The id under `key` in the account's credentials, kept in `network_account_id`."""
    try:
        extra = read_credentials(account).get("extra")
    except (SecretsUnavailable, ValueError) as error:
        # One account whose secrets cannot be read must not stop the others' delivery.
        logger.warning("meta webhook: credentials of account %s unreadable: %r", account.pk, error)
        return ""
    network_id = str(extra.get(key) or "")[:64] if isinstance(extra, dict) else ""
    if network_id:
        SocialAccount.objects.filter(pk=account.pk, network_account_id="").update(
            network_account_id=network_id
        )
    return network_id


def store_delivery(items: list[WebhookMessage]) -> dict[str, int]:
    """Store each message with every account it belongs to; the counts, for the log."""
    by_owner: dict[tuple[str, str], list[InboxMessage]] = defaultdict(list)
    for item in items:
        by_owner[(item.network, item.account_network_id)].append(item.message)
    counts = {"stored": 0, "repeated": 0, "unknown": 0}
    for network in sorted({network for network, _owner in by_owner}):
        owners = [owner for net, owner in by_owner if net == network]
        accounts = connected_accounts(network, owners)
        for owner in owners:
            messages = by_owner[(network, owner)]
            if not accounts.get(owner):
                # A Page no workspace connected (or one that disconnected): acknowledged and
                # dropped, never an error Meta would retry.
                counts["unknown"] += len(messages)
                continue
            for account in accounts[owner]:
                outcome = store_messages(account, messages)
                counts["stored"] += len(outcome.stored)
                counts["repeated"] += outcome.repeated
    return counts


@task
def ingest_delivery(items: list[dict[str, Any]]) -> str:
    """The background half of a webhook delivery (see the module's docstring)."""
    counts = store_delivery([message_from_json(item) for item in items])
    return "stored {stored}, repeated {repeated}, for no account {unknown}".format(**counts)
