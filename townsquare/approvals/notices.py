"""Whom the approval flow tells what: the approvers of a workspace, a post's authors, and
the notification itself (in the app and by e-mail) in the workspace's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from townsquare.approvals.models import PostReview
from townsquare.content.models import Post
from townsquare.notifications.notify import notify
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Perm, has_perm


def post_url(post: Post) -> str:
    return reverse("content_post", kwargs={"workspace": post.workspace.slug, "post_id": post.pk})


def tell(
    workspace: Workspace,
    post: Post,
    kind: str,
    words: Callable[[], tuple[str, str]],
    *,
    to: list[Any],
) -> None:
    """Notify the given members (in the app and by e-mail) in the workspace's language.
    `words` is called inside that language, so its gettext calls translate into it."""
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
            url=post_url(post),
            to=people,
            payload={"post_id": post.pk},
        )


def approver_users(workspace: Workspace, *, besides: tuple[Any, ...] = ()) -> list[Any]:
    """Members who may approve, apart from the users in `besides` (an author or submitter
    cannot approve their own post, so they are not asked to)."""
    # Compared by id: a user object never equals a user id.
    excluded = {u.pk for u in besides if u is not None}
    return [
        m.user
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
        if has_perm(m.role, Perm.APPROVE_POSTS) and m.user_id not in excluded
    ]


def authors(review: PostReview) -> list[Any]:
    """Who wrote the post and who submitted it, each once."""
    people = [review.post.created_by, review.submitted_by]
    return [u for i, u in enumerate(people) if u is not None and u not in people[:i]]
