"""What a person does with a post they were reminded to post by hand: mark it as posted
(with its address on the network), or say it was not posted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.notifications.models import Notification
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import KIND
from townsquare.publishing.schedule import Status
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_URL_LENGTH = 2000
_url = URLValidator(schemes=["http", "https"])


def clean_post_url(value: str) -> str:
    """The address of the post on the network: a full http(s) address."""
    url = (value or "").strip()
    if not url:
        raise ActionError(
            _("Enter the address of the post on the network, e.g. https://…"),
            code="url_required",
            status=422,
        )
    if len(url) > MAX_URL_LENGTH:
        raise ActionError(_("This address is too long."), code="invalid_url", status=422)
    try:
        _url(url)
    except ValidationError:
        raise ActionError(
            _("Enter the full address of the post, starting with https:// or http://."),
            code="invalid_url",
            status=422,
        ) from None
    return url


def _waiting(membership: Membership, pub: Publication) -> Publication:
    require(membership, Perm.SCHEDULE_POSTS)
    if pub.workspace_id != membership.workspace_id:  # defence in depth; access_* filters
        raise Publication.DoesNotExist
    locked = Publication.objects.select_for_update().get(pk=pub.pk)
    if locked.status != Status.BY_HAND:
        raise ActionError(
            _("This post is no longer waiting to be posted by hand (it is now: %(status)s).")
            % {"status": locked.get_status_display()},
            code="not_waiting",
            status=409,
        )
    return locked


def _done_for_everyone(pub: Publication) -> None:
    """Everyone who was reminded sees it is done: their reminders count as read."""
    Notification.objects.filter(
        workspace_id=pub.workspace_id, kind=KIND, data__publication=pub.pk, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def do_mark_posted(membership: Membership, pub: Publication, url: str) -> Publication:
    """The person posted it by hand: it is published, at the address they give."""
    pub = _waiting(membership, pub)
    address = clean_post_url(url)
    pub.status = Status.PUBLISHED
    pub.external_url = address
    pub.published_at = timezone.now()
    pub.error_code = pub.error_message = ""
    pub.needs_person = False
    pub.save()
    _done_for_everyone(pub)
    record(
        actor=membership.user,
        action="publication.mark_posted",
        target=pub,
        workspace=pub.workspace,
        before={"status": Status.BY_HAND.value},
        after={"status": pub.status, "url": address},
    )
    return pub


@transaction.atomic
def do_mark_not_posted(membership: Membership, pub: Publication) -> Publication:
    """It was not posted and will not be: cancelled, kept in the post's history. Scheduling
    the post again brings a new reminder."""
    pub = _waiting(membership, pub)
    pub.status = Status.CANCELLED
    pub.error_code = "not_posted"
    pub.error_message = ""
    pub.save()
    _done_for_everyone(pub)
    record(
        actor=membership.user,
        action="publication.not_posted",
        target=pub,
        workspace=pub.workspace,
        before={"status": Status.BY_HAND.value},
        after={"status": pub.status},
    )
    return pub
