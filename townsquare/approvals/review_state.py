"""The steps every write of the approval flow shares: the review locked for the change, its
state and snapshot for the audit log, the publications that follow it (unscheduled, or
drafts carrying the proposed time), and approving a post once a round has every approval
it needs (scheduling it at its proposed time when whoever completed it may schedule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.approvals.access import approvers_of_round, client_approved, settings_of
from townsquare.approvals.models import APPROVED, IN_REVIEW, ApprovalSettings, PostReview
from townsquare.approvals.notices import authors, tell
from townsquare.audit.record import record
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Perm, has_perm

PAST_GRACE = timedelta(minutes=1)
# Publications that a post in the approval flow may hold; anything else is on its way out.
UNSCHEDULABLE_WHILE = (Status.PUBLISHING, Status.UNKNOWN)


@dataclass
class Outcome:
    review: PostReview
    message: str
    scheduled: bool = False


def locked_review(post: Post) -> PostReview:
    review, _created = PostReview.objects.get_or_create(
        post=post, defaults={"workspace": post.workspace}
    )
    return (
        PostReview.objects.select_for_update().select_related("post", "workspace").get(pk=review.pk)
    )


def require_enabled(workspace: Workspace) -> ApprovalSettings:
    rules = settings_of(workspace)
    if not rules.enabled:
        raise ActionError(
            _("Approvals are turned off in this workspace: schedule the post directly."),
            code="approvals_off",
        )
    return rules


def require_in_review(review: PostReview) -> None:
    if review.state != IN_REVIEW:
        raise ActionError(
            _("This post is not waiting for approval (it is: %(state)s).")
            % {"state": review.get_state_display()},
            code="not_in_review",
            status=409,
        )


def set_state(review: PostReview, state: str) -> None:
    review.state = state
    review.state_changed_at = timezone.now()


def snapshot(review: PostReview) -> dict[str, Any]:
    return {
        "state": review.state,
        "round": review.round,
        "proposed": review.proposed_local,
        "time_zone": review.proposed_zone,
    }


def audit(
    actor: Any,
    action: str,
    post: Post,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """The audit event of a write to a post's review (actor None: the client or the system)."""
    record(
        actor=actor,
        action=action,
        target=post,
        workspace=post.workspace,
        before=before,
        after=after,
    )


def unschedule(post: Post) -> int:
    """Scheduled publications go back to drafts (keeping their time, shown as proposed)."""
    return Publication.objects.filter(post=post, status=Status.SCHEDULED).update(
        status=Status.DRAFT, run_at=None
    )


def refuse_while_sending(post: Post) -> None:
    if Publication.objects.filter(post=post, status__in=UNSCHEDULABLE_WHILE).exists():
        raise ActionError(
            _("This post is being sent or its outcome is not yet known; try again later."),
            code="publishing",
            status=409,
        )


def sync_proposed_publications(review: PostReview) -> None:
    """One draft publication per variant carrying the proposed time, so the calendar shows
    the post where it is meant to go out. Only drafts are touched."""
    post = review.post
    for variant in post.variants.select_related("account").filter(account__removed_at=None):
        pub, _created = Publication.objects.get_or_create(
            variant=variant,
            defaults={
                "workspace": post.workspace,
                "post": post,
                "account": variant.account,
                "status": Status.DRAFT,
            },
        )
        if pub.status != Status.DRAFT:
            continue
        pub.due_at = review.proposed_due_at
        pub.time_zone = review.proposed_zone or post.workspace.time_zone
        pub.local_due = review.proposed_local
        pub.run_at = None
        pub.save(update_fields=["due_at", "time_zone", "local_due", "run_at", "updated_at"])
    Publication.objects.filter(post=post, status=Status.DRAFT, variant=None).delete()


def is_complete(review: PostReview) -> bool:
    """Whether the current round has every approval the workspace asks for."""
    rules = settings_of(review.workspace)
    if len(approvers_of_round(review)) < rules.approvers_needed:
        return False
    return not rules.client_approval or client_approved(review)


def _schedule_approved(membership: Membership | None, review: PostReview) -> tuple[str, bool]:
    """Schedule an approved post at its proposed time when the approver may schedule."""
    from townsquare.publishing.actions import do_schedule_post  # publishing calls our gate

    post = review.post
    if not review.proposed_due_at:
        return _("Approved. No time was proposed: schedule it."), False
    if membership is None or not has_perm(membership.role, Perm.SCHEDULE_POSTS):
        return _("Approved. Someone who may schedule posts can now schedule it."), False
    if review.proposed_due_at < timezone.now() - PAST_GRACE:
        return (
            _(
                "Approved, but the proposed time (%(time)s, %(zone)s) has already passed: "
                "choose a new time and schedule it."
            )
            % {"time": review.proposed_local.replace("T", " "), "zone": review.proposed_zone},
            False,
        )
    wall = datetime.fromisoformat(review.proposed_local)
    try:
        with transaction.atomic():
            do_schedule_post(membership, post, wall, review.proposed_zone)
    except ActionError as error:
        return (
            _("Approved, but it could not be scheduled: %(reason)s") % {"reason": error.message},
            False,
        )
    return (
        _("Approved and scheduled for %(time)s (%(zone)s).")
        % {"time": review.proposed_local.replace("T", " "), "zone": review.proposed_zone},
        True,
    )


def mark_approved(membership: Membership | None, review: PostReview) -> Outcome:
    """The post is approved: scheduled at its proposed time with the rights of
    `membership` (when it may schedule), and its authors are told."""
    set_state(review, APPROVED)
    review.save()
    message, scheduled = _schedule_approved(membership, review)
    post = review.post
    tell(
        post.workspace,
        post,
        "post_approved",
        lambda: (_("Your post was approved: %(post)s") % {"post": str(post)}, message),
        to=authors(review),
    )
    return Outcome(review, message, scheduled)
