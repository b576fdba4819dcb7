"""Stored credentials of a social account: encrypted at rest with the key ring."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from django.conf import settings

from townsquare.lib.crypto import KeyRing, SecretsUnavailable
from townsquare.networks.base import Credentials
from townsquare.networks.models import SocialAccount

logger = logging.getLogger(__name__)


def key_ring() -> KeyRing:
    return KeyRing(settings.FIELD_ENCRYPTION_KEYS)


def store_credentials(account: SocialAccount, values: dict[str, Any]) -> None:
    """Replace what is stored. Keeps a refresh token that the new values do not carry, so a
    reconnect that only returns an access token never loses the way to refresh it."""
    try:
        current = read_credentials(account)
    except SecretsUnavailable:
        # Written with a key that is gone: a new connection is exactly what repairs that.
        logger.warning("Replacing unreadable credentials of account %s", account.pk)
        current = {}
    if not values.get("refresh_token") and current.get("refresh_token"):
        values = {**values, "refresh_token": current["refresh_token"]}
    account.credentials_encrypted = key_ring().encrypt(json.dumps(values))
    # The network id kept beside them is read again from the new ones when next needed.
    account.network_account_id = ""
    account.save(update_fields=["credentials_encrypted", "network_account_id"])


def read_credentials(account: SocialAccount) -> dict[str, Any]:
    if not account.credentials_encrypted:
        return {}
    value: dict[str, Any] = json.loads(key_ring().decrypt(account.credentials_encrypted))
    return value


def credentials_for(account: SocialAccount) -> Credentials:
    values = read_credentials(account)
    expires = values.get("expires_at")
    return Credentials(
        account_id=account.pk,
        network=account.network,
        handle=account.handle,
        access_token=values.get("access_token", ""),
        refresh_token=values.get("refresh_token", ""),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        instance_url=values.get("instance_url", ""),
        extra={k: str(v) for k, v in values.get("extra", {}).items()},
    )
