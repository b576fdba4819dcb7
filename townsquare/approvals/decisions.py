"""A decision of the current round -- approve or request changes -- by a member of the team
or by the client through a link. Both go through `decide`: the same steps, in the same
order (changes requested by either take the post off the schedule); only the words and
whom they are told to differ."""

from __future__ import annotations

from django.utils.translation import gettext as _

from townsquare.approvals.access import approvers_of_round, settings_of
from townsquare.approvals.comment_actions import add_comment
from townsquare.approvals.models import (
    CHANGES_REQUESTED,
    REQUEST_CHANGES,
    PostReview,
    ReviewDecision,
)
from townsquare.approvals.notices import approver_users, authors, tell
from townsquare.approvals.review_state import (
    Outcome,
    is_complete,
    mark_approved,
    refuse_while_sending,
    set_state,
    unschedule,
)
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm


def decide(
    review: PostReview, decision: str, comment: str = "", *, member: Membership | None
) -> Outcome:
    """Record `decision` (APPROVE or REQUEST_CHANGES) with its comment for the current
    round; `member` None is the client. Changes requested send the post back to its
    authors and take it off the schedule (refused while it is being sent); an approval
    that completes the round approves the post (scheduled at its proposed time); one that
    does not leaves it waiting for the others."""
    post = review.post
    user = None if member is None else member.user
    if decision == REQUEST_CHANGES:
        refuse_while_sending(post)
    ReviewDecision.objects.create(
        review=review,
        round=review.round,
        user=user,
        by_client=member is None,
        decision=decision,
        comment=comment,
    )
    if comment:
        add_comment(review.workspace, post, user, comment, by_client=member is None)
    if decision == REQUEST_CHANGES:
        set_state(review, CHANGES_REQUESTED)
        review.save()
        # A post that is scheduled (approved, or scheduled before approvals were asked for)
        # must not go out while its changes are awaited, whoever asked for them.
        unschedule(post)
        _tell_changes_requested(review, member, comment)
        if member is None:
            return Outcome(review, _("Thank you. Your comment was sent to the team."))
        return Outcome(review, _("Sent back to the author with your comment."))
    if is_complete(review):
        if member is not None:
            return mark_approved(member, review)
        outcome = mark_approved(scheduler_for(review), review)
        outcome.message = _("Thank you. The post is approved.")
        return outcome
    if member is not None:
        return Outcome(review, _waiting_message(review))
    tell(
        post.workspace,
        post,
        "client_approved",
        lambda: (
            _("The client approved: %(post)s") % {"post": str(post)},
            _("It still waits for the team's approval."),
        ),
        to=approver_users(post.workspace, besides=tuple(authors(review))),
    )
    return Outcome(review, _("Thank you. Your approval was recorded."))


def _tell_changes_requested(review: PostReview, member: Membership | None, text: str) -> None:
    post = review.post
    if member is None:
        tell(
            post.workspace,
            post,
            "changes_requested",
            lambda: (
                _("The client asked for changes: %(post)s") % {"post": str(post)},
                _("The client wrote: %(comment)s") % {"comment": text},
            ),
            to=[
                *authors(review),
                *approver_users(post.workspace, besides=tuple(authors(review))),
            ],
        )
        return
    person = member.user
    tell(
        post.workspace,
        post,
        "changes_requested",
        lambda: (
            _("Changes requested for your post: %(post)s") % {"post": str(post)},
            _("%(person)s wrote: %(comment)s") % {"person": person.display_name, "comment": text},
        ),
        to=[u for u in authors(review) if u != person],
    )


def _waiting_message(review: PostReview) -> str:
    rules = settings_of(review.workspace)
    missing = rules.approvers_needed - len(approvers_of_round(review))
    if missing > 0:
        return _("Your approval is recorded; it waits for one more approver.")
    return _("Your approval is recorded; it waits for the client's approval.")


def scheduler_for(review: PostReview) -> Membership | None:
    """Whose right to schedule a post the client approved last is used: an internal
    approver of this round who may schedule, else the person who submitted it."""
    candidates = [*reversed(approvers_of_round(review)), review.submitted_by]
    for user in candidates:
        if user is None:
            continue
        membership = (
            Membership.objects.filter(workspace=review.workspace, user=user)
            .select_related("workspace", "user")
            .first()
        )
        if membership is not None and has_perm(membership.role, Perm.SCHEDULE_POSTS):
            return membership
    return None
