"""Ask the network, ahead of time, whether an account's login still works.

`needs_reconnect` used to be learnt only when a post failed. A login revoked on the network's
side (a Mastodon app removed, a Bluesky app password deleted) is now found out before the
account's next scheduled post: the scheduler has accounts with posts due within a day checked
every few hours by a worker (one cheap authenticated read), and connection_warnings tells
people in time to reconnect.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from townsquare.networks.base import ConnectionCheck, Reauth
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import UnknownNetwork
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.publishing.sending import connector_for, credentials_of

logger = logging.getLogger(__name__)

# Accounts with a post due within this window are checked...
LOOK_AHEAD = timedelta(days=1)
# ...unless their login worked this recently.
FRESH_FOR = timedelta(hours=6)
# A scheduler process asks for the same account again only after this long, whatever the
# outcome (a network that cannot answer now is asked again later, not every pass).
ASK_AGAIN_AFTER_SECONDS = 3600.0
MAX_CHECKS_PER_PASS = 50

_asked: dict[int, float] = {}


@task
def check_account_connection(account_id: int) -> str:
    account = SocialAccount.objects.filter(pk=account_id).exclude(credentials_encrypted="").first()
    if account is None:
        return "gone"
    try:
        connector = connector_for(account)
    except UnknownNetwork:
        return "unsupported"
    if not isinstance(connector, ConnectionCheck):
        return "unsupported"
    try:
        connector.check_connection(credentials_of(account))
    except Reauth as error:
        logger.info("account %s: the network refused its login: %s", account_id, error.message)
        SocialAccount.objects.filter(pk=account_id).update(needs_reconnect=True)
        return "reauth"
    except Exception as error:  # could not tell now; asked again later
        logger.info("account %s: connection check failed: %s", account_id, error)
        return "unknown"
    SocialAccount.objects.filter(pk=account_id).update(
        last_success_at=timezone.now(), needs_reconnect=False
    )
    return "ok"


def accounts_to_check(now=None) -> list[int]:  # type: ignore[no-untyped-def]
    """Connected accounts with a post due within a day whose login has not worked lately."""
    now = now or timezone.now()
    due = Publication.objects.filter(status=Status.SCHEDULED, due_at__lte=now + LOOK_AHEAD).values(
        "account_id"
    )
    rows = (
        SocialAccount.objects.filter(pk__in=due, needs_reconnect=False)
        .exclude(credentials_encrypted="")
        .filter(Q(last_success_at__isnull=True) | Q(last_success_at__lt=now - FRESH_FOR))
        .order_by("last_success_at", "pk")
        .values_list("pk", flat=True)
    )
    return list(rows[:MAX_CHECKS_PER_PASS])


def enqueue_connection_checks(queue_name: str, clock: float | None = None) -> list[int]:
    clock = time.monotonic() if clock is None else clock
    wanted = [
        pk
        for pk in accounts_to_check()
        if clock - _asked.get(pk, -ASK_AGAIN_AFTER_SECONDS) >= ASK_AGAIN_AFTER_SECONDS
    ]
    checker = check_account_connection.using(queue_name=queue_name)
    for pk in wanted:
        _asked[pk] = clock
        checker.enqueue(pk)
    return wanted
