"""Near-duplicates: a post very like another one to the same account within 30 days
either side is refused (409 near_duplicate) until the person confirms it; the posts of
one series or one evergreen family are meant to be alike and do not count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.lib.local_time import in_zone
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.queues.models import Evergreen, EvergreenRepost, SeriesOccurrence
from townsquare.queues.similarity import THRESHOLD, similarity

# The window around a post's time in which a similar post to the same account is a
# near-duplicate.
DUPLICATE_WINDOW = timedelta(days=30)
# Publications that go out (or went out): a similar one is a near-duplicate, and one of an
# account at a slot's time means the slot is taken (queue_actions).
TAKING = (
    Status.SCHEDULED,
    Status.PUBLISHING,
    Status.PUBLISHED,
    Status.BY_HAND,
    Status.UNKNOWN,
)


@dataclass(frozen=True)
class Duplicate:
    post_id: int
    account: str
    when: datetime
    published: bool
    score: float

    def describe(self, workspace: Any) -> str:
        if self.published:
            text = _("post %(id)s to %(account)s, published %(time)s")
        else:
            text = _("post %(id)s to %(account)s, scheduled for %(time)s")
        return text % {
            "id": self.post_id,
            "account": self.account,
            "time": in_zone(self.when, workspace),
        }


class NearDuplicate(ActionError):
    """The post is very like another one to the same account within 30 days."""

    def __init__(self, message: str, duplicates: list[Duplicate]) -> None:
        super().__init__(message, code="near_duplicate", status=409)
        self.duplicates = duplicates


def _family(post: Post) -> set[int]:
    """Posts that are meant to be alike: the occurrences of its series, the reposts of its
    evergreen original."""
    ids = {post.pk}
    occurrence = SeriesOccurrence.objects.filter(post=post).first()
    if occurrence is not None:
        ids.update(
            SeriesOccurrence.objects.filter(series_id=occurrence.series_id).values_list(
                "post_id", flat=True
            )
        )
    copy = EvergreenRepost.objects.filter(post=post).select_related("evergreen").first()
    original = copy.evergreen if copy else Evergreen.objects.filter(post=post).first()
    if original is not None:
        ids.add(original.post_id)
        ids.update(original.copies.values_list("post_id", flat=True))
    return ids


def find_near_duplicates(post: Post, due: datetime) -> list[Duplicate]:
    """Posts to the same accounts, published or scheduled within 30 days either side of
    `due`, whose text scores at least similarity.THRESHOLD against this post's."""
    accounts = list(
        post.variants.filter(account__removed_at=None).values_list("account_id", flat=True)
    )
    if not accounts:
        return []
    lo, hi = due - DUPLICATE_WINDOW, due + DUPLICATE_WINDOW
    pubs = (
        Publication.objects.filter(
            workspace=post.workspace, account_id__in=accounts, status__in=list(TAKING)
        )
        .filter(Q(due_at__range=(lo, hi)) | Q(published_at__range=(lo, hi)))
        .exclude(post_id__in=_family(post))
        .select_related("post", "account")
        .order_by("-due_at")[:500]
    )
    found: list[Duplicate] = []
    scores: dict[int, float] = {}
    for pub in pubs:
        if pub.post_id not in scores:
            scores[pub.post_id] = similarity(post.master_text, pub.post.master_text)
        score = scores[pub.post_id]
        if score >= THRESHOLD:
            published = pub.status == Status.PUBLISHED
            when = (pub.published_at if published else pub.due_at) or pub.due_at or due
            found.append(Duplicate(pub.post_id, str(pub.account), when, published, score))
    found.sort(key=lambda d: -d.score)
    return found


def check_near_duplicates(post: Post, due: datetime, *, confirmed: bool) -> None:
    """Refuse (NearDuplicate, 409) unless the person said "schedule anyway"."""
    if confirmed:
        return
    duplicates = find_near_duplicates(post, due)
    if duplicates:
        raise NearDuplicate(
            _(
                "This post is very similar to %(other)s. Change it, or confirm that it "
                "should be scheduled anyway."
            )
            % {"other": duplicates[0].describe(post.workspace)},
            duplicates,
        )
