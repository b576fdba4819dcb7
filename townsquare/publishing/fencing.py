"""The writes of a publishing run, fenced by its lease token: a run whose lease was taken
over (or given up) changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise

from townsquare.networks.models import SocialAccount
from townsquare.publishing.claim import lease_seconds
from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.schedule import Status


def fenced(pub_id: int, token: str, *, idle: bool = False, **fields: object) -> bool:
    """Write only while we still hold the lease; False means someone else owns the row.

    `idle=True` also requires that no part is in flight: the exits that send nothing must
    never overwrite a row whose part another run of the same claim is sending right now.
    """
    if "lease_token" in fields and fields["lease_token"] is None:
        fields.setdefault("lease_expires_at", None)  # giving the row up ends the lease too
    rows = Publication.objects.filter(pk=pub_id, lease_token=token, status=Status.PUBLISHING)
    if idle:
        rows = rows.filter(sending_started_at__isnull=True)
    return rows.update(**fields) == 1


def start_sending(pub_id: int, token: str, attempts: int) -> bool:
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
            lease_expires_at=lease_from_now(),
            attempt_count=F("attempt_count") + 1,
        )
        == 1
    )


def lease_from_now() -> datetime:
    return timezone.now() + timedelta(seconds=lease_seconds())


def finish_attempt(
    attempt: Attempt, outcome: str, error: Exception | None = None, message: str = ""
) -> None:
    attempt.outcome = outcome
    attempt.finished_at = timezone.now()
    if error is not None:
        attempt.error_class = type(error).__name__
        message = message or str(getattr(error, "message", "") or error)
    attempt.message = message[:2000]
    attempt.save(update_fields=["outcome", "finished_at", "error_class", "message"])


def in_language(pub: Publication, text: Promise, **params: object) -> str:
    """A message for the people of the workspace: they read it on the post page, in
    notifications and emails, long after the worker that wrote it is gone."""
    with translation.override(pub.workspace.language or settings.LANGUAGE_CODE):
        return (str(text) % params if params else str(text))[:2000]


def needs_reconnect(account: SocialAccount) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(needs_reconnect=True)
