"""What removing an account means for its posts: shown before, done during the removal.

Nothing vanishes: posts that were still to go out are cancelled and keep the reason
"account removed" (they stay in the post list and on the post page); what went out stays
in the history with its address; drafts keep their text for the account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from townsquare.content.models import Variant
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status

# Everything that has not yet reached the network and is not already over.
STILL_TO_GO = (Status.DRAFT, Status.SCHEDULED, Status.BY_HAND, Status.FAILED, Status.UNKNOWN)
POSTS_LISTED = 20


@dataclass(frozen=True)
class RemovalEffects:
    scheduled: int = 0  # scheduled or waiting to be posted by hand
    needing_attention: int = 0  # failed, or of unknown outcome
    published: int = 0
    sending: int = 0
    drafts: int = 0  # posts with a variant for the account that were never scheduled
    posts: list[Any] = field(default_factory=list)  # the posts that will be cancelled

    @property
    def cancelled(self) -> int:
        return self.scheduled + self.needing_attention


def removal_effects(account: SocialAccount) -> RemovalEffects:
    pubs = Publication.objects.filter(account=account)
    counts = {
        status: pubs.filter(status=status).count()
        for status in (*STILL_TO_GO, Status.PUBLISHING, Status.PUBLISHED)
    }
    to_cancel = pubs.filter(status__in=STILL_TO_GO).select_related("post").order_by("due_at", "id")
    posts: list[Any] = []
    for pub in to_cancel[: POSTS_LISTED * 3]:
        if pub.post not in posts:
            posts.append(pub.post)
    drafts = (
        Variant.objects.filter(account=account)
        .filter(Q(publication__isnull=True) | Q(publication__status=Status.CANCELLED))
        .values("post_id")
        .distinct()
        .count()
    )
    return RemovalEffects(
        scheduled=counts[Status.SCHEDULED] + counts[Status.BY_HAND] + counts[Status.DRAFT],
        needing_attention=counts[Status.FAILED] + counts[Status.UNKNOWN],
        published=counts[Status.PUBLISHED],
        sending=counts[Status.PUBLISHING],
        drafts=drafts,
        posts=posts[:POSTS_LISTED],
    )


def cancel_for_removed_account(account: SocialAccount) -> int:
    """Inside the removal's transaction: cancel what was still to go out. Refused while a
    post to the account is being sent. Cancelling first means no scheduler can claim one of
    these rows afterwards; a send already under way rolls the whole removal back."""
    cancelled = Publication.objects.filter(account=account, status__in=STILL_TO_GO).update(
        status=Status.CANCELLED,
        run_at=None,
        lease_token=None,
        lease_expires_at=None,
        needs_person=False,
        error_code="account_removed",
        error_message="",
    )
    if Publication.objects.filter(account=account, status=Status.PUBLISHING).exists():
        raise ActionError(
            _("A post to this account is being sent right now; try again in a minute."),
            code="publishing",
            status=409,
        )
    return cancelled
