"""Posting rules of the test network: Bluesky's, with a plain 500-unit text limit.

The test network is not in rules.json (that file holds researched facts about real networks,
with sources), so `rules_for("testnet")` does not know it; the publishing engine and its tests
use `testnet_rules()` instead. Text is counted in UTF-16 units, which are never fewer than the
code points the server counts, so a text these rules accept is never refused for its length.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from townsquare.networks.rules.loader import rules_for
from townsquare.networks.rules.model import NetworkRules, Rule

KEY = "testnet"
DISPLAY_NAME = "Test network"
TEXT_MAX = 500  # the server's TEXT_LIMIT
THREAD_MAX_PARTS = 25
_SOURCE = ("Townsquare's test network (townsquare/networks/testnet/server.py)",)


@cache
def testnet_rules() -> NetworkRules:
    """The rules the test network enforces, built from Bluesky's (media, threads, alt text)."""
    base = rules_for("bluesky")
    return replace(
        base,
        key=KEY,
        display_name=DISPLAY_NAME,
        text_counting=Rule("utf16", "official", _SOURCE),
        text_max=Rule(TEXT_MAX, "official", _SOURCE),
        text_max_bytes=Rule(None, "official", _SOURCE),
        thread_supported=Rule(True, "official", _SOURCE),
        thread_max_parts=Rule(THREAD_MAX_PARTS, "official", _SOURCE),
    )


# The name starts with "test": without this, pytest would collect it in every test module
# that imports it and warn that a test returned a value.
testnet_rules.__test__ = False  # type: ignore[attr-defined]
