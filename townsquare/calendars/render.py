"""A tile's HTML, built in Python: a month holds a few hundred tiles, and a template include
per tile would cost more than the rest of the page. The markup is what _tile.html was;
every value is escaped, and the words are translated once per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape as _escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from townsquare.calendars.tiles import Tile

# Short marks of each network on a tile (the full name is beside them for screen readers).
NETWORK_SHORT = {
    "bluesky": "Bs",
    "mastodon": "Ma",
    "x": "X",
    "threads": "Th",
    "linkedin_profile": "in",
    "linkedin_page": "in",
    "facebook_page": "f",
    "instagram": "Ig",
    "tiktok": "Tt",
    "youtube": "Yt",
    "pinterest": "P",
    "telegram_channel": "Tg",
    "discord": "Dc",
    "matrix_room": "[m]",
    "reddit": "R",
    "testnet": "T",
}


@dataclass(frozen=True)
class TileWords:
    """What every tile of a page says, translated once."""

    statuses: dict[str, str]
    move: str
    move_post: str
    new_time: str
    no_text: str
    repeats: str

    @classmethod
    def now(cls, zone: str) -> TileWords:
        return cls(
            statuses={
                "scheduled": _("Scheduled"),
                "published": _("Published"),
                "failed": _("Failed"),
                "by_hand": _("By hand"),
                "draft": _("Draft, proposed time"),
                "unknown": _("Check on the network"),
                "publishing": _("Publishing"),
                "cancelled": _("Cancelled"),
            },
            move=_("Move"),
            move_post=_("Move post"),
            new_time=_("New date and time (%(time_zone)s)") % {"time_zone": zone},
            no_text=_("(no text)"),
            repeats=_("Repeats"),
        )


@dataclass(frozen=True)
class TilePage:
    """What the tiles of one page share: where moves go, and how tiles are coloured."""

    words: TileWords
    post_url: str  # the post page's address without the id, ending in "/"
    move_url: str
    csrf_token: str
    here: str
    colour: str  # "pillar" or "network"
    palette: dict[int, int]
    can_move: bool
    # One moment for the whole page: which tiles are past (not a clock read per tile).
    now: datetime = field(default_factory=timezone.now)


def escape(text: object) -> str:
    """The standard library's escaping (what Django's escape does for a string, without
    the cost of its lazy-text wrapper on every call)."""
    return _escape(str(text), quote=True)


def _short(text: str, limit: int = 30) -> str:
    """The text cut to `limit` characters with an ellipsis (what Truncator.chars does for
    plain text, without building its lazy object for every tile)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tile_html(tile: Tile, page: TilePage) -> SafeString:
    e = escape
    networks = tile.networks
    statuses_found = tile.statuses
    classes = ["cal-tile", f"cal-st-{statuses_found[0] if statuses_found else 'draft'}"]
    if page.colour == "network" and networks:
        classes.append(f"cal-net-{networks[0]}")
    elif tile.pillar_id in page.palette:
        classes.append(f"cal-pal-{page.palette[tile.pillar_id]}")
    if tile.due_at < page.now:
        classes.append("cal-tile-past")
    movable = page.can_move and tile.editable
    wall = tile.local
    attrs = (
        f' data-post="{tile.post_id}" data-date="{wall:%Y-%m-%d}" data-time="{wall:%H:%M}"'
        + (' draggable="true"' if movable else "")
        + (
            f' data-colour="{e(tile.pillar_colour)}"'
            if page.colour == "pillar" and tile.pillar_colour
            else ""
        )
    )
    names = {a.network: a.network_name for a in tile.accounts}
    badges = "".join(
        f'<abbr class="cal-badge cal-net-{e(n)}" title="{e(names[n])}">'
        f"{e(NETWORK_SHORT.get(n, n[:2]))}</abbr>"
        f'<span class="visually-hidden">{e(names[n])}</span>'
        for n in networks
    )
    statuses = " ".join(
        f'<span class="status status-{e(s)}">{e(page.words.statuses.get(s, s))}</span>'
        for s in statuses_found
    )
    meta = statuses
    if tile.repeats:
        meta += (
            f' <span class="cal-repeats" title="{e(page.words.repeats)}">'
            f'<span aria-hidden="true">↻</span> {e(page.words.repeats)}</span>'
        )
    if tile.pillar:
        meta += f' <span class="cal-pillar">{e(tile.pillar)}</span>'
    if tile.campaign:
        meta += f' <span class="cal-campaign">{e(tile.campaign)}</span>'
    accounts = ""
    if len(tile.accounts) > 1:
        accounts = (
            '<p class="visually-hidden">'
            + ", ".join(f"{e(a.network_name)} · {e(a.label)}" for a in tile.accounts)
            + "</p>"
        )
    move = ""
    if movable:
        field = f"move-{tile.post_id}-{wall:%Y%m%d%H%M}"
        move = (
            f'<details class="cal-move"><summary>{e(page.words.move)}'
            f'<span class="visually-hidden"> {e(_short(tile.text))}</span></summary>'
            f'<form method="post" action="{e(page.move_url)}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(page.csrf_token)}">'
            f'<input type="hidden" name="post" value="{tile.post_id}">'
            f'<input type="hidden" name="next" value="{e(page.here)}">'
            f'<label for="{field}">{e(page.words.new_time)}</label>'
            f'<input type="datetime-local" id="{field}" name="at" value="{wall:%Y-%m-%dT%H:%M}"'
            f" required>"
            f'<button type="submit">{e(page.words.move_post)}</button></form></details>'
        )
    html = (
        f'<article class="{" ".join(classes)}"{attrs}>'
        f'<p class="cal-tile-head"><time datetime="{tile.due_at.isoformat()}">{wall:%H:%M}</time>'
        f' <span class="cal-badges">{badges}</span></p>'
        f'<p class="cal-text"><a href="{e(page.post_url)}{tile.post_id}/" data-user-content'
        f' lang="{e(tile.language)}">{e(tile.text or page.words.no_text)}</a></p>'
        f'<p class="cal-meta">{meta}</p>{accounts}{move}</article>'
    )
    return mark_safe(html)  # noqa: S308 (every value above is escaped)
