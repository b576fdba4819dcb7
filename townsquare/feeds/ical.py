"""A workspace's (or a campaign's) publications as an iCalendar feed (RFC 5545, with the
RFC 7986 properties calendar apps read: NAME, REFRESH-INTERVAL).

One VEVENT per publication: its UID is stable (the publication's idempotency key), its
DTSTAMP the publication's last change, its DTSTART the time it goes (or went) out, in UTC.
Drafts, cancelled and failed publications are left out; a constant number of queries.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from icalendar import Calendar, Event

from townsquare.feeds.models import FeedToken
from townsquare.lib.local_time import zone_of
from townsquare.networks.catalog import network_label
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status

PRODID = "-//Townsquare//Calendar feed//EN"
REFRESH = timedelta(hours=1)
# What a feed spans, and how many events it holds at most (the nearest first).
PAST = timedelta(days=92)
FUTURE = timedelta(days=366)
MAX_EVENTS = 2000
# How long an event lasts in a calendar: publications are instants.
EVENT_LENGTH = timedelta(minutes=15)
SUMMARY_WORDS = 8
SUMMARY_CHARS = 60

SHOWN_STATES = (
    Status.SCHEDULED.value,
    Status.PUBLISHING.value,
    Status.BY_HAND.value,
    Status.UNKNOWN.value,
    Status.PUBLISHED.value,
)


def first_words(text: str) -> str:
    words = " ".join(text.split()).split(" ")
    short = " ".join(words[:SUMMARY_WORDS])
    if len(short) > SUMMARY_CHARS:
        short = short[: SUMMARY_CHARS - 1].rstrip() + "…"
    elif len(words) > SUMMARY_WORDS:
        short += " …"
    return short


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "townsquare"


def feed_name(feed: FeedToken) -> str:
    if feed.campaign_id and feed.campaign is not None:
        return f"{feed.workspace.name} – {feed.campaign.name}"
    return feed.workspace.name


def publications(feed: FeedToken) -> list[Publication]:
    now = timezone.now()
    rows = Publication.objects.filter(
        workspace_id=feed.workspace_id,
        status__in=SHOWN_STATES,
        due_at__gte=now - PAST,
        due_at__lt=now + FUTURE,
    )
    if feed.campaign_id is not None:
        rows = rows.filter(post__campaign_id=feed.campaign_id)
    return list(
        rows.select_related(
            "account", "post", "variant", "post__campaign", "post__pillar"
        ).order_by("due_at", "id")[:MAX_EVENTS]
    )


def _status_label(status: str) -> str:
    labels = {
        Status.SCHEDULED.value: gettext("Scheduled"),
        Status.PUBLISHING.value: gettext("Publishing"),
        Status.BY_HAND.value: gettext("Waiting to be posted by hand"),
        Status.UNKNOWN.value: gettext("Check on the network"),
        Status.PUBLISHED.value: gettext("Published"),
    }
    return labels.get(status, status)


def event_for(pub: Publication, host: str) -> Event:
    text = (pub.variant.text if pub.variant is not None and pub.variant.text else "") or (
        pub.post.master_text
    )
    network = network_label(pub.account.network)
    start = (
        pub.published_at
        if pub.status == Status.PUBLISHED.value and pub.published_at
        else pub.due_at
    )
    assert start is not None  # filtered on due_at above
    start = start.astimezone(UTC)
    url = settings.SITE_URL + reverse(
        "content_post", kwargs={"workspace": pub.workspace.slug, "post_id": pub.post_id}
    )
    lines = [
        f"{network} · {pub.account.handle}",
        pgettext("calendar feed event", "Status: %(status)s")
        % {"status": _status_label(pub.status)},
    ]
    if pub.post.campaign is not None:
        lines.append(
            pgettext("calendar feed event", "Campaign: %(name)s") % {"name": pub.post.campaign.name}
        )
    if pub.post.pillar is not None:
        lines.append(
            pgettext("calendar feed event", "Content pillar: %(name)s")
            % {"name": pub.post.pillar.name}
        )
    lines += ["", text, "", url]
    event = Event()
    event.add("uid", f"publication-{pub.idempotency_key}@{host}")
    event.add("dtstamp", pub.updated_at)
    event.add("last-modified", pub.updated_at)
    event.add("dtstart", start)
    event.add("dtend", start + EVENT_LENGTH)
    event.add("summary", f"{network}: {first_words(text)}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if pub.post.campaign is not None:
        event.add("categories", [pub.post.campaign.name])
    return event


def render_feed(feed: FeedToken) -> bytes:
    """The feed as bytes, in the workspace's language."""
    workspace = feed.workspace
    with translation.override(workspace.language or settings.LANGUAGE_CODE):
        name = feed_name(feed)
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add(
            "description", gettext("Publications of %(name)s in Townsquare") % {"name": name}
        )
        calendar.add("x-wr-timezone", zone_of(workspace))
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH)
        host = _host()
        for pub in publications(feed):
            pub.workspace = workspace
            calendar.add_component(event_for(pub, host))
        return calendar.to_ical()
