"""Tenant reads of approvals: settings, reviews, comments, the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from townsquare.approvals.models import (
    APPROVE,
    APPROVED,
    CHANGES_REQUESTED,
    IN_REVIEW,
    ON_HOLD,
    ApprovalSettings,
    Comment,
    PostReview,
    ReviewDecision,
)
from townsquare.content.models import Post
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Perm, has_perm


def settings_of(workspace: Workspace) -> ApprovalSettings:
    """The workspace's rule; an unsaved default (no approval) when none was ever set."""
    found = ApprovalSettings.objects.filter(workspace=workspace).first()
    return found or ApprovalSettings(workspace=workspace)


def access_settings(membership: Membership) -> ApprovalSettings:
    return settings_of(membership.workspace)


def review_of(post: Post) -> PostReview | None:
    return PostReview.objects.filter(post=post).first()


def access_review(membership: Membership, post: Post) -> PostReview | None:
    """The review of a post of the membership's workspace (post looked up by the caller)."""
    if post.workspace_id != membership.workspace_id:
        return None
    return review_of(post)


def access_comments(membership: Membership, post: Post) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(workspace=membership.workspace, post=post)
        .select_related("author")
        .prefetch_related("mentioned")
        .order_by("created_at", "id")
    )


def round_decisions(review: PostReview) -> list[ReviewDecision]:
    return list(review.decisions.filter(round=review.round).select_related("user"))


def approvers_of_round(review: PostReview) -> list[Any]:
    return [
        d.user
        for d in round_decisions(review)
        if d.decision == APPROVE and not d.by_client and d.user
    ]


def client_approved(review: PostReview) -> bool:
    return any(d.by_client and d.decision == APPROVE for d in round_decisions(review))


@dataclass
class QueueRow:
    review: PostReview
    post: Post
    approvals: int
    needed: int
    approved_by_me: bool


@dataclass
class Queue:
    for_me: list[QueueRow]
    for_others: list[QueueRow]
    changes_requested: list[QueueRow]
    on_hold: list[QueueRow]
    approved: list[QueueRow]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "for_me": len(self.for_me),
            "for_others": len(self.for_others),
            "changes_requested": len(self.changes_requested),
            "on_hold": len(self.on_hold),
            "approved": len(self.approved),
        }


def _reviews(workspace: Workspace) -> QuerySet[PostReview]:
    return (
        PostReview.objects.filter(workspace=workspace)
        .exclude(state="draft")
        .select_related("post", "post__created_by", "submitted_by")
        .prefetch_related("decisions")
        .order_by("submitted_at", "id")
    )


def waiting_for(membership: Membership, review: PostReview) -> bool:
    """Whether this member's approval is what the post waits for."""
    if review.state != IN_REVIEW or not has_perm(membership.role, Perm.APPROVE_POSTS):
        return False
    if membership.user_id in (review.post.created_by_id, review.submitted_by_id):
        return False
    return not any(
        d.round == review.round and d.decision == APPROVE and d.user_id == membership.user_id
        for d in review.decisions.all()
    )


def _planned_post_ids(workspace: Workspace) -> set[int]:
    """Posts with a publication on its way or out: an approved one of these needs nobody."""
    from townsquare.publishing.models import Publication

    return set(
        Publication.objects.filter(workspace=workspace, post__review__state=APPROVED)
        .exclude(status__in=["draft", "cancelled"])
        .values_list("post_id", flat=True)
    )


def review_queue(membership: Membership, *, approved_limit: int = 50) -> Queue:
    """`approved` holds approved posts that are not scheduled yet (someone has to)."""
    rules = settings_of(membership.workspace)
    queue = Queue([], [], [], [], [])
    planned = _planned_post_ids(membership.workspace) if approved_limit else set()
    for review in _reviews(membership.workspace):
        decisions = [d for d in review.decisions.all() if d.round == review.round]
        row = QueueRow(
            review=review,
            post=review.post,
            approvals=sum(1 for d in decisions if d.decision == APPROVE and not d.by_client),
            needed=rules.approvers_needed,
            approved_by_me=any(
                d.decision == APPROVE and d.user_id == membership.user_id for d in decisions
            ),
        )
        if review.state == IN_REVIEW:
            (queue.for_me if waiting_for(membership, review) else queue.for_others).append(row)
        elif review.state == CHANGES_REQUESTED:
            queue.changes_requested.append(row)
        elif review.state == ON_HOLD:
            queue.on_hold.append(row)
        elif (
            review.state == APPROVED
            and review.post_id not in planned
            and len(queue.approved) < approved_limit
        ):
            queue.approved.append(row)
    return queue


def badge_counts(membership: Membership) -> dict[str, int]:
    """For the dashboard: what waits for this member, and their posts sent back to them."""
    if not settings_of(membership.workspace).enabled:
        return {}
    queue = review_queue(membership, approved_limit=0)
    mine = sum(
        1
        for row in queue.changes_requested
        if membership.user_id in (row.post.created_by_id, row.review.submitted_by_id)
    )
    return {
        "for_me": len(queue.for_me),
        "changes_requested_mine": mine,
        "in_review": len(queue.for_me) + len(queue.for_others),
    }


@dataclass(frozen=True)
class Pending:
    state: str
    proposed_local: str
    proposed_zone: str


def pending_by_post(workspace: Workspace, post_ids: list[int]) -> dict[int, Pending]:
    """The review state and proposed time of the given posts that are in the approval flow
    (one query): for the calendar."""
    rows = PostReview.objects.filter(workspace=workspace, post_id__in=post_ids).exclude(
        state="draft"
    )
    return {
        r.post_id: Pending(r.state, r.proposed_local, r.proposed_zone)
        for r in rows.only("post_id", "state", "proposed_local", "proposed_zone")
    }
