"""Audited writes of the review flow.

draft -> in_review -> approved (-> scheduled, when its publications are), with
changes_requested (back to the author, with a comment) and on_hold beside them. Every
submission after a change starts a new round; only the decisions of the current round
count, so an approval is always of the content as it is now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.approvals.access import approvers_of_round, review_of, settings_of
from townsquare.approvals.comment_actions import clean_comment
from townsquare.approvals.decisions import decide
from townsquare.approvals.fingerprint import fingerprint
from townsquare.approvals.models import (
    APPROVE,
    APPROVED,
    CHANGES_REQUESTED,
    DRAFT,
    IN_REVIEW,
    ON_HOLD,
    REQUEST_CHANGES,
    PostReview,
)
from townsquare.approvals.notices import approver_users, tell
from townsquare.approvals.review_state import (
    PAST_GRACE,
    Outcome,
    audit,
    locked_review,
    mark_approved,
    refuse_while_sending,
    require_enabled,
    require_in_review,
    set_state,
    snapshot,
    sync_proposed_publications,
    unschedule,
)
from townsquare.content.models import Post
from townsquare.content.service import validate_saved_variant
from townsquare.lib.errors import ActionError
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, local_to_utc
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm


def _check_variants(post: Post) -> None:
    variants = list(post.variants.select_related("account").filter(account__removed_at=None))
    if not variants:
        raise ActionError(_("Choose at least one account first."), code="accounts_required")
    german = (translation.get_language() or "").startswith("de")
    broken = []
    for variant in variants:
        errors = [p for p in validate_saved_variant(variant) if p.severity == "error"]
        if errors:
            first = errors[0].message_de if german else errors[0].message_en
            broken.append(f"{variant.account.get_network_display()} ({first})")
    if broken:
        raise ActionError(
            _("Fix the problems first: %(networks)s.") % {"networks": "; ".join(broken)},
            code="variants_invalid",
        )


def _may_change_post(membership: Membership, post: Post) -> None:
    require(membership, Perm.WRITE_DRAFTS)
    if post.created_by_id != membership.user_id and not has_perm(
        membership.role, Perm.EDIT_ANY_POST
    ):
        raise ActionError(
            _("Only editors and above may submit someone else's post."),
            code="forbidden",
            status=403,
        )


def _start_round(review: PostReview, current: str) -> None:
    """A new round for the content as it is now: earlier decisions no longer count."""
    review.round += 1
    review.fingerprint = current
    review.last_reminded_at = None
    set_state(review, IN_REVIEW)


def _save_in_review(
    membership: Membership,
    post: Post,
    review: PostReview,
    *,
    action: str,
    before: dict[str, Any],
    tell_approvers: Callable[[], tuple[str, str]] | None,
) -> None:
    """Save a review that is (still) in review: the post's schedule is suspended, its draft
    publications carry the proposed time, the change is audited, and with
    `tell_approvers` (the words) its approvers -- not who caused it, nor its author -- hear."""
    review.save()
    unschedule(post)
    sync_proposed_publications(review)
    audit(membership.user, action, post, before=before, after=snapshot(review))
    if tell_approvers is not None:
        tell(
            post.workspace,
            post,
            "approval_requested",
            tell_approvers,
            to=approver_users(post.workspace, besides=(membership.user, post.created_by)),
        )


@transaction.atomic
def do_submit_for_review(
    membership: Membership,
    post: Post,
    wall_time: datetime | None,
    time_zone: str | None = None,
) -> Outcome:
    """Ask for approval, proposing a wall time in a zone (the workspace's by default), or
    none (the approver chooses). Submitting again while in review moves the proposed time."""
    _may_change_post(membership, post)
    require_enabled(membership.workspace)
    review = locked_review(post)
    if review.state == APPROVED and review.fingerprint == fingerprint(post):
        raise ActionError(
            _("This post is already approved; schedule it."), code="already_approved", status=409
        )
    if review.state == ON_HOLD:
        raise ActionError(
            _("This post is on hold. An approver has to release it first."),
            code="on_hold",
            status=409,
        )
    refuse_while_sending(post)
    _check_variants(post)
    zone = time_zone or membership.workspace.time_zone
    if wall_time is not None:
        wall_time = wall_time.replace(second=0, microsecond=0, tzinfo=None)
        local = local_to_utc(wall_time, zone)
        if local.utc < timezone.now() - PAST_GRACE:
            raise ActionError(
                _("%(time)s in %(zone)s has already passed. Propose a later time.")
                % {"time": wall_time.strftime("%Y-%m-%d %H:%M"), "zone": zone},
                code="time_in_past",
                status=422,
            )
        review.proposed_local = local.wall.isoformat(timespec="minutes")
        review.proposed_zone = zone
        review.proposed_due_at = local.utc
    else:
        review.proposed_local = ""
        review.proposed_zone = ""
        review.proposed_due_at = None
    before = snapshot(review)
    current = fingerprint(post)
    new_round = review.state != IN_REVIEW or review.fingerprint != current
    if new_round:
        _start_round(review, current)
    review.submitted_by = membership.user
    review.submitted_at = timezone.now()
    _save_in_review(
        membership,
        post,
        review,
        action="post.submit_review",
        before=before,
        tell_approvers=(
            lambda: (
                _("A post waits for your approval: %(post)s") % {"post": str(post)},
                _("%(person)s submitted it for review.") % {"person": membership.user.display_name},
            )
        )
        if new_round
        else None,
    )
    return Outcome(review, _("Submitted for review."))


@transaction.atomic
def do_approve(membership: Membership, post: Post) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    require_enabled(membership.workspace)
    review = locked_review(post)
    require_in_review(review)
    if membership.user_id in (post.created_by_id, review.submitted_by_id):
        raise ActionError(
            _("You cannot approve a post you wrote or submitted; another approver has to."),
            code="own_post",
            status=403,
        )
    if membership.user in approvers_of_round(review):
        raise ActionError(
            _("You have already approved this version; a second approver has to."),
            code="already_approved",
            status=409,
        )
    if review.fingerprint != fingerprint(post):
        raise ActionError(
            _("The post changed since it was submitted; submit it for review again."),
            code="changed",
            status=409,
        )
    before = snapshot(review)
    outcome = decide(review, APPROVE, member=membership)
    audit(
        membership.user,
        "post.approve",
        post,
        before=before,
        after={**snapshot(review), "scheduled": outcome.scheduled},
    )
    return outcome


@transaction.atomic
def do_request_changes(membership: Membership, post: Post, comment: str) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    require_enabled(membership.workspace)
    text = clean_comment(comment, required=True)
    review = locked_review(post)
    if review.state not in (IN_REVIEW, APPROVED):
        raise ActionError(
            _("Changes can be requested for posts in review or approved (this one is: %(state)s).")
            % {"state": review.get_state_display()},
            code="not_in_review",
            status=409,
        )
    before = snapshot(review)
    outcome = decide(review, REQUEST_CHANGES, text, member=membership)
    audit(
        membership.user,
        "post.request_changes",
        post,
        before=before,
        after={**snapshot(review), "comment": text},
    )
    return outcome


@transaction.atomic
def do_hold(membership: Membership, post: Post) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    require_enabled(membership.workspace)
    review = locked_review(post)
    if review.state == ON_HOLD:
        raise ActionError(_("This post is already on hold."), code="on_hold", status=409)
    refuse_while_sending(post)
    if (
        review.state == DRAFT
        and Publication.objects.filter(
            post=post, status__in=[Status.PUBLISHED, Status.BY_HAND]
        ).exists()
    ):
        raise ActionError(
            _("This post has already gone out; there is nothing to hold."),
            code="published",
            status=409,
        )
    before = snapshot(review)
    review.held_from = review.state
    set_state(review, ON_HOLD)
    review.save()
    unscheduled = unschedule(post)
    audit(
        membership.user,
        "post.hold",
        post,
        before=before,
        after={**snapshot(review), "unscheduled": unscheduled},
    )
    message = _("On hold: it will not be scheduled until it is released.")
    if unscheduled:
        message = _("On hold: its schedule is suspended until it is released.")
    return Outcome(review, message)


@transaction.atomic
def do_release(membership: Membership, post: Post) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    require_enabled(membership.workspace)
    review = locked_review(post)
    if review.state != ON_HOLD:
        raise ActionError(_("This post is not on hold."), code="not_on_hold", status=409)
    before = snapshot(review)
    back = review.held_from or DRAFT
    review.held_from = ""
    if back == APPROVED and review.fingerprint == fingerprint(post):
        outcome = mark_approved(membership, review)
    else:
        if back == APPROVED:
            back = IN_REVIEW
            review.round += 1
            review.fingerprint = fingerprint(post)
        set_state(review, back)
        review.save()
        outcome = Outcome(review, _("Released: %(state)s.") % {"state": review.get_state_display()})
    audit(membership.user, "post.release", post, before=before, after=snapshot(review))
    return outcome


def after_content_saved(membership: Membership, post: Post) -> None:
    """Called by content's writes after a post's text, variants or media were saved: a
    post that was approved or in review goes (back) to review when its content changed."""
    if not settings_of(post.workspace).enabled:
        return
    review = PostReview.objects.select_for_update().filter(post=post).first()
    if review is None or review.state not in (IN_REVIEW, APPROVED):
        if review is not None and review.state in (CHANGES_REQUESTED, ON_HOLD):
            sync_proposed_publications(review)
        return
    current = fingerprint(post)
    if current == review.fingerprint:
        sync_proposed_publications(review)
        return
    before = snapshot(review)
    was_approved = review.state == APPROVED
    _start_round(review, current)
    _save_in_review(
        membership,
        post,
        review,
        action="post.back_to_review",
        before=before,
        tell_approvers=(
            lambda: (
                _("A post changed after approval and waits for approval again: %(post)s")
                % {"post": str(post)},
                _("%(person)s changed it.") % {"person": membership.user.display_name},
            )
        )
        if was_approved
        else None,
    )


def inherit_approval(source: Post, copy: Post) -> bool:
    """A copy of an approved post (a recurrence's occurrence, an evergreen repost) made by
    Townsquare itself counts as approved when it says exactly what was approved. Returns
    whether it does; a copy of a post not approved (or changed since) is left to review."""
    if not settings_of(source.workspace).enabled or source.workspace_id != copy.workspace_id:
        return False
    review = review_of(source)
    if review is None or review.state != APPROVED or review.fingerprint != fingerprint(source):
        return False
    source_text = Post.objects.filter(pk=source.pk).values_list("master_text", flat=True).get()
    if Post.objects.filter(pk=copy.pk).values_list("master_text", flat=True).get() != source_text:
        return False
    copied, _created = PostReview.objects.get_or_create(
        post=copy, defaults={"workspace": copy.workspace}
    )
    copied.state = APPROVED
    copied.round = max(copied.round, 1)
    copied.fingerprint = fingerprint(copy)
    copied.state_changed_at = timezone.now()
    copied.save()
    audit(None, "post.approval_inherited", copy, after={"from_post": source.pk})
    return True
