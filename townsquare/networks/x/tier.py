"""The account's X subscription kept as its own text limit: X Premium accounts may post up
to 25,000 characters, every other account 280 (`reading.tier_limits`).

The limit goes into `SocialAccount.reported_limits`, which the composer, the validator and
publishing already apply to the account; nothing else is stored (the credentials are left
alone: X rotates refresh tokens, and a second writer there could lose one)."""

from __future__ import annotations

from django.db import transaction

from townsquare.networks.models import SocialAccount
from townsquare.networks.x import reading


def limits_with_tier(current: dict[str, object], subscription: str) -> dict[str, object]:
    """The account's reported limits after reading `subscription`: its text limit follows
    the tier, every other reported value stays."""
    kept = {name: value for name, value in current.items() if name != "text_max"}
    return {**kept, **reading.tier_limits(subscription)}


def store_tier(account_id: int, subscription: str) -> None:
    """Store what X said of the account's subscription (read with its figures). An answer
    without `subscription_type` changes nothing: unknown is not "no Premium"."""
    if not subscription:
        return
    with transaction.atomic():
        account = SocialAccount.all_objects.select_for_update().filter(pk=account_id).first()
        if account is None:
            return
        current = dict(account.reported_limits or {})
        wanted = limits_with_tier(current, subscription)
        if wanted != current:
            SocialAccount.all_objects.filter(pk=account_id).update(reported_limits=wanted)


def store_tier_at_connect(account: SocialAccount, subscription: str) -> None:
    """At sign-in the account's limit is set from what X said; unknown keeps 280 (a limit
    from an earlier sign-in is not carried over to a subscription X no longer names)."""
    wanted = limits_with_tier(dict(account.reported_limits or {}), subscription)
    if wanted != account.reported_limits:
        account.reported_limits = wanted
        SocialAccount.all_objects.filter(pk=account.pk).update(reported_limits=wanted)
