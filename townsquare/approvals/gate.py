"""The one check before anything is scheduled or published: with approvals on, only an
approved post (exactly as it was approved) may go out. Called by publishing's
do_schedule_post, so the composer, the API, the calendar and the queues all pass here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from townsquare.approvals.access import review_of, settings_of
from townsquare.approvals.fingerprint import fingerprint
from townsquare.approvals.models import APPROVED, CHANGES_REQUESTED, IN_REVIEW, ON_HOLD
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError


def approval_missing(post: Post) -> str | None:
    """Why the post may not be scheduled yet, in words (None: it may)."""
    if not settings_of(post.workspace).enabled:
        return None
    review = review_of(post)
    state = review.state if review else ""
    if state == APPROVED and review is not None and review.fingerprint == fingerprint(post):
        return None
    if state == IN_REVIEW:
        return _("This post is waiting for approval; it can be scheduled once it is approved.")
    if state == CHANGES_REQUESTED:
        return _("Changes were requested for this post. Change it and submit it for review again.")
    if state == ON_HOLD:
        return _("This post is on hold. An approver has to release it first.")
    if state == APPROVED:
        return _("This post changed after it was approved; it has to be approved again.")
    return _(
        "Posts in this workspace need approval before they are scheduled or published. "
        "Submit it for review."
    )


def require_approved(post: Post) -> None:
    reason = approval_missing(post)
    if reason is not None:
        raise ActionError(reason, code="approval_required", status=409)
