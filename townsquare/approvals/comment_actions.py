"""Comments on a post: the team's (with @mentions, who are notified) and the client's words
through the link; the checks every comment passes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.approvals.mentions import Person, mentioned
from townsquare.approvals.models import MAX_COMMENT_CHARS, Comment
from townsquare.approvals.notices import tell
from townsquare.approvals.review_state import audit
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Perm


def clean_comment(text: str, *, required: bool) -> str:
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


def add_comment(
    workspace: Workspace, post: Post, author: Any, text: str, *, by_client: bool
) -> Comment:
    return Comment.objects.create(
        workspace=workspace, post=post, author=author, body=text, by_client=by_client
    )


@transaction.atomic
def do_add_comment(membership: Membership, post: Post, body: str) -> Comment:
    require(membership, Perm.WRITE_DRAFTS)
    text = clean_comment(body, required=True)
    comment = add_comment(membership.workspace, post, membership.user, text, by_client=False)
    members = list(Membership.objects.filter(workspace=membership.workspace).select_related("user"))
    people = [Person(m.user_id, m.user.email, getattr(m.user, "name", "") or "") for m in members]
    keys = [k for k in mentioned(text, people) if k != membership.user_id]
    users = [m.user for m in members if m.user_id in keys]
    comment.mentioned.set(users)
    audit(
        membership.user,
        "post.comment",
        post,
        after={"comment": text, "mentioned": sorted(u.email for u in users)},
    )
    tell(
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
