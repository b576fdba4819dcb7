"""Scheduling, publishing now, cancelling, and settling outcomes a person checked."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.content.models import Post, Variant
from townsquare.lib.errors import ActionError
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import EDITABLE, Status, local_to_utc, utc_to_local
from townsquare.runtime.wakeup import request_wake
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm


def _check_ready(post: Post) -> list[Variant]:
    variants = list(post.variants.select_related("account"))
    if not variants:
        raise ActionError(_("Choose at least one account first."), code="accounts_required")
    broken = [v.account.get_network_display() for v in variants if v.has_errors]
    if broken:
        raise ActionError(
            _("Fix the problems first: %(networks)s.") % {"networks": ", ".join(broken)},
            code="variants_invalid",
        )
    return variants


@transaction.atomic
def do_schedule_post(
    membership: Membership, post: Post, wall_time: datetime | None, time_zone: str | None = None
) -> list[Publication]:
    """Schedule every variant of the post for `wall_time` in the zone (the workspace's by
    default); None means now. Times are kept as the person meant them: 09:00 in Berlin
    stays 09:00 whatever the daylight-saving offset of that day."""
    require(membership, Perm.SCHEDULE_POSTS)
    zone = time_zone or membership.workspace.time_zone
    now = timezone.now()
    if wall_time is None:
        due = now
        wall = utc_to_local(now, zone)
    else:
        local = local_to_utc(wall_time, zone)
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


def editing_blocked(post: Post) -> bool:
    """A post is not changed while one of its publications is being sent."""
    return Publication.objects.filter(post=post, status=Status.PUBLISHING).exists()


@receiver(pre_delete, sender=Variant)
def cancel_publication_of_removed_variant(
    sender: object, instance: Variant, **kwargs: object
) -> None:
    Publication.objects.filter(variant=instance, status=Status.SCHEDULED).update(
        status=Status.CANCELLED, run_at=None, error_code="variant_removed"
    )
