"""Polling one account's inbox: read from the stored cursor, store, then move the cursor.

The cursor moves in the same transaction that stores the messages, so a crash between
reading and storing reads the same page again next time (and storing it twice is storing it
once, see ingest_store). A failed read counts as a failure of the account's polling, with
the reason in words a person understands (`InboxCursor.last_error`) and a growing pause
before the next try; after MAX_FAILURES in a row, or at once when the network refuses the
login, polling stops until someone reconnects the account or asks to try again
(ingest_actions.do_retry_polling). Nothing retries in a loop on its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.inbox.ingest_store import StoreOutcome, store_messages
from townsquare.inbox.models import InboxCursor
from townsquare.lib.crypto import SecretsUnavailable
from townsquare.networks.base import (
    InboxSource,
    NetworkError,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.credentials import credentials_for
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import UnknownNetwork, get_publisher

logger = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 120
# After this many failed polls in a row, polling stops until a person acts.
MAX_FAILURES = 5
# The pause after a failure doubles each time, up to this.
MAX_BACKOFF = timedelta(hours=1)


def poll_interval() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "INBOX_POLL_SECONDS", DEFAULT_POLL_SECONDS)))


@dataclass
class IngestOutcome:
    stored: int = 0
    skipped_own: int = 0
    repeated: int = 0
    truncated: int = 0
    # Empty when the poll worked; else what `InboxCursor.last_error` now says.
    error: str = ""
    paused: bool = False


class NotAnInbox(LookupError):
    """The account's network has no connector that reads an inbox."""


class StoringFailed(Exception):
    """The page was read but could not be stored (the database refused); read again later."""


def inbox_source_of(account: SocialAccount) -> InboxSource:
    try:
        connector = get_publisher(account.network)
    except UnknownNetwork:
        raise NotAnInbox(account.network) from None
    if not isinstance(connector, InboxSource):
        raise NotAnInbox(account.network)
    return connector


def cursor_of(account: SocialAccount) -> InboxCursor:
    cursor, _created = InboxCursor.objects.get_or_create(account=account)
    return cursor


def ingest_account(
    account: SocialAccount, *, source: InboxSource | None = None, now: datetime | None = None
) -> IngestOutcome:
    """Read what is new for `account` since its cursor and store it. Never raises for what
    the network or its answer did wrong: that is recorded on the cursor instead."""
    now = now or timezone.now()
    cursor = cursor_of(account)
    try:
        source = source or inbox_source_of(account)
        messages, next_cursor = source.fetch_inbox(credentials_for(account), cursor.cursor or None)
    except Exception as error:
        return _record_failure(account, cursor, error, now)

    def save_cursor() -> None:
        InboxCursor.objects.filter(pk=cursor.pk).update(
            cursor=next_cursor if next_cursor is not None else cursor.cursor,
            last_polled_at=now,
            last_success_at=now,
            next_poll_at=now + poll_interval(),
            failures=0,
            last_error="",
            paused_at=None,
        )

    try:
        stored: StoreOutcome = store_messages(account, messages, after_write=save_cursor)
    except Exception as error:
        logger.exception("inbox of account %s: storing a page failed", account.pk)
        return _record_failure(account, cursor, StoringFailed(repr(error)), now)
    return IngestOutcome(
        stored=len(stored.stored),
        skipped_own=stored.skipped_own,
        repeated=stored.repeated,
        truncated=stored.truncated,
    )


def _record_failure(
    account: SocialAccount, cursor: InboxCursor, error: Exception, now: datetime
) -> IngestOutcome:
    failures = cursor.failures + 1
    stop = isinstance(error, Reauth | SecretsUnavailable | NotAnInbox) or failures >= MAX_FAILURES
    with translation.override(account.workspace.language or settings.LANGUAGE_CODE):
        reason = failure_reason(error)
        if stop and not isinstance(error, Reauth | SecretsUnavailable | NotAnInbox):
            reason += " " + _(
                "Townsquare stopped asking after %(count)d failed attempts in a row. "
                "Choose “Try again” in the inbox once the problem is solved."
            ) % {"count": failures}
    if isinstance(error, NetworkError):
        logger.info("inbox of account %s: %s (%s)", account.pk, error.message, error.detail)
    elif not isinstance(error, NotAnInbox | StoringFailed):
        logger.warning("inbox of account %s: unreadable answer: %r", account.pk, error)
    if isinstance(error, Reauth):
        SocialAccount.all_objects.filter(pk=account.pk).update(needs_reconnect=True)
    InboxCursor.objects.filter(pk=cursor.pk).update(
        last_polled_at=now,
        failures=failures,
        last_error=reason,
        paused_at=now if stop else None,
        next_poll_at=None if stop else now + backoff(failures, error),
    )
    return IngestOutcome(error=reason, paused=stop)


def backoff(failures: int, error: Exception) -> timedelta:
    """Twice the interval per failure, capped; at least what the network asked for."""
    pause = min(poll_interval() * (2 ** (failures - 1)), MAX_BACKOFF)
    if isinstance(error, RetryLater) and error.after:
        pause = max(pause, timedelta(seconds=error.after))
    return pause


def failure_reason(error: Exception) -> str:
    """What went wrong, for the person who wonders why no messages arrive."""
    if isinstance(error, Reauth):
        return _(
            "The network no longer accepts Townsquare's login for this account. Connect the "
            "account again to receive its messages."
        )
    if isinstance(error, SecretsUnavailable):
        return _(
            "Townsquare cannot read the stored login of this account (the key it was saved "
            "with is gone). Connect the account again to receive its messages."
        )
    if isinstance(error, NotAnInbox):
        return _("Townsquare cannot read messages from this network.")
    if isinstance(error, StoringFailed):
        return _(
            "Townsquare read new messages but could not store them. It tries again later; "
            "no message is lost, the same messages are read again."
        )
    if isinstance(error, UnreadableAnswer):
        # Broken JSON is tried again like silence, but "did not answer" would send the
        # person looking for an outage that is not there.
        return _unreadable()
    if isinstance(error, RetryLater | OutcomeUnknown):
        return _(
            "The network did not answer or asked Townsquare to wait. Townsquare tries again "
            "later by itself; no message is lost."
        )
    if isinstance(error, Rejected):
        return (
            _("The network refused to hand out the messages: %(reason)s")
            % {"reason": error.message}
        ).strip()
    return _unreadable()


def _unreadable() -> str:
    return _(
        "The network sent an answer Townsquare could not read. Townsquare tries again "
        "later; no message is lost, the same messages are read again."
    )
