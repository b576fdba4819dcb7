"""Renewing an account's OAuth 2.0 tokens and storing them, one worker at a time.

Networks that rotate refresh tokens (X does: each refresh token works once) lock an account
out when two workers renew at the same moment: the second one sends a token the first has
just used up. So the account's row is locked while renewing, and a worker that finds the
token already renewed by another uses that one instead of renewing again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from townsquare.networks.base import Credentials, Reauth
from townsquare.networks.credentials import credentials_for, read_credentials, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2.refresh import credentials_with, needs_refresh
from townsquare.networks.oauth2.tokens import TokenSet

Renew = Callable[[str], TokenSet]


def renew_and_store(
    creds: Credentials, renew: Renew, *, now: datetime | None = None
) -> Credentials:
    """Credentials with a fresh access token: renewed with `renew(refresh_token)` and stored,
    or the ones another worker stored meanwhile. Errors of `renew` store nothing."""
    moment = now or timezone.now()
    with transaction.atomic():
        account = SocialAccount.objects.select_for_update().filter(pk=creds.account_id).first()
        if account is None:
            raise Reauth("The account was removed from Townsquare.")
        stored = credentials_for(account)
        if stored.access_token != creds.access_token and not needs_refresh(stored, moment):
            return stored  # another worker renewed it a moment ago
        if not stored.refresh_token:
            raise Reauth(
                "The account's sign-in cannot be renewed (no refresh token); connect it again."
            )
        tokens = renew(stored.refresh_token)
        values = read_credentials(account)
        values.update(
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token or stored.refresh_token,
            expires_at=tokens.expires_at.isoformat() if tokens.expires_at else None,
        )
        store_credentials(account, values)
        account.token_expires_at = tokens.expires_at
        account.save(update_fields=["token_expires_at"])
        return credentials_with(stored, tokens)
