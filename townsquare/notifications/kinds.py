"""What each kind of notification says, in the reader's language.

A notification is written once, often by a background worker that has no idea who will
read it; the title stored with it is the English fallback. Known kinds are shown from their
facts (`data`) with the title translated when it is read, by whoever reads it.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from townsquare.networks.catalog import HIDDEN_NETWORKS, NETWORK_NAMES

TITLES: dict[str, Promise] = {
    "publication_failed": _("A post to %(account)s failed"),
    "publication_unknown": _("A post to %(account)s may or may not have gone out"),
    "connection_problem": _("Scheduled posts to %(account)s would fail"),
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
