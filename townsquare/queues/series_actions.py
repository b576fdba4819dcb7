"""Series: a post repeated by a recurrence rule, one post per occurrence (each a copy,
scheduled at its wall time in the workspace's zone); one occurrence or it and all
following can be edited, moved or skipped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.publishing.schedule import EDITABLE, Status
from townsquare.queues.copies import copy_post
from townsquare.queues.models import Series, SeriesOccurrence
from townsquare.queues.near_duplicates import check_near_duplicates
from townsquare.queues.queue_actions import require_post_of_workspace
from townsquare.queues.recurrence import (
    MAX_OCCURRENCES,
    MAX_SPAN_DAYS,
    RecurrenceError,
    expand,
    normalise,
    parse_wall,
    wall_key,
)
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm


def recurrence_message(error: RecurrenceError) -> str:
    facts = error.facts
    if error.code == "no_end":
        return _(
            "A repeating post needs an end: after a number of times (COUNT) or on a date (UNTIL)."
        )
    if error.code == "too_many":
        return _(
            "This rule makes %(count)s posts; a series has at most %(max)s. End it sooner."
        ) % {"count": facts.get("count", "?"), "max": MAX_OCCURRENCES}
    if error.code == "too_long":
        return _("A series may span at most two years (%(days)s days). End it sooner.") % {
            "days": MAX_SPAN_DAYS
        }
    if error.code == "frequency":
        return _("Repeat daily, weekly, monthly or yearly; %(frequency)s is not offered.") % {
            "frequency": facts.get("frequency", "")
        }
    if error.code == "none":
        return _("This rule makes no posts at all. Check the days and the end.")
    if error.code == "too_long_text":
        return _("A repeat rule has at most %(max)s characters.") % {"max": facts.get("max")}
    return _(
        "The repeat rule could not be read (%(detail)s). Write it as in RFC 5545, "
        "for example FREQ=WEEKLY;BYDAY=MO;COUNT=8."
    ) % {"detail": facts.get("detail", "")}


def expand_rule(rule: str, first: datetime, zone: str) -> list[Any]:
    try:
        return expand(rule, first, zone)
    except RecurrenceError as error:
        raise ActionError(recurrence_message(error), code="invalid_rrule", status=422) from None


@transaction.atomic
def do_create_series(
    membership: Membership,
    post: Post,
    rule: str,
    first: datetime,
    *,
    confirm_duplicate: bool = False,
) -> Series:
    """Repeat the post: it becomes the first occurrence, and each further occurrence is a
    copy of it (variants, media, campaign, pillar, audience), all scheduled at their wall
    times in the workspace's zone."""
    from townsquare.publishing.actions import do_schedule_post

    require(membership, Perm.SCHEDULE_POSTS)
    require_post_of_workspace(membership, post.workspace_id)
    if SeriesOccurrence.objects.filter(post=post).exists():
        raise ActionError(
            _("This post already repeats. Change its series instead."),
            code="already_repeating",
            status=409,
        )
    zone = membership.workspace.time_zone
    first = first.replace(second=0, microsecond=0, tzinfo=None)
    try:
        stored = normalise(rule)
    except RecurrenceError as error:
        raise ActionError(recurrence_message(error), code="invalid_rrule", status=422) from None
    times = expand_rule(stored, first, zone)
    check_near_duplicates(post, times[0].utc, confirmed=confirm_duplicate)
    series = Series.objects.create(
        workspace=membership.workspace,
        rrule=stored,
        first_local=wall_key(first),
        time_zone=zone,
        created_by=membership.user,
    )
    for index, local in enumerate(times):
        target = post if index == 0 else copy_post(membership, post, membership.user)
        SeriesOccurrence.objects.create(
            series=series, post=target, index=index, local_time=wall_key(local.wall)
        )
        do_schedule_post(membership, target, local.wall, zone)
    record(
        actor=membership.user,
        action="series.create",
        target=series,
        workspace=membership.workspace,
        after={"rrule": stored, "first": wall_key(first), "occurrences": len(times)},
    )
    return series


def _editable(post: Post) -> bool:
    statuses = set(post.publications.values_list("status", flat=True))
    return all(s in EDITABLE for s in statuses)


@transaction.atomic
def do_edit_occurrence(
    membership: Membership,
    occurrence: SeriesOccurrence,
    *,
    text: str | None = None,
    wall_time: datetime | None = None,
    skip: bool | None = None,
    following: bool = False,
) -> list[SeriesOccurrence]:
    """Change one occurrence, or it and all following: the text, the time (for following
    ones moved by the same wall-clock difference), or skip (its publications cancelled) /
    take back a skip. Occurrences already sent are left as they are."""
    from townsquare.content.actions import PostInput, do_save_post
    from townsquare.publishing.actions import do_cancel_schedule, do_schedule_post

    require(membership, Perm.SCHEDULE_POSTS)
    series = occurrence.series
    require_post_of_workspace(membership, series.workspace_id)
    if text is None and wall_time is None and skip is None:
        raise ActionError(
            _("Say what to change: the text, the time, or skip."), code="nothing_to_change"
        )
    if not _editable(occurrence.post):
        raise ActionError(
            _("This occurrence has already been sent and cannot be changed."),
            code="not_editable",
            status=409,
        )
    targets = [occurrence]
    if following:
        later = series.occurrences.filter(index__gt=occurrence.index).select_related("post")
        targets += [o for o in later if _editable(o.post)]
    delta = None
    if wall_time is not None:
        delta = wall_time.replace(second=0, microsecond=0, tzinfo=None) - parse_wall(
            occurrence.local_time
        )
    zone = series.time_zone
    for target in targets:
        post = target.post
        if text is not None:
            do_save_post(
                membership,
                PostInput(
                    text=text,
                    language=post.language,
                    link_url=post.link_url,
                    hashtags=tuple(post.hashtags),
                    hashtag_sets=tuple(post.hashtag_sets),
                    content_warning=post.content_warning,
                    media_ids=tuple(post.attachments.values_list("asset_id", flat=True)),
                ),
                list(post.variants.values_list("account_id", flat=True)),
                post=post,
            )
        if delta is not None:
            target.local_time = wall_key(parse_wall(target.local_time) + delta)
        if skip is not None:
            target.skipped = skip
        target.edited = True
        target.save()
        if target.skipped:
            if post.publications.filter(status=Status.SCHEDULED).exists():
                do_cancel_schedule(membership, post)
        elif delta is not None or skip is False or text is not None:
            do_schedule_post(membership, post, parse_wall(target.local_time), zone)
    record(
        actor=membership.user,
        action="series.edit",
        target=series,
        workspace=membership.workspace,
        after={
            "from": occurrence.index,
            "following": following,
            "occurrences": [t.index for t in targets],
            "text": text is not None,
            "time": wall_key(wall_time) if wall_time else None,
            "skip": skip,
        },
    )
    return targets
