"""The approval parts of other apps' pages: the composer's "Submit for review" button, the
review panel on a post page, the dashboard's badges."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from townsquare.approvals.access import (
    access_comments,
    badge_counts,
    review_of,
    settings_of,
    waiting_for,
)
from townsquare.approvals.forms import CommentForm
from townsquare.approvals.models import APPROVE, APPROVED, ClientLink
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

register = template.Library()


@register.inclusion_tag("approvals/_composer_buttons.html", takes_context=True)
def review_buttons(context: Any, membership: Membership, post: Any = None) -> dict[str, Any]:
    rules = settings_of(membership.workspace)
    review = review_of(post) if post is not None and post.pk else None
    show = (
        rules.enabled
        and has_perm(membership.role, Perm.WRITE_DRAFTS)
        and (review is None or review.state != APPROVED)
    )
    return {"show": show, "review": review}


@register.inclusion_tag("approvals/_review_panel.html", takes_context=True)
def review_panel(context: Any, membership: Membership, post: Any) -> dict[str, Any]:
    request = context.get("request")
    rules = settings_of(membership.workspace)
    review = review_of(post)
    decisions = []
    open_link = None
    if review is not None:
        decisions = list(review.decisions.filter(round=review.round).select_related("user"))
        open_link = (
            ClientLink.objects.filter(
                review=review,
                round=review.round,
                revoked_at=None,
                used_at=None,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )
    new_link = request.session.pop(f"client_link_{post.pk}", None) if request else None
    can_approve = has_perm(membership.role, Perm.APPROVE_POSTS)
    return {
        "csrf_token": context.get("csrf_token"),
        "workspace": membership.workspace,
        "membership": membership,
        "post": post,
        "rules": rules,
        "review": review,
        "approvals": [d for d in decisions if d.decision == APPROVE],
        "waiting_for_me": review is not None and waiting_for(membership, review),
        "can_approve": can_approve,
        "open_link": open_link,
        "new_link": new_link,
        "comments": list(access_comments(membership, post)),
        "comment_form": CommentForm(),
        "can_comment": has_perm(membership.role, Perm.WRITE_DRAFTS),
    }


@register.inclusion_tag("approvals/_dashboard.html")
def review_badges(membership: Membership) -> dict[str, Any]:
    return {"workspace": membership.workspace, "counts": badge_counts(membership)}
