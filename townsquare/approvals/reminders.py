"""Reminders: approvers of posts waiting more than a day for them hear of it once a day."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.approvals.access import approvers_of_round
from townsquare.approvals.models import IN_REVIEW, PostReview
from townsquare.approvals.notices import approver_users, tell

REMIND_AFTER = timedelta(hours=24)


def _remind(review: PostReview, people: list[Any], days: int) -> None:
    post = review.post
    tell(
        review.workspace,
        post,
        "approval_reminder",
        lambda: (
            _("Still waiting for your approval: %(post)s") % {"post": str(post)},
            ngettext("Submitted %(days)s day ago.", "Submitted %(days)s days ago.", days)
            % {"days": days},
        ),
        to=people,
    )


def remind_pending(now: datetime | None = None) -> int:
    """Approvers of posts waiting more than a day are reminded, once a day per post. Several
    schedulers may run this: the compare-and-set on last_reminded_at lets one of them tell."""
    now = now or timezone.now()
    cutoff = now - REMIND_AFTER
    due = PostReview.objects.filter(state=IN_REVIEW, submitted_at__lt=cutoff).exclude(
        last_reminded_at__gte=cutoff
    )
    sent = 0
    for review in due.select_related("post", "workspace").order_by("submitted_at")[:200]:
        with transaction.atomic():
            claimed = (
                PostReview.objects.filter(pk=review.pk, state=IN_REVIEW)
                .exclude(last_reminded_at__gte=cutoff)
                .update(last_reminded_at=now)
            )
            if not claimed:
                continue
            already = {u.pk for u in approvers_of_round(review)}
            people = [
                u
                for u in approver_users(
                    review.workspace, besides=(review.post.created_by, review.submitted_by)
                )
                if u.pk not in already
            ]
            _remind(review, people, max((now - (review.submitted_at or now)).days, 1))
            sent += 1
    return sent
