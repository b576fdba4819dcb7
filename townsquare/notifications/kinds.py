"""What each kind of notification says, in the reader's language.

A notification is written once, often by a background worker that has no idea who will
read it; the title stored with it is the English fallback. Known kinds are shown from their
facts (`data`) with the title translated when it is read, by whoever reads it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from townsquare.lib.local_time import wall_time
from townsquare.networks.catalog import network_label
from townsquare.networks.health_texts import problem_text
from townsquare.publishing.error_texts import error_text, error_text_lines

TITLES: dict[str, Promise] = {
    "publication_failed": _("A post to %(account)s failed"),
    "publication_unknown": _("A post to %(account)s may or may not have gone out"),
    "connection_problem": _("Scheduled posts to %(account)s would fail"),
    "publication_reminder": _("Time to post on %(account)s by hand"),
}


def account_label(data: dict[str, Any]) -> str:
    network = str(data.get("network", ""))
    name = network_label(network) if network else ""
    return " ".join(part for part in (name, str(data.get("account", ""))) if part)


FAILURES = ("publication_failed", "publication_unknown")


def detail_of(kind: str, data: dict[str, Any], fallback: str) -> tuple[str, str] | None:
    """In the app: the stored error text as a detail to quote (its label, the text), for the
    failures whose body is the sentence for the error's code; None otherwise."""
    if kind not in FAILURES or "error_code" not in data:
        return None
    text = error_text(str(data["error_code"]), fallback)
    if text is None or not text.detail:
        return None
    label = gettext("The network said:") if text.from_network else gettext("Details:")
    return label, text.detail


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
    if kind in FAILURES and "error_code" in data:
        # The stored body is the error as it was written (often the network's English);
        # the sentence for its code is in the reader's language, the stored text its detail
        # (in the app shown apart, by `detail_of`, as a quotation).
        if not links:
            text = error_text(str(data["error_code"]), fallback)
            return text.message if text else fallback
        return error_text_lines(str(data["error_code"]), fallback) or fallback
    if kind == "connection_problem" and data.get("code"):
        return problem_text(str(data["code"])) or fallback
    return fallback


def _wall(due: str) -> str:
    """The due time (a wall time in the zone named beside it) as the reader writes it."""
    try:
        return wall_time(datetime.fromisoformat(due))
    except ValueError:
        return due


def _reminder_body(data: dict[str, Any], links: bool) -> str:
    parts = [str(p) for p in data.get("parts") or []]
    lines: list[str] = []
    if data.get("due"):
        lines.append(
            gettext("Due %(time)s (%(zone)s).")
            % {"time": _wall(str(data["due"])), "zone": data.get("time_zone", "")}
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
