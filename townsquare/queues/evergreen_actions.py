"""Evergreen posts: queued again as copies by a scheduler job after their gap, up to a
number of reposts; a refusal stops the post in the "needs attention" state with a
notification, never a silent retry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.queues.copies import copy_post
from townsquare.queues.models import Evergreen, EvergreenRepost
from townsquare.queues.queue_actions import (
    do_add_to_queue,
    next_free_slot,
    require_post_of_workspace,
)
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_GAP_DAYS = 3650
MAX_REPOSTS = 100


@transaction.atomic
def do_set_evergreen(
    membership: Membership,
    post: Post,
    *,
    enabled: bool,
    min_gap_days: int = 30,
    max_reposts: int = 3,
) -> Evergreen | None:
    require(membership, Perm.SCHEDULE_POSTS)
    require_post_of_workspace(membership, post.workspace_id)
    current = Evergreen.objects.select_for_update().filter(post=post).first()
    if not enabled:
        if current is not None:
            current.state = "stopped"
            current.save()
            record(
                actor=membership.user,
                action="evergreen.stop",
                target=post,
                workspace=membership.workspace,
            )
        return current
    if EvergreenRepost.objects.filter(post=post).exists():
        raise ActionError(
            _("This post is a repost of an evergreen post; change the original instead."),
            code="evergreen_copy",
            status=409,
        )
    if not 1 <= min_gap_days <= MAX_GAP_DAYS:
        raise ActionError(
            _("The gap is 1 to %(max)s days.") % {"max": MAX_GAP_DAYS},
            code="invalid_gap",
            status=422,
        )
    if not 1 <= max_reposts <= MAX_REPOSTS:
        raise ActionError(
            _("Reposts: 1 to %(max)s.") % {"max": MAX_REPOSTS},
            code="invalid_max_reposts",
            status=422,
        )
    evergreen = current or Evergreen(workspace=membership.workspace, post=post)
    evergreen.min_gap_days = min_gap_days
    evergreen.max_reposts = max_reposts
    evergreen.set_by = membership.user
    evergreen.state = "done" if evergreen.reposts >= max_reposts else "active"
    evergreen.last_error = ""
    evergreen.save()
    record(
        actor=membership.user,
        action="evergreen.set",
        target=post,
        workspace=membership.workspace,
        after={"min_gap_days": min_gap_days, "max_reposts": max_reposts},
    )
    return evergreen


def _last_time(post_ids: Sequence[int]) -> tuple[datetime | None, bool]:
    """(when the family last went out, whether one is still waiting to go out)."""
    pubs = Publication.objects.filter(post_id__in=list(post_ids))
    waiting = pubs.filter(
        status__in=[Status.SCHEDULED, Status.PUBLISHING, Status.BY_HAND, Status.UNKNOWN]
    ).exists()
    last = (
        pubs.filter(status=Status.PUBLISHED)
        .exclude(published_at=None)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return last, waiting


def _evergreen_url(evergreen: Evergreen) -> str:
    from django.urls import reverse

    return reverse(
        "queues_post",
        kwargs={"workspace": evergreen.workspace.slug, "post_id": evergreen.post_id},
    )


def _queue_or_submit(membership: Membership, copy: Post) -> None:
    """Queue an evergreen repost; where the workspace wants approval and the copy has none
    of its own (the original was never approved as it is), it goes to review with its
    slot proposed, so an approver decides instead of the repost failing."""
    from townsquare.approvals.gate import approval_missing
    from townsquare.approvals.review_actions import do_submit_for_review

    if approval_missing(copy) is None:
        do_add_to_queue(membership, copy, confirm_duplicate=True)
        return
    wall, _due = next_free_slot(copy)
    do_submit_for_review(membership, copy, wall, membership.workspace.time_zone)


def requeue_evergreen(now: datetime | None = None) -> int:
    """Queue a copy of every active evergreen post whose last publication is older than
    its gap. A refusal (no slots, a member gone) stops it in the "needs attention" state
    with a notification, never a silent retry. Returns how many copies were queued."""
    now = now or timezone.now()
    language = translation.get_language()
    try:
        return _requeue_each(now)
    finally:
        if language:
            translation.activate(language)
        else:
            translation.deactivate()


def _needs_attention(evergreen: Evergreen, message: str, *, also: Iterable[Any] = ()) -> None:
    """The repost was refused: the post stops in the "needs attention" state, and the
    workspace's owners and managers (and `also`) are told why."""
    from townsquare.notifications.notify import notify

    evergreen.state = "error"
    evergreen.last_error = message
    evergreen.save()
    notify(
        evergreen.workspace,
        kind="evergreen_failed",
        title=_("An evergreen post could not be queued again"),
        body=message,
        url=_evergreen_url(evergreen),
        also=also,
    )


def _requeue_each(now: datetime) -> int:
    queued = 0
    for evergreen_id in Evergreen.objects.filter(state="active").values_list("pk", flat=True):
        with transaction.atomic():
            evergreen = (
                Evergreen.objects.select_for_update()
                .select_related("post", "workspace")
                .filter(pk=evergreen_id, state="active")
                .first()
            )
            if evergreen is None:
                continue
            # What the job says (refusals, notifications) is in the workspace's language.
            translation.activate(evergreen.workspace.language)
            family = [evergreen.post_id, *evergreen.copies.values_list("post_id", flat=True)]
            last, waiting = _last_time(family)
            if waiting or last is None or now - last < timedelta(days=evergreen.min_gap_days):
                continue
            if evergreen.reposts >= evergreen.max_reposts:
                evergreen.state = "done"
                evergreen.save()
                continue
            membership = Membership.objects.filter(
                workspace=evergreen.workspace, user_id=evergreen.set_by_id
            ).first()
            try:
                with transaction.atomic():
                    if membership is None:
                        raise ActionError(
                            _(
                                "The person who made this post evergreen is no longer a "
                                "member; set it again."
                            ),
                            code="evergreen_owner_gone",
                        )
                    copy = copy_post(membership, evergreen.post, membership.user)
                    _queue_or_submit(membership, copy)
                    EvergreenRepost.objects.create(evergreen=evergreen, post=copy)
            except (ActionError, PermissionError) as error:
                _needs_attention(
                    evergreen,
                    getattr(error, "message", str(error)),
                    also=[evergreen.set_by] if evergreen.set_by else (),
                )
                continue
            except PermissionDenied:  # a refused role
                _needs_attention(
                    evergreen, _("The person who set it may no longer schedule posts.")
                )
                continue
            evergreen.reposts += 1
            if evergreen.reposts >= evergreen.max_reposts:
                evergreen.state = "done"
            evergreen.save()
            record(
                actor=None,
                action="evergreen.repost",
                target=copy,
                workspace=evergreen.workspace,
                after={"original": evergreen.post_id, "repost": evergreen.reposts},
            )
            queued += 1
    return queued
