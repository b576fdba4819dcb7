"""Errors before anything was sent: a connector or login that cannot be had, a network that
refuses before the post leaves, a bug or the database while preparing. Never an unknown
outcome -- nothing left. Each is counted as an attempt and ends where a person sees it:
`failed` with a reason, or tried again after a backoff within the usual budget."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townsquare.publishing import events
from townsquare.publishing.fencing import fenced, in_language, needs_reconnect
from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.schedule import MAX_ATTEMPTS, Status, retry_delay
from townsquare.publishing.sending import penalise_account


def fail_unsent(
    pub_id: int,
    token: str,
    pub: Publication,
    error: Exception,
    code: str,
    message: str,
    outcome: str,
    reconnect: bool,
) -> str:
    """The post fails with `message`; the account is marked when its login is the cause."""
    with transaction.atomic():
        if not fenced(
            pub_id,
            token,
            idle=True,
            status=Status.FAILED,
            lease_token=None,
            attempt_count=F("attempt_count") + 1,
            error_code=code,
            error_message=message[:2000],
        ):
            return "stale"
        _record(pub_id, token, pub, error, outcome, message)
    if reconnect:
        needs_reconnect(pub.account)
    events.publication_failed(pub_id)
    return "failed"


def retry_unsent(
    pub_id: int, token: str, pub: Publication, error: Exception, message: str, after: float | None
) -> str:
    """Nothing left: try again after a backoff, as after a network's "later" -- within the
    same budget of attempts, so a failure that repeats ends as `failed`."""
    attempts = pub.attempt_count + 1
    if attempts >= MAX_ATTEMPTS:
        reason = in_language(
            pub, _("Gave up after %(count)s attempts: %(reason)s"), count=attempts, reason=message
        )
        return fail_unsent(pub_id, token, pub, error, "gave_up", reason, "retry", False)
    if after:
        penalise_account(pub, after)
    with transaction.atomic():
        if not fenced(
            pub_id,
            token,
            idle=True,
            status=Status.SCHEDULED,
            lease_token=None,
            attempt_count=F("attempt_count") + 1,
            run_at=timezone.now() + timedelta(seconds=retry_delay(attempts, after)),
            error_code="retrying",
            error_message=message[:2000],
        ):
            return "stale"
        _record(pub_id, token, pub, error, "retry", message)
    return "retry"


def _record(
    pub_id: int, token: str, pub: Publication, error: Exception, outcome: str, message: str
) -> None:
    Attempt.objects.create(
        publication_id=pub_id,
        part_index=len(pub.part_ids),
        lease_token=token,
        outcome=outcome,
        finished_at=timezone.now(),
        error_class=type(error).__name__,
        message=message[:2000],
    )
