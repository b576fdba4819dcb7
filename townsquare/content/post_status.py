"""Where a post stands, in one line for its title and the list of posts.

A post is a draft until it is scheduled; then its publications (one per account) say what
happened. The line names the state that needs a person most: something being sent, an
outcome nobody knows yet, a failure, then the time it is scheduled for, then when it went
out. Times are the wall-clock time in the zone the person chose, with the zone named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, utc_to_local


@dataclass(frozen=True)
class PostStatus:
    state: str  # draft, scheduled, publishing, published, failed, unknown
    title: str  # "Scheduled for Fri 11 Dec, 09:00 (Europe/Berlin)"
    when: datetime | None = None  # the scheduled wall-clock time, for the date field
    time_zone: str = ""


def format_wall(wall: datetime, now_local: datetime | None = None) -> str:
    """ "Fri 11 Dec, 09:00" ("Fr., 11. Dez., 09:00"); the year only when it is not this one."""
    same_year = now_local is None or wall.year == now_local.year
    if same_year:
        # Translators: a date format (PHP-style letters as in Django's date filter).
        pattern = pgettext("date and time of a post", "D j M, H:i")
    else:
        pattern = pgettext("date and time of a post in another year", "D j M Y, H:i")
    return dateformat.format(wall, pattern)


def _wall(publication: Publication) -> datetime | None:
    try:
        return datetime.fromisoformat(publication.local_due) if publication.local_due else None
    except ValueError:
        return None


def _networks(publications: Iterable[Publication]) -> str:
    names = dict.fromkeys(_(p.account.get_network_display()) for p in publications)
    return ", ".join(names)


def post_status(publications: Iterable[Publication], zone: str) -> PostStatus:
    """The line for a post with these publications (cancelled ones do not count)."""
    live = [p for p in publications if p.status not in (Status.CANCELLED, Status.DRAFT)]
    by_state: dict[str, list[Publication]] = {}
    for pub in live:
        by_state.setdefault(pub.status, []).append(pub)
    now_local = utc_to_local(timezone.now(), zone)
    if Status.PUBLISHING in by_state:
        return PostStatus("publishing", _("Being published right now"))
    if Status.UNKNOWN in by_state:
        return PostStatus(
            "unknown",
            _("Not confirmed by %(networks)s: please check")
            % {"networks": _networks(by_state[Status.UNKNOWN])},
        )
    if Status.FAILED in by_state:
        return PostStatus(
            "failed",
            _("Failed on %(networks)s") % {"networks": _networks(by_state[Status.FAILED])},
        )
    if Status.SCHEDULED in by_state:
        first = min(by_state[Status.SCHEDULED], key=lambda p: p.due_at or timezone.now())
        wall = _wall(first) or utc_to_local(first.due_at or timezone.now(), first.time_zone)
        return PostStatus(
            "scheduled",
            _("Scheduled for %(time)s (%(zone)s)")
            % {"time": format_wall(wall, now_local), "zone": first.time_zone},
            when=wall,
            time_zone=first.time_zone,
        )
    if Status.PUBLISHED in by_state:
        done = by_state[Status.PUBLISHED]
        at = max((p.published_at for p in done if p.published_at), default=None)
        if at is None:
            return PostStatus("published", _("Published"))
        zone_of = done[0].time_zone or zone
        return PostStatus(
            "published",
            _("Published on %(time)s (%(zone)s)")
            % {"time": format_wall(utc_to_local(at, zone_of), now_local), "zone": zone_of},
        )
    return PostStatus("draft", _("Draft"))


def statuses_of(posts: Iterable, zone: str) -> dict[int, PostStatus]:
    """The line of each post, with one query for all their publications."""
    ids = [post.pk for post in posts]
    publications: dict[int, list[Publication]] = {pk: [] for pk in ids}
    for pub in Publication.objects.filter(post_id__in=ids).select_related("account"):
        publications[pub.post_id].append(pub)
    return {pk: post_status(pubs, zone) for pk, pubs in publications.items()}
