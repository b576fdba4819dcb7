"""The publish task and the reconcile task. Both run on any worker, in either mode.

A publish task holds the row through its lease token: it re-extends the lease when it
starts (a task that waited in a queue must not run on a stale lease), re-reads and
re-checks everything at send time (an edited, cancelled or deleted post never goes out in
an old version), records `sending_started_at` just before each network call, and fences
every write with the token: a worker whose lease was taken over changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from townsquare.networks.base import (
    OutcomeUnknown,
    PublishedResult,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.models import SocialAccount
from townsquare.publishing import events
from townsquare.publishing.claim import lease_seconds
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
    connector_for,
    credentials_of,
    late_policy,
    part_to_publish,
    penalise_account,
    rate_limit_wait,
    validation_errors,
    variant_to_publish,
)

logger = logging.getLogger(__name__)

# Reconciling right after a timeout could ask before the network has finished storing the
# post; waiting a little makes "not found" trustworthy.
RECONCILE_GRACE_SECONDS = 10


def _fenced(pub_id: int, token: str, **fields: object) -> bool:
    """Write only while we still hold the lease; False means someone else owns the row."""
    if "lease_token" in fields and fields["lease_token"] is None:
        fields.setdefault("lease_expires_at", None)  # giving the row up ends the lease too
    return (
        Publication.objects.filter(pk=pub_id, lease_token=token, status=Status.PUBLISHING).update(
            **fields
        )
        == 1
    )


def _start_sending(pub_id: int, token: str, attempts: int) -> bool:
    """Record that a part is about to leave, as a compare-and-set on the attempt count.

    The lease token alone does not tell two runs of the same claim apart (a message that
    was delivered twice): both would hold the token. Only the run that moves the count on
    from what it read may send; the other changes nothing. Nothing may be in flight.
    """
    return (
        Publication.objects.filter(
            pk=pub_id,
            lease_token=token,
            status=Status.PUBLISHING,
            sending_started_at__isnull=True,
            attempt_count=attempts,
        ).update(
            sending_started_at=timezone.now(),
            lease_expires_at=_lease(),
            attempt_count=F("attempt_count") + 1,
        )
        == 1
    )


def _lease() -> object:
    return timezone.now() + timedelta(seconds=lease_seconds())


def _finish_attempt(attempt: Attempt, outcome: str, error: Exception | None = None) -> None:
    attempt.outcome = outcome
    attempt.finished_at = timezone.now()
    if error is not None:
        attempt.error_class = type(error).__name__
        attempt.message = str(getattr(error, "message", "") or error)[:2000]
    attempt.save(update_fields=["outcome", "finished_at", "error_class", "message"])


@task
def publish_publication(pub_id: int, token: str) -> str:
    if not _fenced(pub_id, token, lease_expires_at=_lease()):
        return "stale"
    pub = Publication.objects.select_related(
        "account", "variant", "post", "workspace__publishing_settings"
    ).get(pk=pub_id)
    if pub.sending_started_at is not None:
        # This claim's task ran before and stopped while a part was on its way: a message
        # delivered again after its worker died (Celery with late acks), or a second copy.
        # The part may be on the network, so it is reconciled, never sent again blindly.
        _fenced(
            pub_id,
            token,
            status=Status.UNKNOWN,
            lease_token=None,
            error_code="worker_lost",
            error_message="The worker stopped while the post was being sent.",
        )
        return "unknown"
    if pub.variant is None or pub.variant.post_id != pub.post_id:
        _fenced(
            pub_id, token, status=Status.CANCELLED, lease_token=None, error_code="variant_removed"
        )
        return "cancelled"
    now = timezone.now()
    policy: LatePolicy = late_policy(pub.workspace)
    if pub.due_at and is_held_for_lateness(pub.due_at, now, policy):
        minutes = int((now - pub.due_at).total_seconds() // 60)
        if _fenced(
            pub_id,
            token,
            status=Status.FAILED,
            lease_token=None,
            error_code="held_late",
            error_message=f"Held: it would have gone out {minutes} minutes late.",
        ):
            events.publication_failed(pub_id)
        return "held"
    variant = variant_to_publish(pub)
    errors = validation_errors(pub, variant)
    if errors:
        if _fenced(
            pub_id,
            token,
            status=Status.FAILED,
            lease_token=None,
            error_code="invalid",
            error_message=" ".join(errors)[:2000],
        ):
            events.publication_failed(pub_id)
        return "invalid"
    wait = rate_limit_wait(pub)
    if wait > 0:
        _fenced(
            pub_id,
            token,
            status=Status.SCHEDULED,
            lease_token=None,
            run_at=now + timedelta(seconds=wait),
        )
        return "rate_limited"
    return _send_parts(pub, token, variant)


def _send_parts(pub: Publication, token: str, variant: VariantToPublish) -> str:
    connector = connector_for(pub.account)
    creds = credentials_of(pub.account)
    part_ids: list[str] = list(pub.part_ids)
    url = pub.external_url
    attempts = pub.attempt_count
    last_attempt: Attempt | None = None
    for index in range(len(part_ids), len(variant.parts)):
        # The attempt is on record before the request leaves, in the same transaction as
        # the send start.
        with transaction.atomic():
            if not _start_sending(pub.pk, token, attempts):
                return "stale"
            attempt = Attempt.objects.create(publication=pub, part_index=index, lease_token=token)
        attempts += 1
        one_part = part_to_publish(variant, index, part_ids)
        try:
            with LeaseKeeper(pub.pk, token):
                result: PublishedResult = connector.publish(
                    creds, one_part, part_key(pub.idempotency_key, index)
                )
        except Rejected as error:
            _finish_attempt(attempt, "rejected", error)
            if _fenced(
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
            _finish_attempt(attempt, "retry", error)
            return _retry_later(pub, token, error)
        except Reauth as error:
            _finish_attempt(attempt, "reauth", error)
            pub.account.needs_reconnect = True
            pub.account.save(update_fields=["needs_reconnect"])
            if _fenced(
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
            _finish_attempt(attempt, "unknown", error)
            if not isinstance(error, OutcomeUnknown):
                logger.exception("publishing %s failed unexpectedly", pub.pk)
            # Nobody is told yet: reconciliation usually settles it within seconds. People
            # hear of it when the network cannot tell (see reconcile_publication).
            _fenced(
                pub.pk,
                token,
                status=Status.UNKNOWN,
                lease_token=None,
                error_code="outcome_unknown",
                error_message=str(getattr(error, "message", "") or error)[:2000],
            )
            return "unknown"
        part_ids.append(result.network_post_id)
        url = url or result.url
        if index + 1 == len(variant.parts):
            last_attempt = attempt  # recorded with the publication's outcome, below
            break
        with transaction.atomic():
            _finish_attempt(attempt, "published")
            if not _fenced(
                pub.pk, token, part_ids=part_ids, sending_started_at=None, external_url=url
            ):
                return "stale"
    # One transaction for the last attempt and the outcome: a worker killed in between
    # leaves the part in flight (sending_started_at), which reconciliation settles.
    with transaction.atomic():
        if last_attempt is not None:
            _finish_attempt(last_attempt, "published")
        if not _fenced(
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
    _account_worked(pub.account)
    return "published"


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
        if _fenced(
            pub.pk,
            token,
            status=Status.FAILED,
            lease_token=None,
            sending_started_at=None,
            error_code="gave_up",
            error_message=f"Gave up after {pub.attempt_count} attempts: {error.message}",
        ):
            events.publication_failed(pub.pk)
        return "gave_up"
    if error.after:
        penalise_account(pub, error.after)
    delay = retry_delay(pub.attempt_count, error.after)
    _fenced(
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
    pub = rows.select_related("account").first()
    if pub is None:
        return "stale"
    index = len(pub.part_ids)
    attempt = Attempt.objects.create(
        publication=pub, kind="reconcile", part_index=index, lease_token=token
    )
    connector = connector_for(pub.account)
    if not connector.capabilities.find_published:
        _finish_attempt(attempt, "skipped")
        if rows.update(lease_token=None, needs_person=True):
            events.publication_unknown(pub.pk)
        return "needs_person"
    try:
        found = connector.find_published(
            credentials_of(pub.account),
            part_key(pub.idempotency_key, index),
            expected=_part_in_flight(pub, index),
            sent_after=_sent_after(pub),
        )
    except Exception as error:
        _finish_attempt(attempt, "unknown", error)
        failed = pub.attempts.filter(kind="reconcile", outcome="unknown").count()
        if failed >= LOOKUPS_BEFORE_ASKING_A_PERSON:
            # The network cannot tell (or cannot be asked): a person has to look.
            if rows.update(lease_token=None, needs_person=True):
                events.publication_unknown(pub.pk)
            return "needs_person"
        rows.update(
            lease_token=None,
            lease_expires_at=timezone.now() + timedelta(seconds=LOOKUP_RETRY_SECONDS),
        )
        return "lookup_failed"
    if found is None:
        # The network says it never arrived: sending again is safe -- unless it has been
        # tried as often as any post is (a connector that fails the same way every time
        # would otherwise go round unknown -> not found -> send for ever).
        _finish_attempt(attempt, "not_found")
        if pub.attempt_count >= MAX_ATTEMPTS:
            reason = f"Gave up after {pub.attempt_count} attempts: {pub.error_message}"
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
    _finish_attempt(attempt, "found")
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
