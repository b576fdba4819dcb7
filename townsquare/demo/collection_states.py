"""Demo collection states: every demo account looks as if its counters were read a little
while ago, so each figure on the analytics pages says how fresh it is.

The demo holds no login for any network (its history is generated, see analytics*.py), so
nothing is really read: the states are written here. The Mastodon account whose login the
instance revoked (connections.py) shows what a failing collection looks like: read three
days ago, stopped since, with the reason and what to do.

Idempotent: a state that still looks fresh is left alone, so running the demo twice in a
row changes nothing; run later, it is brought up to date again.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation

from townsquare.analytics.collection import failure_reason
from townsquare.analytics.collection_schedule import ACCOUNT_EVERY
from townsquare.analytics.models import CollectionState
from townsquare.networks.base import Reauth
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Workspace

# How far back the demo's history reaches (the generated two years).
HISTORY = timedelta(days=730)
REVOKED_DAYS_AGO = 3


def seed_collection_states(workspaces: list[Workspace]) -> None:
    now = timezone.now()
    for workspace in workspaces:
        for account in SocialAccount.objects.filter(workspace=workspace):
            state, _created = CollectionState.objects.get_or_create(account=account)
            if account.needs_reconnect:
                _failing(state, account, workspace, now)
            elif not _looks_fresh(state, now):
                _alive(state, account, now)


def _looks_fresh(state: CollectionState, now: datetime) -> bool:
    return (
        state.last_success_at is not None
        and now - state.last_success_at < ACCOUNT_EVERY
        and not state.last_error_code
    )


def _alive(state: CollectionState, account: SocialAccount, now: datetime) -> None:
    # Each account read at its own minute within the last interval, as the real schedule
    # spreads them.
    minutes = int(ACCOUNT_EVERY.total_seconds() // 60)
    read = now - timedelta(minutes=5 + zlib.crc32(str(account.pk).encode()) % (minutes - 10))
    state.backfilled_at = state.backfilled_at or now - HISTORY
    state.last_attempt_at = read
    state.last_success_at = read
    state.next_due_at = read + ACCOUNT_EVERY
    state.consecutive_failures = 0
    state.failing_since = None
    state.last_error_code = ""
    state.last_error = ""
    state.save()


def _failing(
    state: CollectionState, account: SocialAccount, workspace: Workspace, now: datetime
) -> None:
    if state.last_error_code == "reauth":
        return
    since = now - timedelta(days=REVOKED_DAYS_AGO)
    with translation.override(workspace.language or settings.LANGUAGE_CODE):
        reason = failure_reason(Reauth("revoked"))
    state.backfilled_at = state.backfilled_at or now - HISTORY
    state.last_success_at = since - ACCOUNT_EVERY
    state.last_attempt_at = since
    state.failing_since = since
    state.last_error_at = since
    state.consecutive_failures = 1
    state.last_error_code = "reauth"
    state.last_error = reason
    state.next_due_at = None  # waits for someone to connect the account again
    state.save()
