"""The publish task and the reconcile task. Both run on any worker, in either mode.

A publish task holds the row through its lease token: it re-extends the lease when it
starts (a task that waited in a queue must not run on a stale lease), re-reads and
re-checks everything at send time (an edited, cancelled or deleted post never goes out in
an old version), records `sending_started_at` just before each network call, and fences
every write with the token: a worker whose lease was taken over changes nothing. No error
leaves the row to its lease: whatever a run raises ends in `failed`, a retry within the
attempt budget, or (when a part may have left) `unknown`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from townsquare.networks.base import (
    OutcomeUnknown,
    PublishedResult,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.demo_transport import published_address
from townsquare.networks.models import SocialAccount
from townsquare.publishing import events
from townsquare.publishing.fencing import (
    fenced,
    finish_attempt,
    in_language,
    lease_from_now,
    needs_reconnect,
    start_sending,
)
from townsquare.publishing.lease_keeper import LeaseKeeper
from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.schedule import (
    MAX_ATTEMPTS,
    LatePolicy,
    Status,
    is_held_for_lateness,
    part_key,
    retry_delay,
)
from townsquare.publishing.sending import (
    CannotSend,
    connector_for,
    credentials_of,
    late_policy,
    part_to_publish,
    penalise_account,
    rate_limit_wait,
    validation_errors,
    variant_to_publish,
)
from townsquare.publishing.unsent import fail_unsent, retry_unsent

logger = logging.getLogger(__name__)

# Reconciling right after a timeout could ask before the network has finished storing the
# post; waiting a little makes "not found" trustworthy.
RECONCILE_GRACE_SECONDS = 10


@dataclass
class _Run:
    """One run of a publish task. `sending` is True while a request of this run may be on
    its way to the network: an error then may mean the part went out."""

    pub_id: int
    token: str
    sending: bool = False


@task
def publish_publication(pub_id: int, token: str) -> str:
    taken = _take(pub_id, token)
    if taken:
        return taken
    run = _Run(pub_id, token)
    try:
        return _publish(run)
    except Exception as error:
        # Whatever went wrong, the row must not be left to its lease: it would come back
        # as "scheduled", be claimed again and fail the same way for ever.
        return _stopped_by(run, error)


def _take(pub_id: int, token: str) -> str:
    """Re-extend the lease this task was given ("" when it did), before anything else.

    A task that waited in a queue must not run on a stale lease. And a second copy of the
    task (a message delivered again while its first run is still sending, or after that
    run's worker died) finds a part in flight: it leaves the row alone -- no new lease, no
    new state. While the first run lives, it renews the lease and finishes; if it died,
    the lease runs out and recovery hands the row to reconciliation.
    """
    idle = Publication.objects.filter(
        pk=pub_id, lease_token=token, status=Status.PUBLISHING, sending_started_at__isnull=True
    )
    if idle.update(lease_expires_at=lease_from_now()):
        return ""
    held = Publication.objects.filter(pk=pub_id, lease_token=token, status=Status.PUBLISHING)
    return "in_flight" if held.exists() else "stale"


def _publish(run: _Run) -> str:
    pub_id, token = run.pub_id, run.token
    pub = Publication.objects.select_related(
        "account", "variant", "post", "workspace__publishing_settings"
    ).get(pk=pub_id)
    if pub.variant is None or pub.variant.post_id != pub.post_id:
        fenced(
            pub_id,
            token,
            idle=True,
            status=Status.CANCELLED,
            lease_token=None,
            error_code="variant_removed",
        )
        return "cancelled"
    now = timezone.now()
    policy: LatePolicy = late_policy(pub.workspace)
    if pub.due_at and is_held_for_lateness(pub.due_at, now, policy):
        minutes = int((now - pub.due_at).total_seconds() // 60)
        if fenced(
            pub_id,
            token,
            idle=True,
            status=Status.FAILED,
            lease_token=None,
            error_code="held_late",
            error_message=in_language(
                pub,
                ngettext_lazy(
                    "Held: it would have gone out %(minutes)s minute late.",
                    "Held: it would have gone out %(minutes)s minutes late.",
                    minutes,
                ),
                minutes=minutes,
            ),
        ):
            events.publication_failed(pub_id)
        return "held"
    variant = variant_to_publish(pub)
    errors = validation_errors(pub, variant)
    if errors:
        if fenced(
            pub_id,
            token,
            idle=True,
            status=Status.FAILED,
            lease_token=None,
            error_code="invalid",
            error_message=" ".join(errors)[:2000],
        ):
            events.publication_failed(pub_id)
        return "invalid"
    return _send_parts(run, pub, variant)


def _send_parts(run: _Run, pub: Publication, variant: VariantToPublish) -> str:
    token = run.token
    connector = connector_for(pub.account)
    creds = credentials_of(pub.account)
    part_ids: list[str] = list(pub.part_ids)
    url = pub.external_url
    attempts = pub.attempt_count
    last_attempt: Attempt | None = None
    for index in range(len(part_ids), len(variant.parts)):
        # Each part is a post of its own on the network and takes its own unit of the
        # account's rate limits: a thread never jumps the limit. Out of units mid-thread,
        # the rest follows when the windows have room again.
        wait = rate_limit_wait(pub)
        if wait > 0:
            fenced(
                pub.pk,
                token,
                idle=True,
                status=Status.SCHEDULED,
                lease_token=None,
                run_at=timezone.now() + timedelta(seconds=wait),
            )
            return "rate_limited"
        # The attempt is on record before the request leaves, in the same transaction as
        # the send start.
        with transaction.atomic():
            if not start_sending(pub.pk, token, attempts):
                return "stale"
            attempt = Attempt.objects.create(publication=pub, part_index=index, lease_token=token)
        run.sending = True
        attempts += 1
        one_part = part_to_publish(variant, index, part_ids)
        try:
            with LeaseKeeper(pub.pk, token):
                result: PublishedResult = connector.publish(
                    creds, one_part, part_key(pub.idempotency_key, index)
                )
        except Rejected as error:
            finish_attempt(attempt, "rejected", error)
            if fenced(
                pub.pk,
                token,
                status=Status.FAILED,
                lease_token=None,
                sending_started_at=None,
                error_code=error.code,
                error_message=error.message,
            ):
                events.publication_failed(pub.pk)
            return "rejected"
        except RetryLater as error:
            finish_attempt(attempt, "retry", error)
            return _retry_later(pub, token, error)
        except Reauth as error:
            finish_attempt(attempt, "reauth", error)
            needs_reconnect(pub.account)
            if fenced(
                pub.pk,
                token,
                status=Status.FAILED,
                lease_token=None,
                sending_started_at=None,
                error_code="reauth",
                error_message=error.message,
            ):
                events.publication_failed(pub.pk)
            return "reauth"
        except Exception as error:
            # OutcomeUnknown, or anything unexpected after the request may have left: the
            # post may be on the network. Never send again blindly; reconcile.
            finish_attempt(attempt, "unknown", error)
            if not isinstance(error, OutcomeUnknown):
                logger.exception("publishing %s failed unexpectedly", pub.pk)
            _unknown(pub.pk, token, error)
            return "unknown"
        part_ids.append(result.network_post_id)
        # A demo connection's post keeps a demo address: nothing was sent to the network.
        url = url or published_address(creds, result.network_post_id, result.url)
        if index + 1 == len(variant.parts):
            last_attempt = attempt  # recorded with the publication's outcome, below
            break
        with transaction.atomic():
            finish_attempt(attempt, "published")
            if not fenced(
                pub.pk, token, part_ids=part_ids, sending_started_at=None, external_url=url
            ):
                return "stale"
        run.sending = False
    # One transaction for the last attempt and the outcome: a worker killed in between
    # leaves the part in flight (sending_started_at), which reconciliation settles.
    with transaction.atomic():
        if last_attempt is not None:
            finish_attempt(last_attempt, "published")
        if not fenced(
            pub.pk,
            token,
            status=Status.PUBLISHED,
            lease_token=None,
            lease_expires_at=None,
            sending_started_at=None,
            part_ids=part_ids,
            external_id=part_ids[0] if part_ids else "",
            external_url=url,
            published_at=timezone.now(),
            error_code="",
            error_message="",
        ):
            return "stale"
    run.sending = False
    _account_worked(pub.account)
    return "published"


def _unknown(pub_id: int, token: str, error: Exception) -> None:
    # Nobody is told yet: reconciliation usually settles it within seconds. People hear of
    # it when the network cannot tell (see reconcile_publication).
    fenced(
        pub_id,
        token,
        status=Status.UNKNOWN,
        lease_token=None,
        error_code="outcome_unknown",
        error_message=str(getattr(error, "message", "") or error)[:2000],
    )


def _stopped_by(run: _Run, error: Exception) -> str:
    """An error outside the network call's own handling (a connector or login that cannot
    be had, a bug, the database) ends in a state a person sees, counted as an attempt.

    If this run's part may be on its way, the outcome is unknown and reconciled. Otherwise
    nothing was sent, and the post fails with a reason or waits to be tried again.
    """
    pub = (
        Publication.objects.select_related("account", "workspace")
        .filter(pk=run.pub_id, lease_token=run.token, status=Status.PUBLISHING)
        .first()
    )
    if pub is None:
        return "stale"
    if run.sending:
        logger.exception("publication %s: error while a part was on its way", run.pub_id)
        _unknown(run.pub_id, run.token, error)
        return "unknown"
    pub_id, token = run.pub_id, run.token
    if isinstance(error, CannotSend):
        message = error.message_in(pub.workspace.language or settings.LANGUAGE_CODE)
        outcome = "reauth" if error.reconnect else "skipped"
        return fail_unsent(pub_id, token, pub, error, error.code, message, outcome, error.reconnect)
    if isinstance(error, Reauth):
        return fail_unsent(pub_id, token, pub, error, "reauth", error.message, "reauth", True)
    if isinstance(error, Rejected):
        return fail_unsent(pub_id, token, pub, error, error.code, error.message, "rejected", False)
    if isinstance(error, RetryLater):
        return retry_unsent(pub_id, token, pub, error, error.message, error.after)
    logger.exception("publication %s could not be prepared", run.pub_id)
    reason = in_language(
        pub,
        _("Townsquare could not prepare the post (%(error)s); nothing was sent."),
        error=str(error)[:300] or type(error).__name__,
    )
    return retry_unsent(pub_id, token, pub, error, reason, None)


# How stale `last_success_at` may get before a success writes it again: thousands of posts
# to one account need not each write the same row.
LAST_SUCCESS_RESOLUTION = timedelta(minutes=1)


def _account_worked(account: SocialAccount) -> None:
    """The account's login just worked: note when, and drop a stale "reconnect" flag."""
    now = timezone.now()
    last = account.last_success_at
    if account.needs_reconnect or last is None or now - last > LAST_SUCCESS_RESOLUTION:
        SocialAccount.objects.filter(pk=account.pk).update(
            last_success_at=now, needs_reconnect=False
        )


def _retry_later(pub: Publication, token: str, error: RetryLater) -> str:
    pub.refresh_from_db(fields=["attempt_count"])
    if pub.attempt_count >= MAX_ATTEMPTS:
        if fenced(
            pub.pk,
            token,
            status=Status.FAILED,
            lease_token=None,
            sending_started_at=None,
            error_code="gave_up",
            error_message=in_language(
                pub,
                _("Gave up after %(count)s attempts: %(reason)s"),
                count=pub.attempt_count,
                reason=error.message,
            ),
        ):
            events.publication_failed(pub.pk)
        return "gave_up"
    if error.after:
        penalise_account(pub, error.after)
    delay = retry_delay(pub.attempt_count, error.after)
    fenced(
        pub.pk,
        token,
        status=Status.SCHEDULED,
        lease_token=None,
        sending_started_at=None,
        run_at=timezone.now() + timedelta(seconds=delay),
        error_code="retrying",
        error_message=error.message,
    )
    return "retry"


# Clocks of the network and of this machine differ a little; a post found a bit "before" the
# send started is still the one in flight.
CLOCK_SKEW = timedelta(minutes=2)


def _part_in_flight(pub: Publication, index: int) -> VariantToPublish | None:
    if pub.variant is None:
        return None
    variant = variant_to_publish(pub)
    if index >= len(variant.parts):
        return None
    return part_to_publish(variant, index, pub.part_ids)


def _sent_after(pub: Publication) -> datetime | None:
    if pub.sending_started_at is None:
        return None
    return pub.sending_started_at - CLOCK_SKEW


# A lookup that fails is tried again a minute later; after this many failed lookups the
# post waits for a person, who is then told.
LOOKUP_RETRY_SECONDS = 60
LOOKUPS_BEFORE_ASKING_A_PERSON = 5


@task
def reconcile_publication(pub_id: int, token: str) -> str:
    """Ask the network whether the part in flight arrived; decide from its answer only."""
    rows = Publication.objects.filter(pk=pub_id, status=Status.UNKNOWN, lease_token=token)
    pub = rows.select_related("account", "workspace").first()
    if pub is None:
        return "stale"
    index = len(pub.part_ids)
    attempt = Attempt.objects.create(
        publication=pub, kind="reconcile", part_index=index, lease_token=token
    )
    try:
        connector = connector_for(pub.account)
        if not connector.capabilities.find_published:
            finish_attempt(attempt, "skipped")
            return _ask_a_person(rows, pub)
        found = connector.find_published(
            credentials_of(pub.account),
            part_key(pub.idempotency_key, index),
            expected=_part_in_flight(pub, index),
            sent_after=_sent_after(pub),
        )
    except (CannotSend, Reauth) as error:
        # No connector, or no login to ask with: asking again a minute later cannot
        # help. A person looks (and reconnects the account where the login is the cause).
        if isinstance(error, CannotSend):
            reason = error.reason_in(pub.workspace.language or settings.LANGUAGE_CODE)
        else:
            reason = error.message
        finish_attempt(attempt, "skipped", error, reason)
        if not isinstance(error, CannotSend) or error.reconnect:
            needs_reconnect(pub.account)
        message = in_language(
            pub,
            _(
                "Townsquare cannot ask the network whether the post arrived (%(reason)s). "
                "Look for it there, then tell Townsquare whether it is there."
            ),
            reason=reason.rstrip("."),
        )
        return _ask_a_person(rows, pub, message)
    except Exception as error:
        finish_attempt(attempt, "unknown", error)
        failed = pub.attempts.filter(kind="reconcile", outcome="unknown").count()
        if failed >= LOOKUPS_BEFORE_ASKING_A_PERSON:
            # The network cannot tell (or cannot be asked): a person has to look.
            return _ask_a_person(rows, pub)
        rows.update(
            lease_token=None,
            lease_expires_at=timezone.now() + timedelta(seconds=LOOKUP_RETRY_SECONDS),
        )
        return "lookup_failed"
    if found is None:
        # The network says it never arrived: sending again is safe -- unless it has been
        # tried as often as any post is (a connector that fails the same way every time
        # would otherwise go round unknown -> not found -> send for ever).
        finish_attempt(attempt, "not_found")
        if pub.attempt_count >= MAX_ATTEMPTS:
            reason = in_language(
                pub,
                _("Gave up after %(count)s attempts: %(reason)s"),
                count=pub.attempt_count,
                reason=pub.error_message,
            )
            if rows.update(
                status=Status.FAILED,
                lease_token=None,
                lease_expires_at=None,
                sending_started_at=None,
                error_code="gave_up",
                error_message=reason[:2000],
            ):
                events.publication_failed(pub.pk)
            return "gave_up"
        rows.update(
            status=Status.SCHEDULED,
            lease_token=None,
            sending_started_at=None,
            run_at=timezone.now(),
        )
        return "rescheduled"
    finish_attempt(attempt, "found")
    part_ids = [*pub.part_ids, found.network_post_id]
    total = len(pub.variant.parts) if pub.variant else len(part_ids)
    done = len(part_ids) >= total
    rows.update(
        status=Status.PUBLISHED if done else Status.SCHEDULED,
        lease_token=None,
        sending_started_at=None,
        part_ids=part_ids,
        external_id=part_ids[0],
        external_url=pub.external_url or found.url,
        published_at=timezone.now() if done else None,
        run_at=timezone.now(),
        error_code="",
        error_message="",
    )
    return "published" if done else "resumed"


def _ask_a_person(rows: QuerySet[Publication], pub: Publication, message: str = "") -> str:
    """The post waits for a person, who is told once (the lease token fences the write)."""
    fields: dict[str, object] = {"lease_token": None, "needs_person": True}
    if message:
        fields["error_message"] = message
    if rows.update(**fields):
        events.publication_unknown(pub.pk)
    return "needs_person"
