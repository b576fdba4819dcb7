"""Client links: a random token (stored hashed) that lets the client approve a post, or ask
for changes, once, without an account. A new link revokes the post's open ones; a link is
refused when it is unknown, revoked, used, expired, or of an earlier round."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.approvals.access import review_of
from townsquare.approvals.comment_actions import clean_comment
from townsquare.approvals.decisions import decide
from townsquare.approvals.models import (
    APPROVE,
    IN_REVIEW,
    REQUEST_CHANGES,
    ClientLink,
    PostReview,
)
from townsquare.approvals.review_state import (
    Outcome,
    audit,
    locked_review,
    require_enabled,
    require_in_review,
    snapshot,
)
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

# Why a client link no longer works; the page says it plainly.
LINK_UNKNOWN = "unknown"
LINK_EXPIRED = "expired"
LINK_REVOKED = "revoked"
LINK_USED = "used"
LINK_OUTDATED = "outdated"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_link_url(token: str) -> str:
    return django_settings.SITE_URL + reverse("approvals_client", kwargs={"token": token})


@transaction.atomic
def do_create_client_link(membership: Membership, post: Post) -> tuple[ClientLink, str]:
    """A new link for the client (earlier open links of the post stop working)."""
    require(membership, Perm.APPROVE_POSTS)
    rules = require_enabled(membership.workspace)
    if not rules.client_approval:
        raise ActionError(
            _("Client approval is turned off for this workspace (Settings > Approvals)."),
            code="client_approval_off",
        )
    review = locked_review(post)
    require_in_review(review)
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
    audit(
        membership.user,
        "post.client_link",
        post,
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
    audit(membership.user, "post.client_link_revoke", post, after={"revoked": revoked})
    return revoked


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
    text = clean_comment(comment, required=not approve)
    link.used_at = timezone.now()
    link.decision = APPROVE if approve else REQUEST_CHANGES
    link.save(update_fields=["used_at", "decision"])
    before = snapshot(review)
    outcome = decide(review, link.decision, text, member=None)
    audit(
        None,
        "post.client_approve" if approve else "post.client_request_changes",
        review.post,
        before=before,
        after={**snapshot(review), "comment": text, "by": "client"},
    )
    return outcome
