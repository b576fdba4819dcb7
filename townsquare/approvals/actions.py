"""Audited writes of the approval flow.

draft -> in_review -> approved (-> scheduled, when its publications are), with
changes_requested (back to the author, with a comment) and on_hold beside them. Every
submission after a change starts a new round; only the decisions of the current round
count, so an approval is always of the content as it is now.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.approvals.access import (
    approvers_of_round,
    client_approved,
    review_of,
    settings_of,
)
from townsquare.approvals.fingerprint import fingerprint
from townsquare.approvals.mentions import Person, mentioned
from townsquare.approvals.models import (
    APPROVE,
    APPROVED,
    CHANGES_REQUESTED,
    DRAFT,
    IN_REVIEW,
    MAX_COMMENT_CHARS,
    MAX_LINK_DAYS,
    MODE_CHOICES,
    MODE_NONE,
    ON_HOLD,
    REQUEST_CHANGES,
    ApprovalSettings,
    ClientLink,
    Comment,
    PostReview,
    ReviewDecision,
)
from townsquare.audit.record import record
from townsquare.content.models import Post
from townsquare.content.service import validate_saved_variant
from townsquare.lib.errors import ActionError
from townsquare.notifications.notify import notify
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, local_to_utc
from townsquare.workspaces.access import require
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


# --- helpers ------------------------------------------------------------------------------------


def _post_url(post: Post) -> str:
    return reverse("content_post", kwargs={"workspace": post.workspace.slug, "post_id": post.pk})


def _tell(
    workspace: Workspace,
    post: Post,
    kind: str,
    words: Callable[[], tuple[str, str]],
    *,
    to: list[Any],
) -> None:
    """Notify the given members (in the app and by e-mail) in the workspace's language."""
    people = [u for u in to if u is not None]
    if not people:
        return
    with translation.override(workspace.language or django_settings.LANGUAGE_CODE):
        title, body = words()
        notify(
            workspace,
            kind=kind,
            title=title,
            body=body,
            url=_post_url(post),
            to=people,
            payload={"post_id": post.pk},
        )


def approver_users(workspace: Workspace, *, besides: tuple[Any, ...] = ()) -> list[Any]:
    excluded = {u for u in besides if u is not None}
    return [
        m.user
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
        if has_perm(m.role, Perm.APPROVE_POSTS) and m.user_id not in excluded
    ]


def _authors(review: PostReview) -> list[Any]:
    people = [review.post.created_by, review.submitted_by]
    return [u for i, u in enumerate(people) if u is not None and u not in people[:i]]


def _locked_review(post: Post) -> PostReview:
    review, _created = PostReview.objects.get_or_create(
        post=post, defaults={"workspace": post.workspace}
    )
    return (
        PostReview.objects.select_for_update().select_related("post", "workspace").get(pk=review.pk)
    )


def _require_enabled(workspace: Workspace) -> ApprovalSettings:
    rules = settings_of(workspace)
    if not rules.enabled:
        raise ActionError(
            _("Approvals are turned off in this workspace: schedule the post directly."),
            code="approvals_off",
        )
    return rules


def _set_state(review: PostReview, state: str) -> None:
    review.state = state
    review.state_changed_at = timezone.now()


def _unschedule(post: Post) -> int:
    """Scheduled publications go back to drafts (keeping their time, shown as proposed)."""
    return Publication.objects.filter(post=post, status=Status.SCHEDULED).update(
        status=Status.DRAFT, run_at=None
    )


def _refuse_while_sending(post: Post) -> None:
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


def _snapshot(review: PostReview) -> dict[str, Any]:
    return {
        "state": review.state,
        "round": review.round,
        "proposed": review.proposed_local,
        "time_zone": review.proposed_zone,
    }


# --- settings -----------------------------------------------------------------------------------


@transaction.atomic
def do_update_settings(
    membership: Membership, *, mode: str, client_approval: bool, link_days: int
) -> ApprovalSettings:
    require(membership, Perm.EDIT_WORKSPACE)
    require(membership, Perm.APPROVE_POSTS)
    if mode not in {value for value, _label in MODE_CHOICES}:
        raise ActionError(_("Choose none, one or two approvers."), code="invalid_mode", status=422)
    if not 1 <= link_days <= MAX_LINK_DAYS:
        raise ActionError(
            _("A client link is valid for 1 to %(max)s days.") % {"max": MAX_LINK_DAYS},
            code="invalid_link_days",
            status=422,
        )
    workspace = membership.workspace
    rules, _created = ApprovalSettings.objects.select_for_update().get_or_create(
        workspace=workspace
    )
    needed = {"one": 1, "two": 2}.get(mode, 0)
    # An author never approves their own post, so N approvals need N approvers besides them.
    available = len(approver_users(workspace))
    if needed and available < needed:
        raise ActionError(
            _(
                "%(mode)s needs at least %(needed)s members who may approve (owners and "
                "managers); this workspace has %(available)s. Invite or promote someone first."
            )
            % {"mode": dict(MODE_CHOICES)[mode], "needed": needed, "available": available},
            code="not_enough_approvers",
        )
    if client_approval and mode == MODE_NONE:
        raise ActionError(
            _("Client approval needs approvals to be on: choose one or two approvers."),
            code="client_needs_approvals",
        )
    before = {
        "mode": rules.mode,
        "client_approval": rules.client_approval,
        "link_days": rules.link_days,
    }
    turning_on = not rules.enabled and mode != MODE_NONE
    rules.mode = mode
    rules.client_approval = client_approval
    rules.link_days = link_days
    rules.save()
    if turning_on:
        _approve_what_is_already_planned(workspace)
    completed = _complete_what_now_suffices(membership) if rules.enabled else 0
    record(
        actor=membership.user,
        action="approvals.settings",
        target=rules,
        workspace=workspace,
        before=before,
        after={
            "mode": mode,
            "client_approval": client_approval,
            "link_days": link_days,
            "approved_now": completed,
        },
    )
    return rules


def _complete_what_now_suffices(membership: Membership) -> int:
    """With fewer approvals needed than before, posts in review that have them all are
    approved (and scheduled at their proposed time, with the rights of who changed it)."""
    done = 0
    for review in PostReview.objects.select_for_update().filter(
        workspace=membership.workspace, state=IN_REVIEW
    ):
        if review.fingerprint == fingerprint(review.post) and _complete(review):
            _approved(membership, review)
            done += 1
    return done


def _approve_what_is_already_planned(workspace: Workspace) -> None:
    """Posts scheduled or published before approvals were turned on count as approved as
    they are: the rule applies to what is planned from now on."""
    planned = (
        Publication.objects.filter(workspace=workspace)
        .exclude(status__in=[Status.DRAFT, Status.CANCELLED])
        .values_list("post_id", flat=True)
        .distinct()
    )
    for post in Post.objects.filter(pk__in=list(planned)):
        review, _created = PostReview.objects.get_or_create(
            post=post, defaults={"workspace": workspace}
        )
        if review.state in (DRAFT, APPROVED):
            review.state = APPROVED
            review.fingerprint = fingerprint(post)
            review.state_changed_at = timezone.now()
            review.save()


# --- the flow -----------------------------------------------------------------------------------


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
    _require_enabled(membership.workspace)
    review = _locked_review(post)
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
    _refuse_while_sending(post)
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
    before = _snapshot(review)
    current = fingerprint(post)
    new_round = review.state != IN_REVIEW or review.fingerprint != current
    if new_round:
        review.round += 1
        review.fingerprint = current
        review.last_reminded_at = None
        _set_state(review, IN_REVIEW)
    review.submitted_by = membership.user
    review.submitted_at = timezone.now()
    review.save()
    _unschedule(post)
    sync_proposed_publications(review)
    record(
        actor=membership.user,
        action="post.submit_review",
        target=post,
        workspace=post.workspace,
        before=before,
        after=_snapshot(review),
    )
    if new_round:
        _tell(
            post.workspace,
            post,
            "approval_requested",
            lambda: (
                _("A post waits for your approval: %(post)s") % {"post": str(post)},
                _("%(person)s submitted it for review.") % {"person": membership.user.display_name},
            ),
            to=approver_users(post.workspace, besides=(membership.user, post.created_by)),
        )
    return Outcome(review, _("Submitted for review."))


def _require_in_review(review: PostReview) -> None:
    if review.state != IN_REVIEW:
        raise ActionError(
            _("This post is not waiting for approval (it is: %(state)s).")
            % {"state": review.get_state_display()},
            code="not_in_review",
            status=409,
        )


def _complete(review: PostReview) -> bool:
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


def _approved(membership: Membership | None, review: PostReview) -> Outcome:
    _set_state(review, APPROVED)
    review.save()
    message, scheduled = _schedule_approved(membership, review)
    post = review.post
    _tell(
        post.workspace,
        post,
        "post_approved",
        lambda: (_("Your post was approved: %(post)s") % {"post": str(post)}, message),
        to=_authors(review),
    )
    return Outcome(review, message, scheduled)


@transaction.atomic
def do_approve(membership: Membership, post: Post) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    _require_enabled(membership.workspace)
    review = _locked_review(post)
    _require_in_review(review)
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
    ReviewDecision.objects.create(
        review=review, round=review.round, user=membership.user, decision=APPROVE
    )
    before = _snapshot(review)
    if _complete(review):
        outcome = _approved(membership, review)
    else:
        outcome = Outcome(review, _waiting_message(review))
    record(
        actor=membership.user,
        action="post.approve",
        target=post,
        workspace=post.workspace,
        before=before,
        after={**_snapshot(review), "scheduled": outcome.scheduled},
    )
    return outcome


def _waiting_message(review: PostReview) -> str:
    rules = settings_of(review.workspace)
    missing = rules.approvers_needed - len(approvers_of_round(review))
    if missing > 0:
        return _("Your approval is recorded; it waits for one more approver.")
    return _("Your approval is recorded; it waits for the client's approval.")


def _clean_comment(text: str, *, required: bool) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ActionError(
            _("Say what should change: the comment is what the author works from."),
            code="comment_required",
            status=422,
        )
    if len(text) > MAX_COMMENT_CHARS:
        raise ActionError(
            _("A comment takes up to %(max)s characters.") % {"max": MAX_COMMENT_CHARS},
            code="comment_too_long",
            status=422,
        )
    if "\x00" in text:
        raise ActionError(
            _("The comment contains a NUL character."), code="control_characters", status=422
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ActionError(
            _("The comment contains broken characters. Paste it again."),
            code="invalid_unicode",
            status=422,
        ) from None
    return text


@transaction.atomic
def do_request_changes(membership: Membership, post: Post, comment: str) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    _require_enabled(membership.workspace)
    text = _clean_comment(comment, required=True)
    review = _locked_review(post)
    if review.state not in (IN_REVIEW, APPROVED):
        raise ActionError(
            _("Changes can be requested for posts in review or approved (this one is: %(state)s).")
            % {"state": review.get_state_display()},
            code="not_in_review",
            status=409,
        )
    _refuse_while_sending(post)
    before = _snapshot(review)
    ReviewDecision.objects.create(
        review=review,
        round=review.round,
        user=membership.user,
        decision=REQUEST_CHANGES,
        comment=text,
    )
    _add_comment(membership.workspace, post, membership.user, text, by_client=False)
    _set_state(review, CHANGES_REQUESTED)
    review.save()
    _unschedule(post)
    record(
        actor=membership.user,
        action="post.request_changes",
        target=post,
        workspace=post.workspace,
        before=before,
        after={**_snapshot(review), "comment": text},
    )
    _tell(
        post.workspace,
        post,
        "changes_requested",
        lambda: (
            _("Changes requested for your post: %(post)s") % {"post": str(post)},
            _("%(person)s wrote: %(comment)s")
            % {"person": membership.user.display_name, "comment": text},
        ),
        to=[u for u in _authors(review) if u != membership.user],
    )
    return Outcome(review, _("Sent back to the author with your comment."))


@transaction.atomic
def do_hold(membership: Membership, post: Post) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    _require_enabled(membership.workspace)
    review = _locked_review(post)
    if review.state == ON_HOLD:
        raise ActionError(_("This post is already on hold."), code="on_hold", status=409)
    _refuse_while_sending(post)
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
    before = _snapshot(review)
    review.held_from = review.state
    _set_state(review, ON_HOLD)
    review.save()
    unscheduled = _unschedule(post)
    record(
        actor=membership.user,
        action="post.hold",
        target=post,
        workspace=post.workspace,
        before=before,
        after={**_snapshot(review), "unscheduled": unscheduled},
    )
    message = _("On hold: it will not be scheduled until it is released.")
    if unscheduled:
        message = _("On hold: its schedule is suspended until it is released.")
    return Outcome(review, message)


@transaction.atomic
def do_release(membership: Membership, post: Post) -> Outcome:
    require(membership, Perm.APPROVE_POSTS)
    _require_enabled(membership.workspace)
    review = _locked_review(post)
    if review.state != ON_HOLD:
        raise ActionError(_("This post is not on hold."), code="not_on_hold", status=409)
    before = _snapshot(review)
    back = review.held_from or DRAFT
    review.held_from = ""
    if back == APPROVED and review.fingerprint == fingerprint(post):
        outcome = _approved(membership, review)
    else:
        if back == APPROVED:
            back = IN_REVIEW
            review.round += 1
            review.fingerprint = fingerprint(post)
        _set_state(review, back)
        review.save()
        outcome = Outcome(review, _("Released: %(state)s.") % {"state": review.get_state_display()})
    record(
        actor=membership.user,
        action="post.release",
        target=post,
        workspace=post.workspace,
        before=before,
        after=_snapshot(review),
    )
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
    before = _snapshot(review)
    was_approved = review.state == APPROVED
    review.round += 1
    review.fingerprint = current
    review.last_reminded_at = None
    _set_state(review, IN_REVIEW)
    review.save()
    _unschedule(post)
    sync_proposed_publications(review)
    record(
        actor=membership.user,
        action="post.back_to_review",
        target=post,
        workspace=post.workspace,
        before=before,
        after=_snapshot(review),
    )
    if was_approved:
        _tell(
            post.workspace,
            post,
            "approval_requested",
            lambda: (
                _("A post changed after approval and waits for approval again: %(post)s")
                % {"post": str(post)},
                _("%(person)s changed it.") % {"person": membership.user.display_name},
            ),
            to=approver_users(post.workspace, besides=(membership.user, post.created_by)),
        )


# --- comments -----------------------------------------------------------------------------------


def _add_comment(
    workspace: Workspace, post: Post, author: Any, text: str, *, by_client: bool
) -> Comment:
    return Comment.objects.create(
        workspace=workspace, post=post, author=author, body=text, by_client=by_client
    )


@transaction.atomic
def do_add_comment(membership: Membership, post: Post, body: str) -> Comment:
    require(membership, Perm.WRITE_DRAFTS)
    text = _clean_comment(body, required=True)
    comment = _add_comment(membership.workspace, post, membership.user, text, by_client=False)
    members = list(Membership.objects.filter(workspace=membership.workspace).select_related("user"))
    people = [Person(m.user_id, m.user.email, getattr(m.user, "name", "") or "") for m in members]
    keys = [k for k in mentioned(text, people) if k != membership.user_id]
    users = [m.user for m in members if m.user_id in keys]
    comment.mentioned.set(users)
    record(
        actor=membership.user,
        action="post.comment",
        target=post,
        workspace=post.workspace,
        after={"comment": text, "mentioned": sorted(u.email for u in users)},
    )
    _tell(
        post.workspace,
        post,
        "comment_mention",
        lambda: (
            _("%(person)s mentioned you in a comment on %(post)s")
            % {"person": membership.user.display_name, "post": str(post)},
            text,
        ),
        to=users,
    )
    return comment


# --- client links -------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_link_url(token: str) -> str:
    return django_settings.SITE_URL + reverse("approvals_client", kwargs={"token": token})


@transaction.atomic
def do_create_client_link(membership: Membership, post: Post) -> tuple[ClientLink, str]:
    """A new link for the client (earlier open links of the post stop working)."""
    require(membership, Perm.APPROVE_POSTS)
    rules = _require_enabled(membership.workspace)
    if not rules.client_approval:
        raise ActionError(
            _("Client approval is turned off for this workspace (Settings > Approvals)."),
            code="client_approval_off",
        )
    review = _locked_review(post)
    _require_in_review(review)
    now = timezone.now()
    ClientLink.objects.filter(review=review, revoked_at=None, used_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    link = ClientLink.objects.create(
        workspace=membership.workspace,
        review=review,
        round=review.round,
        token_hash=hash_token(token),
        created_by=membership.user,
        expires_at=now + timedelta(days=rules.link_days),
    )
    record(
        actor=membership.user,
        action="post.client_link",
        target=post,
        workspace=post.workspace,
        after={"expires_at": link.expires_at.isoformat(), "round": review.round},
    )
    return link, token


@transaction.atomic
def do_revoke_client_links(membership: Membership, post: Post) -> int:
    require(membership, Perm.APPROVE_POSTS)
    review = review_of(post)
    if review is None:
        return 0
    revoked = ClientLink.objects.filter(review=review, revoked_at=None, used_at=None).update(
        revoked_at=timezone.now()
    )
    record(
        actor=membership.user,
        action="post.client_link_revoke",
        target=post,
        workspace=post.workspace,
        after={"revoked": revoked},
    )
    return revoked


# Why a client link no longer works; the page says it plainly.
LINK_UNKNOWN = "unknown"
LINK_EXPIRED = "expired"
LINK_REVOKED = "revoked"
LINK_USED = "used"
LINK_OUTDATED = "outdated"


def link_problem(link: ClientLink | None, now: datetime | None = None) -> str | None:
    now = now or timezone.now()
    if link is None:
        return LINK_UNKNOWN
    if link.revoked_at is not None:
        return LINK_REVOKED
    if link.used_at is not None:
        return LINK_USED
    if link.expires_at <= now:
        return LINK_EXPIRED
    review = link.review
    if review.state != IN_REVIEW or review.round != link.round:
        return LINK_OUTDATED
    return None


def find_client_link(token: str) -> ClientLink | None:
    if not token or len(token) > 200:
        return None
    return (
        ClientLink.objects.select_related("review", "review__post", "workspace")
        .filter(token_hash=hash_token(token))
        .first()
    )


class LinkRefused(ActionError):
    def __init__(self, problem: str) -> None:
        super().__init__(problem, code=f"link_{problem}", status=410)
        self.problem = problem


def _scheduler_for(review: PostReview) -> Membership | None:
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


@transaction.atomic
def do_client_decide(token: str, *, approve: bool, comment: str = "") -> Outcome:
    """The client's decision through the link: approve, or ask for changes (a comment)."""
    found = find_client_link(token)
    if found is None:
        raise LinkRefused(LINK_UNKNOWN)
    link = ClientLink.objects.select_for_update().select_related("review__post").get(pk=found.pk)
    review = (
        PostReview.objects.select_for_update()
        .select_related("post", "workspace")
        .get(pk=link.review_id)
    )
    link.review = review
    problem = link_problem(link)
    if problem is not None:
        raise LinkRefused(problem)
    text = _clean_comment(comment, required=not approve)
    post = review.post
    now = timezone.now()
    link.used_at = now
    link.decision = APPROVE if approve else REQUEST_CHANGES
    link.save(update_fields=["used_at", "decision"])
    ReviewDecision.objects.create(
        review=review,
        round=review.round,
        by_client=True,
        decision=link.decision,
        comment=text,
    )
    if text:
        _add_comment(review.workspace, post, None, text, by_client=True)
    before = _snapshot(review)
    if not approve:
        _set_state(review, CHANGES_REQUESTED)
        review.save()
        outcome = Outcome(review, _("Thank you. Your comment was sent to the team."))
        _tell(
            post.workspace,
            post,
            "changes_requested",
            lambda: (
                _("The client asked for changes: %(post)s") % {"post": str(post)},
                _("The client wrote: %(comment)s") % {"comment": text},
            ),
            to=[
                *_authors(review),
                *approver_users(post.workspace, besides=tuple(_authors(review))),
            ],
        )
    elif _complete(review):
        outcome = _approved(_scheduler_for(review), review)
        outcome.message = _("Thank you. The post is approved.")
    else:
        outcome = Outcome(review, _("Thank you. Your approval was recorded."))
        _tell(
            post.workspace,
            post,
            "client_approved",
            lambda: (
                _("The client approved: %(post)s") % {"post": str(post)},
                _("It still waits for the team's approval."),
            ),
            to=approver_users(post.workspace, besides=tuple(_authors(review))),
        )
    record(
        actor=None,
        action="post.client_approve" if approve else "post.client_request_changes",
        target=post,
        workspace=post.workspace,
        before=before,
        after={**_snapshot(review), "comment": text, "by": "client"},
    )
    return outcome


# --- reminders ----------------------------------------------------------------------------------

REMIND_AFTER = timedelta(hours=24)


def _remind(review: PostReview, people: list[Any], days: int) -> None:
    post = review.post
    _tell(
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
    record(
        actor=None,
        action="post.approval_inherited",
        target=copy,
        workspace=copy.workspace,
        after={"from_post": source.pk},
    )
    return True
