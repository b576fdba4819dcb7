"""Network names in both languages, for the plan's diff (which is written in both)."""

from __future__ import annotations

from django.utils import translation

from townsquare.networks.catalog import NETWORK_NAMES, network_label


def network_names() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    with translation.override("en"):
        english = {key: network_label(key) for key in NETWORK_NAMES}
    with translation.override("de"):
        german = {key: network_label(key) for key in NETWORK_NAMES}
    for key in NETWORK_NAMES:
        names[key] = (english[key], german[key])
    return names
