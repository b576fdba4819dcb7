"""The queue: a post is scheduled at the next slot free on every account of it, and
scheduling at a chosen time checks for near-duplicates first. Scheduling itself goes
through publishing's `do_schedule_post` (the past refused, every variant checked)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.audit.record import record
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import local_to_utc, utc_to_local
from townsquare.queues.models import Slot
from townsquare.queues.near_duplicates import TAKING, check_near_duplicates
from townsquare.queues.recurrence import weekly_slot_times
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

QUEUE_HORIZON_DAYS = 366
# A slot this close to now is not taken: the post would be late before it is saved.
QUEUE_LEAD = timedelta(minutes=2)


def require_post_of_workspace(membership: Membership, workspace_id: int) -> None:
    """Refuse a post (or series) of another workspace."""
    if workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a post of this workspace."), code="unknown_post")


def _queue_accounts(post: Post) -> list[SocialAccount]:
    accounts = [
        v.account for v in post.variants.select_related("account").filter(account__removed_at=None)
    ]
    if not accounts:
        raise ActionError(_("Choose at least one account first."), code="accounts_required")
    return accounts


def next_free_slot(post: Post, *, after: datetime | None = None) -> tuple[datetime, datetime]:
    """(wall time, UTC instant) of the next slot free on every account of the post."""
    workspace = post.workspace
    zone = workspace.time_zone
    accounts = _queue_accounts(post)
    per_account: dict[int, set[tuple[int, time]]] = {a.pk: set() for a in accounts}
    for slot in Slot.objects.filter(account__in=accounts):
        per_account[slot.account_id].add((slot.weekday, slot.time))
    bare = [a for a in accounts if not per_account[a.pk]]
    if bare:
        raise ActionError(
            ngettext(
                "%(accounts)s has no posting slots. Add slots under Settings > Queue "
                "(or fill them from the plan's preferred days and times), or choose a time.",
                "%(accounts)s have no posting slots. Add slots under Settings > Queue "
                "(or fill them from the plan's preferred days and times), or choose a time.",
                len(bare),
            )
            % {"accounts": ", ".join(str(a) for a in bare)},
            code="no_slots",
            status=422,
        )
    common = set.intersection(*per_account.values())
    if not common:
        raise ActionError(
            _(
                "The accounts of this post have no posting slot in common. Give them a "
                "common slot under Settings > Queue, or choose a time."
            ),
            code="no_common_slot",
            status=422,
        )
    now = after or timezone.now()
    earliest = now + QUEUE_LEAD
    start = utc_to_local(now, zone).date()
    horizon = now + timedelta(days=QUEUE_HORIZON_DAYS + 1)
    taken = set(
        Publication.objects.filter(
            account__in=accounts,
            status__in=list(TAKING),
            due_at__gte=now,
            due_at__lte=horizon,
        )
        .exclude(post=post)
        .values_list("due_at", flat=True)
    )
    for wall, _index in weekly_slot_times(start, QUEUE_HORIZON_DAYS + 1, sorted(common)):
        local = local_to_utc(wall, zone)
        if local.utc < earliest or local.utc in taken:
            continue
        return local.wall, local.utc
    raise ActionError(
        _("Every posting slot of the next year is taken. Add slots, or choose a time."),
        code="queue_full",
        status=422,
    )


@transaction.atomic
def do_add_to_queue(
    membership: Membership, post: Post, *, confirm_duplicate: bool = False
) -> list[Publication]:
    """Schedule the post at the next slot that is free on every account of it (a slot is
    taken when a publication of that account is due at it) and in the future. Returns the
    scheduled publications; their `local_due` is the chosen wall time."""
    from townsquare.publishing.actions import do_schedule_post

    require(membership, Perm.SCHEDULE_POSTS)
    require_post_of_workspace(membership, post.workspace_id)
    # One queue at a time per workspace: two posts added at once do not take the same slot.
    type(membership.workspace).objects.select_for_update().filter(
        pk=membership.workspace_id
    ).first()
    wall, due = next_free_slot(post)
    check_near_duplicates(post, due, confirmed=confirm_duplicate)
    pubs = do_schedule_post(membership, post, wall, membership.workspace.time_zone)
    record(
        actor=membership.user,
        action="queue.add",
        target=post,
        workspace=membership.workspace,
        after={"local": wall.isoformat(timespec="minutes")},
    )
    return pubs


@transaction.atomic
def do_schedule_checked(
    membership: Membership,
    post: Post,
    wall_time: datetime | None,
    time_zone: str | None = None,
    *,
    confirm_duplicate: bool = False,
) -> list[Publication]:
    """`do_schedule_post` with the near-duplicate check first (composer, API)."""
    from townsquare.publishing.actions import do_schedule_post

    zone = time_zone or membership.workspace.time_zone
    due = timezone.now() if wall_time is None else local_to_utc(wall_time, zone).utc
    check_near_duplicates(post, due, confirmed=confirm_duplicate)
    return do_schedule_post(membership, post, wall_time, zone)
