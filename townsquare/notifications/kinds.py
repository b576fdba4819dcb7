"""What each kind of notification says, in the reader's language.

A notification is written once, often by a background worker that has no idea who will
read it; the title stored with it is the English fallback. Known kinds are shown from their
facts (`data`) with the title translated when it is read, by whoever reads it.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from townsquare.networks.catalog import HIDDEN_NETWORKS, NETWORK_NAMES

TITLES: dict[str, Promise] = {
    "publication_failed": _("A post to %(account)s failed"),
    "publication_unknown": _("A post to %(account)s may or may not have gone out"),
    "connection_problem": _("Scheduled posts to %(account)s would fail"),
    "publication_reminder": _("Time to post on %(account)s by hand"),
}


def account_label(data: dict[str, Any]) -> str:
    network = str(data.get("network", ""))
    name = NETWORK_NAMES.get(network) or HIDDEN_NETWORKS.get(network) or network
    return " ".join(part for part in (name, str(data.get("account", ""))) if part)


def title_of(kind: str, data: dict[str, Any], fallback: str) -> str:
    template = TITLES.get(kind)
    if template is None or not data.get("account"):
        return fallback
    return str(template) % {"account": account_label(data)}


def body_of(kind: str, data: dict[str, Any], fallback: str, *, links: bool = True) -> str:
    """The body in the reader's language where the kind is known from its facts; `links`:
    with the addresses to open (email), or without (in the app, the notification is one)."""
    if kind == "publication_reminder" and "parts" in data:
        return _reminder_body(data, links)
    return fallback


def _reminder_body(data: dict[str, Any], links: bool) -> str:
    parts = [str(p) for p in data.get("parts") or []]
    lines: list[str] = []
    if data.get("due"):
        lines.append(
            gettext("Due %(time)s (%(zone)s).")
            % {"time": data["due"], "zone": data.get("time_zone", "")}
        )
    lines.append(
        gettext(
            "Townsquare cannot post to this network itself: please post it there, then mark "
            "it as posted with its address."
        )
    )
    if data.get("content_warning"):
        lines.append(gettext("Content warning: %(text)s") % {"text": data["content_warning"]})
    for index, part in enumerate(parts, start=1):
        heading = (
            gettext("Text (post %(index)s of %(count)s):") % {"index": index, "count": len(parts)}
            if len(parts) > 1
            else gettext("Text:")
        )
        lines.append(f"{heading}\n{part}")
    media = [m for m in data.get("media") or [] if isinstance(m, dict)]
    if media:
        items = []
        for m in media:
            item = str(m.get("name", ""))
            if m.get("alt_text"):
                item += " – " + gettext("alt text: %(text)s") % {"text": m["alt_text"]}
            if links:
                item += f"\n  {m.get('url', '')}"
            items.append(f"- {item}")
        heading = (
            gettext("Media to download (sign in to Townsquare first):")
            if links
            else gettext("Media:")
        )
        lines.append(heading + "\n" + "\n".join(items))
    if links:
        # The email ends with the link to the reminder, where it is marked as posted.
        lines.append(gettext("The whole post: %(link)s") % {"link": data.get("post_url", "")})
    return "\n\n".join(lines)
