"""Settings > Approvals: how many approvers a post needs, whether the client approves too,
and how long a client link lasts. Turning approvals on or needing fewer approvals settles
the posts already planned or waiting."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.approvals.fingerprint import fingerprint
from townsquare.approvals.models import (
    APPROVED,
    DRAFT,
    IN_REVIEW,
    MAX_LINK_DAYS,
    MODE_CHOICES,
    MODE_NONE,
    ApprovalSettings,
    PostReview,
)
from townsquare.approvals.notices import approver_users
from townsquare.approvals.review_state import is_complete, mark_approved
from townsquare.audit.record import record
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Perm


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
        if review.fingerprint == fingerprint(review.post) and is_complete(review):
            mark_approved(membership, review)
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
