"""Collecting one account's counters: read them through its connector, store them, and say
where collection stands (CollectionState), in words a person understands when it fails.

One collection reads the account's counters of today and those of its posts that are due
(collection_schedule.py) and stores them (collection_store.py) in one transaction with the
state. The first collection of an account reaches back 90 days (the backfill): every post
published through Townsquare in that time is tracked from then on, and so is every post the
account published elsewhere that the network lists (collection_store.py).

Every collection takes one unit of the account's collection windows in the engine's shared
rate limits (`<network>:metrics:account:<id>`, and per network `<network>:metrics:global`
where the network limits the installation as a whole); when they are full it waits and
records nothing as a failure. A network asking to wait (429, 5xx, no answer) backs the
account off, at least as long as the network asked. A refused login marks the account for
reconnecting and stops collecting it until someone connects it again; so do a refusal that
repeats MAX_FAILURES times and a network whose counters Townsquare cannot read. Nothing
retries in a loop on its own: every failure is on the account's CollectionState with its
reason (`last_error_code`, `last_error`, `failing_since`), which the dashboards show beside
the figures. The history stays whatever happens: a reconnected account keeps its row,
and with it its snapshots.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.analytics.collection_schedule import WEEKLY_UNTIL, backoff
from townsquare.analytics.collection_store import (
    earliest_due_publication,
    next_due,
    store_readings,
    track_publications,
)
from townsquare.analytics.metric_maps import METRIC_MAPS, MetricMap, NoMetricMap, map_in_force
from townsquare.analytics.models import CollectionState
from townsquare.lib.crypto import SecretsUnavailable
from townsquare.networks.base import (
    MetricsSource,
    NetworkError,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.credentials import credentials_for
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import UnknownNetwork, automatic_networks, get_publisher
from townsquare.ratelimits.defaults import ACCOUNT, GLOBAL, HOUR, MINUTE, limit_keys
from townsquare.ratelimits.limiter import acquire_all, penalise
from townsquare.ratelimits.window import Rate

logger = logging.getLogger(__name__)

# After this many refusals in a row (not a network asking to wait), collection stops
# until a person acts.
MAX_FAILURES = 5

# One unit is one collection of an account: a handful of reads (its profile, a page or two
# of its posts, their counters). Accounts are collected every 3 hours, so 20 an hour leaves
# room for backoffs and a person's "read now", and stops a fault of ours from hammering a
# network. Bluesky: 3,000 PDS requests per 5 minutes per IP, shared with publishing and the
# inbox (ratelimits/defaults.py); 150 collections of at most about 10 reads take half.
DEFAULT_COLLECTION_RATES: list[tuple[str, Rate]] = [(ACCOUNT, Rate(20, HOUR))]
COLLECTION_RATES: dict[str, list[tuple[str, Rate]]] = {
    "bluesky": [(ACCOUNT, Rate(20, HOUR)), (GLOBAL, Rate(150, 5 * MINUTE))],
}


class NotCollectable(LookupError):
    """The account's network has no connector that reads counters."""


class StoringFailed(Exception):
    """The counters were read but could not be stored; read again later."""


@dataclass(frozen=True)
class CollectOutcome:
    account_snapshot: bool = False
    post_snapshots: int = 0
    tracked: int = 0
    # Empty when it worked; else the code and the reason now on the CollectionState.
    error_code: str = ""
    error: str = ""
    stopped: bool = False
    # Seconds the shared rate limits asked to wait (nothing was read).
    waited: float = 0.0


def metrics_source_of(account: SocialAccount) -> MetricsSource:
    try:
        connector = get_publisher(account.network)
    except UnknownNetwork:
        raise NotCollectable(account.network) from None
    if not isinstance(connector, MetricsSource):
        raise NotCollectable(account.network)
    return connector


def metrics_networks() -> list[str]:
    """The networks whose connector reads counters and whose names a map translates."""
    return [
        network
        for network in automatic_networks()
        if network in METRIC_MAPS and isinstance(get_publisher(network), MetricsSource)
    ]


def collectable_accounts(networks: list[str]):  # type: ignore[no-untyped-def]
    """Accounts collected on a schedule: active (not removed), connected, login working."""
    return (
        SocialAccount.objects.filter(network__in=networks, needs_reconnect=False)
        .exclude(credentials_encrypted="")
        .order_by()
    )


def collection_limits(account: SocialAccount) -> list[tuple[str, Rate]]:
    overrides: dict[str, list[tuple[str, Rate]]] = getattr(
        settings, "ANALYTICS_COLLECTION_RATES", {}
    )
    rates = overrides.get(account.network) or COLLECTION_RATES.get(
        account.network, DEFAULT_COLLECTION_RATES
    )
    return limit_keys(f"{account.network}:metrics", account.pk, list(rates))


def state_of(account: SocialAccount) -> CollectionState:
    state, _created = CollectionState.objects.get_or_create(account=account)
    return state


def collect_account(
    account: SocialAccount,
    *,
    source: MetricsSource | None = None,
    now: datetime | None = None,
    maps: Mapping[str, tuple[MetricMap, ...]] = METRIC_MAPS,
) -> CollectOutcome:
    """Read and store the account's counters now. Never raises for what the network or its
    answer did wrong: that is recorded on the account's CollectionState instead."""
    now = now or timezone.now()
    state = state_of(account)
    limits = collection_limits(account)
    wait = acquire_all(limits)
    if wait:
        CollectionState.objects.filter(pk=state.pk).update(
            next_due_at=now + timedelta(seconds=wait)
        )
        return CollectOutcome(waited=wait)
    backfill = state.backfilled_at is None
    try:
        source = source or metrics_source_of(account)
        map_in_force(account.network, now.date(), maps)
        tracked = track_publications(account, now)
        readings = source.fetch_metrics(credentials_for(account), _since(account, now, backfill))
    except Exception as error:
        return _record_failure(account, state, error, now, limits)
    try:
        with transaction.atomic():
            stored = store_readings(account, readings, now, maps)
            CollectionState.objects.filter(pk=state.pk).update(
                last_attempt_at=now,
                last_success_at=now,
                backfilled_at=state.backfilled_at or now,
                next_due_at=next_due(account, now),
                consecutive_failures=0,
                failing_since=None,
                last_error_code="",
                last_error="",
            )
    except Exception as error:
        logger.exception("collection of account %s: storing failed", account.pk)
        return _record_failure(account, state, StoringFailed(repr(error)), now, limits)
    return CollectOutcome(
        account_snapshot=stored.account_snapshot,
        post_snapshots=stored.post_snapshots,
        tracked=tracked + stored.found_outside,
    )


def _since(account: SocialAccount, now: datetime, backfill: bool) -> date:
    """How far back the network lists posts: 90 days for the backfill, else to the oldest
    post due (a day earlier, as networks date posts in their own zone)."""
    if backfill:
        return (now - WEEKLY_UNTIL).date()
    oldest = earliest_due_publication(account, now)
    start = min(oldest, now) if oldest else now
    return (max(start, now - WEEKLY_UNTIL) - timedelta(days=1)).date()


def _record_failure(
    account: SocialAccount,
    state: CollectionState,
    error: Exception,
    now: datetime,
    limits: list[tuple[str, Rate]],
) -> CollectOutcome:
    failures = state.consecutive_failures + 1
    code = error_code(error)
    waits = isinstance(error, RetryLater | OutcomeUnknown | StoringFailed)
    stop = isinstance(error, Reauth | SecretsUnavailable | NotCollectable | NoMetricMap) or (
        failures >= MAX_FAILURES and not waits
    )
    with translation.override(account.workspace.language or settings.LANGUAGE_CODE):
        reason = failure_reason(error)
        if stop and code in ("rejected", "unexpected"):
            reason += " " + _(
                "Townsquare stopped reading the figures after %(count)d failed attempts in a "
                "row. Choose “Try again now” on the analytics page once the problem is solved."
            ) % {"count": failures}
    if isinstance(error, NetworkError):
        logger.info("collection of account %s: %s (%s)", account.pk, error.message, error.detail)
    elif not isinstance(error, NotCollectable | NoMetricMap | StoringFailed):
        logger.warning("collection of account %s failed: %r", account.pk, error)
    asked = error.after if isinstance(error, RetryLater) else None
    if asked:
        _penalise_account(account, limits, asked)
    if isinstance(error, Reauth):
        SocialAccount.all_objects.filter(pk=account.pk).update(needs_reconnect=True)
    CollectionState.objects.filter(pk=state.pk).update(
        last_attempt_at=now,
        consecutive_failures=failures,
        failing_since=state.failing_since or now,
        last_error_code=code,
        last_error=reason,
        last_error_at=now,
        next_due_at=None if stop else now + backoff(failures, asked),
    )
    return CollectOutcome(error_code=code, error=reason, stopped=stop)


def _penalise_account(account: SocialAccount, limits: list[tuple[str, Rate]], after: float) -> None:
    """The network said when to ask again: no worker collects this account before then (its
    own windows only; other accounts of the network go on)."""
    own = f"{account.network}:metrics:account:{account.pk}"
    for key, _rate in limits:
        if key == own or key.startswith(own + ":"):
            penalise(key, time.time() + after)


def error_code(error: Exception) -> str:
    if isinstance(error, Reauth):
        return "reauth"
    if isinstance(error, SecretsUnavailable):
        return "secrets_unavailable"
    if isinstance(error, NotCollectable):
        return "not_supported"
    if isinstance(error, NoMetricMap):
        return "no_metric_map"
    if isinstance(error, StoringFailed):
        return "storing_failed"
    if isinstance(error, UnreadableAnswer):
        return "unreadable"
    if isinstance(error, RetryLater | OutcomeUnknown):
        return "retry_later"
    if isinstance(error, Rejected):
        return "rejected"
    return "unexpected"


def failure_reason(error: Exception) -> str:
    """Why no new figures arrive, for the person reading the dashboard."""
    if isinstance(error, Reauth):
        return _(
            "The network no longer accepts Townsquare's login for this account. Connect the "
            "account again to read its figures; those read so far are kept."
        )
    if isinstance(error, SecretsUnavailable):
        return _(
            "Townsquare cannot read the stored login of this account (the key it was saved "
            "with is gone). Connect the account again to read its figures; those read so far "
            "are kept."
        )
    if isinstance(error, NotCollectable):
        return _("Townsquare cannot read figures from this network.")
    if isinstance(error, NoMetricMap):
        return _(
            "Townsquare does not know what this network's figures mean, so it does not store them."
        )
    if isinstance(error, StoringFailed):
        return _(
            "Townsquare read the figures but could not store them. It tries again later by itself."
        )
    if isinstance(error, UnreadableAnswer):
        return _unreadable()
    if isinstance(error, RetryLater | OutcomeUnknown):
        return _(
            "The network did not answer or asked Townsquare to wait. Townsquare reads the "
            "figures again later by itself."
        )
    if isinstance(error, Rejected):
        return (
            _("The network refused to hand out the figures: %(reason)s") % {"reason": error.message}
        ).strip()
    return _unreadable()


def _unreadable() -> str:
    return _(
        "The network sent an answer Townsquare could not read. Townsquare reads the figures "
        "again later by itself."
    )
