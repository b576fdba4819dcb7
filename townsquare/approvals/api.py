"""API of approvals: the workspace's rule, a post's review (submit, approve, request
changes, hold, release), its comments, and the client's link.

States: draft, in_review, changes_requested, approved, on_hold; `scheduled` says whether an
approved post's publications are scheduled. Refusals carry codes: approval_required (from
scheduling), approvals_off, not_in_review, own_post, already_approved, on_hold,
comment_required, client_approval_off, not_enough_approvers, time_in_past.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from townsquare.approvals import (
    client_link_actions,
    comment_actions,
    review_actions,
    review_state,
    settings_actions,
)
from townsquare.approvals.access import (
    access_comments,
    access_settings,
    review_of,
    review_queue,
    round_decisions,
    settings_of,
)
from townsquare.approvals.models import (
    APPROVE,
    MAX_COMMENT_CHARS,
    MAX_LINK_DAYS,
    ApprovalSettings,
    Comment,
    PostReview,
    ReviewDecision,
)
from townsquare.content.access import access_post
from townsquare.content.models import Post
from townsquare.lib.bounds import Id
from townsquare.publishing.api import clean_zone, parse_wall_time
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status as PubStatus

router = Router(tags=["approvals"])


class ApprovalSettingsIn(Schema):
    mode: str = Field(max_length=8, description="none, one or two (approvers)")
    client_approval: bool = Field(False, description="The client approves too, through a link")
    link_days: int = Field(7, ge=1, le=MAX_LINK_DAYS, description="How long a client link lives")


class ApprovalSettingsOut(Schema):
    mode: str
    approvers_needed: int
    client_approval: bool
    link_days: int


class ReviewSubmitIn(Schema):
    at: str | None = Field(
        None,
        max_length=40,
        description="The proposed wall-clock time in time_zone, e.g. 2026-12-01T09:30; "
        "leave out to let the approver choose",
    )
    time_zone: str | None = Field(None, max_length=64, description="IANA zone; the workspace's")


class PostCommentIn(Schema):
    body: str = Field(min_length=1, max_length=MAX_COMMENT_CHARS)


class ReviewChangesIn(Schema):
    comment: str = Field(min_length=1, max_length=MAX_COMMENT_CHARS)


class ReviewDecisionOut(Schema):
    by: str = Field(description="The member's e-mail address, or 'client'")
    decision: str = Field(description="approve or changes")
    comment: str
    created_at: datetime


class PostReviewOut(Schema):
    post_id: int
    state: str = Field(description="draft, in_review, changes_requested, approved, on_hold")
    scheduled: bool = Field(description="An approved post whose publications are scheduled")
    round: int
    proposed_local: str = Field(description="Proposed wall time in proposed_zone, or empty")
    proposed_zone: str
    proposed_due_at: datetime | None = Field(description="UTC")
    submitted_by: str | None
    submitted_at: datetime | None
    approvals: int = Field(description="Approvals by members in this round")
    approvals_needed: int
    client_approved: bool
    decisions: list[ReviewDecisionOut] = Field(description="This round's decisions, in time order")


class ReviewActionOut(PostReviewOut):
    message: str = Field(description="What happened, in words")


class PostCommentOut(Schema):
    id: int
    author: str | None = Field(description="The member's e-mail address; null for the client")
    by_client: bool
    body: str
    mentioned: list[str]
    created_at: datetime


class ClientLinkOut(Schema):
    url: str = Field(description="Shown once: only its hash is kept")
    expires_at: datetime


class ClientLinkRevokedOut(Schema):
    revoked: int


class ReviewQueueItemOut(Schema):
    post_id: int
    text: str
    state: str
    waiting_for_me: bool
    proposed_local: str
    proposed_zone: str
    submitted_at: datetime | None


def _review_out(post: Post, review: PostReview | None) -> PostReviewOut:
    rules = settings_of(post.workspace)
    if review is None:
        review = PostReview(post=post, workspace=post.workspace)
        decisions: list[ReviewDecision] = []
    else:
        decisions = round_decisions(review)
    scheduled = Publication.objects.filter(post=post, status=PubStatus.SCHEDULED).exists()
    return PostReviewOut(
        post_id=post.pk,
        state=review.state,
        scheduled=scheduled,
        round=review.round,
        proposed_local=review.proposed_local,
        proposed_zone=review.proposed_zone,
        proposed_due_at=review.proposed_due_at,
        submitted_by=review.submitted_by.email if review.submitted_by else None,
        submitted_at=review.submitted_at,
        approvals=sum(1 for d in decisions if d.decision == APPROVE and not d.by_client),
        approvals_needed=rules.approvers_needed,
        client_approved=any(d.by_client and d.decision == APPROVE for d in decisions),
        decisions=[
            ReviewDecisionOut(
                by="client" if d.by_client else (d.user.email if d.user else ""),
                decision=d.decision,
                comment=d.comment,
                created_at=d.created_at,
            )
            for d in decisions
        ],
    )


def _action_out(post: Post, outcome: review_state.Outcome) -> ReviewActionOut:
    return ReviewActionOut(
        **_review_out(post, review_of(post)).model_dump(), message=outcome.message
    )


def _settings_out(rules: ApprovalSettings) -> ApprovalSettingsOut:
    return ApprovalSettingsOut(
        mode=rules.mode,
        approvers_needed=rules.approvers_needed,
        client_approval=rules.client_approval,
        link_days=rules.link_days,
    )


@router.get("/workspaces/{workspace}/approvals/settings", response=ApprovalSettingsOut)
def get_settings(request: HttpRequest, workspace: str) -> ApprovalSettingsOut:
    return _settings_out(access_settings(request.membership))


@router.put("/workspaces/{workspace}/approvals/settings", response=ApprovalSettingsOut)
def put_settings(
    request: HttpRequest, workspace: str, body: ApprovalSettingsIn
) -> ApprovalSettingsOut:
    """Owners and managers. Two approvers need two members who may approve."""
    rules = settings_actions.do_update_settings(
        request.membership,
        mode=body.mode,
        client_approval=body.client_approval,
        link_days=body.link_days,
    )
    return _settings_out(rules)


@router.get("/workspaces/{workspace}/approvals", response=list[ReviewQueueItemOut])
def list_reviews(request: HttpRequest, workspace: str) -> list[ReviewQueueItemOut]:
    """Posts in the approval flow: waiting for me first, then for others, changes
    requested, on hold, and approved posts not scheduled yet."""
    queue = review_queue(request.membership)
    items = []
    for rows, mine in (
        (queue.for_me, True),
        (queue.for_others, False),
        (queue.changes_requested, False),
        (queue.on_hold, False),
        (queue.approved, False),
    ):
        items += [
            ReviewQueueItemOut(
                post_id=row.post.pk,
                text=str(row.post),
                state=row.review.state,
                waiting_for_me=mine,
                proposed_local=row.review.proposed_local,
                proposed_zone=row.review.proposed_zone,
                submitted_at=row.review.submitted_at,
            )
            for row in rows
        ]
    return items


@router.get("/workspaces/{workspace}/posts/{post_id}/review", response=PostReviewOut)
def get_review(request: HttpRequest, workspace: str, post_id: Id) -> PostReviewOut:
    post = access_post(request.membership, post_id)
    return _review_out(post, review_of(post))


@router.post("/workspaces/{workspace}/posts/{post_id}/review/submit", response=ReviewActionOut)
def submit(
    request: HttpRequest, workspace: str, post_id: Id, body: ReviewSubmitIn | None = None
) -> ReviewActionOut:
    """Submit for review with a proposed time (wall time in time_zone), or none."""
    body = body or ReviewSubmitIn()
    membership = request.membership
    post = access_post(membership, post_id)
    zone = clean_zone(body.time_zone or membership.workspace.time_zone)
    wall = parse_wall_time(body.at, zone) if body.at is not None else None
    return _action_out(post, review_actions.do_submit_for_review(membership, post, wall, zone))


@router.post("/workspaces/{workspace}/posts/{post_id}/review/approve", response=ReviewActionOut)
def approve(request: HttpRequest, workspace: str, post_id: Id) -> ReviewActionOut:
    """The last approval needed schedules the post at its proposed time (when the approver
    may schedule and the time is ahead; the message says what happened)."""
    post = access_post(request.membership, post_id)
    return _action_out(post, review_actions.do_approve(request.membership, post))


@router.post(
    "/workspaces/{workspace}/posts/{post_id}/review/request-changes", response=ReviewActionOut
)
def request_changes(
    request: HttpRequest, workspace: str, post_id: Id, body: ReviewChangesIn
) -> ReviewActionOut:
    post = access_post(request.membership, post_id)
    return _action_out(
        post, review_actions.do_request_changes(request.membership, post, body.comment)
    )


@router.post("/workspaces/{workspace}/posts/{post_id}/review/hold", response=ReviewActionOut)
def hold(request: HttpRequest, workspace: str, post_id: Id) -> ReviewActionOut:
    post = access_post(request.membership, post_id)
    return _action_out(post, review_actions.do_hold(request.membership, post))


@router.post("/workspaces/{workspace}/posts/{post_id}/review/release", response=ReviewActionOut)
def release(request: HttpRequest, workspace: str, post_id: Id) -> ReviewActionOut:
    post = access_post(request.membership, post_id)
    return _action_out(post, review_actions.do_release(request.membership, post))


def _comment_out(comment: Comment) -> PostCommentOut:
    return PostCommentOut(
        id=comment.pk,
        author=comment.author.email if comment.author else None,
        by_client=comment.by_client,
        body=comment.body,
        mentioned=sorted(u.email for u in comment.mentioned.all()),
        created_at=comment.created_at,
    )


@router.get("/workspaces/{workspace}/posts/{post_id}/comments", response=list[PostCommentOut])
def list_comments(request: HttpRequest, workspace: str, post_id: Id) -> list[PostCommentOut]:
    """In time order."""
    post = access_post(request.membership, post_id)
    return [_comment_out(c) for c in access_comments(request.membership, post)]


@router.post("/workspaces/{workspace}/posts/{post_id}/comments", response={201: PostCommentOut})
def add_comment(request: HttpRequest, workspace: str, post_id: Id, body: PostCommentIn) -> Status:
    """Mention members as @name (their name or the part of their address before the @),
    @name@example.com or @[Their Name]: they are notified in the app and by e-mail."""
    post = access_post(request.membership, post_id)
    return Status(
        201, _comment_out(comment_actions.do_add_comment(request.membership, post, body.body))
    )


@router.post("/workspaces/{workspace}/posts/{post_id}/client-link", response={201: ClientLinkOut})
def create_client_link(request: HttpRequest, workspace: str, post_id: Id) -> Status:
    """A link for the client (no account needed); earlier open links of the post stop
    working. The address is returned once."""
    post = access_post(request.membership, post_id)
    link, token = client_link_actions.do_create_client_link(request.membership, post)
    return Status(
        201,
        ClientLinkOut(url=client_link_actions.client_link_url(token), expires_at=link.expires_at),
    )


@router.delete("/workspaces/{workspace}/posts/{post_id}/client-link", response=ClientLinkRevokedOut)
def revoke_client_link(request: HttpRequest, workspace: str, post_id: Id) -> ClientLinkRevokedOut:
    post = access_post(request.membership, post_id)
    return ClientLinkRevokedOut(
        revoked=client_link_actions.do_revoke_client_links(request.membership, post)
    )
