"""Best time to post read from the workspace's history (best_time.py holds the rules):
the last HISTORY_WEEKS weeks of posts per local weekday and hour, per network and
optionally per account, and the suggested slots as concrete moments.

An account with too little history of its own borrows that of the workspace's other
accounts on the same network, before falling back to general guidance: the same audience
habits hold across a brand's accounts on one network more than across networks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from townsquare.analytics.best_time import HISTORY_WEEKS, Basis, BestTime, best_time, next_slots
from townsquare.analytics.readers import read_slots
from townsquare.analytics.readers_scope import Filters, zone
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership


def read_best_time(
    membership: Membership,
    network: str,
    account_id: int | None = None,
    *,
    now: datetime | None = None,
) -> BestTime:
    """The best slots of the network (or of one account on it) over the last 16 weeks up
    to `now`; one grouped query (two when an account's own history is too thin)."""
    now = now or timezone.now()
    start = now - timedelta(weeks=HISTORY_WEEKS)
    if account_id is not None:
        own = best_time(
            network,
            read_slots(membership, start, now, Filters(network=network, account_id=account_id)),
        )
        if own.basis is Basis.HISTORY:
            return own
    return best_time(network, read_slots(membership, start, now, Filters(network=network)))


def suggested_slots(
    membership: Membership,
    account: SocialAccount,
    start: datetime,
    days: int,
    *,
    now: datetime | None = None,
) -> list[datetime]:
    """The suggested moments to post on `account` from `start` for `days` local days, in
    the workspace's zone, earliest first (for the composer, the queue and the calendar).
    An account of another workspace has no suggestions."""
    if account.workspace_id != membership.workspace_id:
        return []
    found = read_best_time(membership, account.network, account.pk, now=now)
    return next_slots(found.suggestions, str(zone(membership.workspace)), start, days)
