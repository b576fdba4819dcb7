"""Scheduling, publishing now, cancelling, and settling outcomes a person checked."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.content.models import Post, Variant
from townsquare.content.service import validate_saved_variant
from townsquare.lib.errors import ActionError
from townsquare.publishing.media_by_url import refuse_unreachable_media
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import EDITABLE, Status, local_to_utc, utc_to_local
from townsquare.runtime.wakeup import request_wake
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

# A time this much in the past still means "now": a clock that is slightly off, or a
# person who took a moment to press the button, is not a mistake.
PAST_GRACE = timedelta(minutes=1)


def _check_ready(post: Post) -> list[Variant]:
    """Every variant checked again now, against the rules in force now: a stored verdict
    may predate a hand edit, a change of the rules, or a check added since."""
    # A removed account's variant stays with the post as history; it is never scheduled.
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
    refuse_unreachable_media(post, variants)
    return variants


def _refuse_the_past(wall_time: datetime, zone: str, due: datetime, now: datetime) -> None:
    if due < now - PAST_GRACE:
        raise ActionError(
            _("%(time)s in %(zone)s has already passed. Choose a later time, or publish now.")
            % {"time": wall_time.strftime("%Y-%m-%d %H:%M"), "zone": zone},
            code="time_in_past",
            status=422,
        )


@transaction.atomic
def do_schedule_post(
    membership: Membership, post: Post, wall_time: datetime | None, time_zone: str | None = None
) -> list[Publication]:
    """Schedule every variant of the post for `wall_time` in the zone (the workspace's by
    default); None means now. Times are kept as the person meant them: 09:00 in Berlin
    stays 09:00 whatever the daylight-saving offset of that day. Posts are planned to the
    minute; a time more than PAST_GRACE ago is refused (every caller: form, API, demo).
    Scheduling again is a fresh start: the attempts of earlier tries no longer count."""
    require(membership, Perm.SCHEDULE_POSTS)
    # With approvals on, only an approved post goes out (composer, API, calendar, queues).
    from townsquare.approvals.gate import require_approved

    require_approved(post)
    zone = time_zone or membership.workspace.time_zone
    now = timezone.now()
    if wall_time is None:
        due = now
        wall = utc_to_local(now, zone)
    else:
        # Checked before the seconds are dropped, so "a few seconds ago" is not a minute ago.
        _refuse_the_past(wall_time, zone, local_to_utc(wall_time, zone).utc, now)
        local = local_to_utc(wall_time.replace(second=0, microsecond=0), zone)
        due, wall = local.utc, local.wall
    variants = _check_ready(post)
    scheduled = []
    for variant in variants:
        pub, _created = Publication.objects.select_for_update().get_or_create(
            variant=variant,
            defaults={"workspace": post.workspace, "post": post, "account": variant.account},
        )
        if pub.status not in EDITABLE:
            raise ActionError(
                _("The post to %(account)s is %(status)s and cannot be rescheduled.")
                % {"account": variant.account, "status": pub.get_status_display()},
                code="not_editable",
                status=409,
            )
        pub.status = Status.SCHEDULED
        pub.due_at = due
        pub.run_at = due
        pub.time_zone = zone
        pub.local_due = wall.isoformat(timespec="minutes")
        pub.error_code = pub.error_message = ""
        pub.needs_person = False
        # A person decided to try again: a fresh budget of attempts, or a post that gave
        # up after eight would give up at its first "later" again.
        pub.attempt_count = 0
        pub.save()
        scheduled.append(pub)
    record(
        actor=membership.user,
        action="post.schedule",
        target=post,
        workspace=post.workspace,
        after={"due_at": due.isoformat(), "time_zone": zone, "local": wall.isoformat()},
    )
    transaction.on_commit(request_wake)
    return scheduled


@transaction.atomic
def do_cancel_schedule(membership: Membership, post: Post) -> int:
    require(membership, Perm.SCHEDULE_POSTS)
    pubs = Publication.objects.select_for_update().filter(post=post)
    if any(p.status == Status.PUBLISHING for p in pubs):
        raise ActionError(
            _("A part of this post is being sent right now; try again in a minute."),
            code="publishing",
            status=409,
        )
    cancelled = pubs.filter(status__in=[Status.SCHEDULED, Status.FAILED]).update(
        status=Status.CANCELLED, run_at=None
    )
    record(actor=membership.user, action="post.cancel", target=post, workspace=post.workspace)
    return cancelled


@transaction.atomic
def do_settle_unknown(
    membership: Membership, pub: Publication, *, published: bool, url: str = ""
) -> Publication:
    """A person checked the network: it is there (with its address), or send it again."""
    require(membership, Perm.SCHEDULE_POSTS)
    pub = Publication.objects.select_for_update().get(pk=pub.pk)
    if pub.status != Status.UNKNOWN:
        raise ActionError(_("Only posts of unknown outcome can be settled."), code="not_unknown")
    if published:
        pub.status = Status.PUBLISHED
        pub.external_url = url
        pub.published_at = timezone.now()
    else:
        pub.status = Status.SCHEDULED
        pub.run_at = timezone.now()
        pub.sending_started_at = None
    pub.needs_person = False
    pub.lease_token = None
    pub.save()
    record(
        actor=membership.user,
        action="publication.settle",
        target=pub,
        workspace=pub.workspace,
        after={"published": published, "url": url},
    )
    if not published:
        transaction.on_commit(request_wake)
    return pub


def editing_blocked(post: Post) -> ActionError | None:
    """Why the post cannot be changed now (None: it can). Not while one of its publications
    is being sent, nor while its outcome is unknown: reconciliation looks for the text
    that was sent, and an edit would make it look for another."""
    statuses = set(
        Publication.objects.filter(
            post=post, status__in=[Status.PUBLISHING, Status.UNKNOWN]
        ).values_list("status", flat=True)
    )
    if Status.PUBLISHING in statuses:
        return ActionError(
            _("This post is being sent right now; change it in a minute."),
            code="publishing",
            status=409,
        )
    if Status.UNKNOWN in statuses:
        return ActionError(
            _(
                "It is not yet known whether this post reached the network. Settle that on "
                "the post page first (it is there, or send it again); then it can be changed."
            ),
            code="outcome_unknown",
            status=409,
        )
    return None


@receiver(pre_delete, sender=Variant)
def cancel_publication_of_removed_variant(
    sender: object, instance: Variant, **kwargs: object
) -> None:
    Publication.objects.filter(variant=instance, status=Status.SCHEDULED).update(
        status=Status.CANCELLED, run_at=None, error_code="variant_removed"
    )
