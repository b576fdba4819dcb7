"""How many posts a thread may have, per network: the network's own figure where the
research found one, otherwise Townsquare's limit with its reason written beside it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from townsquare.networks.rules.loader import load_rules

RULES = load_rules()
TOWNSQUARE = "Townsquare's own choice (no network fact)"
RESEARCH = Path(__file__).resolve().parents[4] / "shared" / "research" / "network_rules.json"
# The research names a few networks differently from the rules.
RESEARCH_KEYS = {
    "facebook_pages": "facebook_page",
    "linkedin": "linkedin_profile",
    "telegram": "telegram_channel",
}
# "up to 25 posts", "at most 10 replies", "max 20 parts" in a research note.
STATED_MAXIMUM = re.compile(
    r"(?:up to|at most|max(?:imum)?(?: of)?)\s+(\d+)\s+(?:posts|replies|parts|messages)", re.I
)
WITH_THREADS = [key for key, rules in RULES.items() if rules.thread_supported.value]


@pytest.mark.parametrize("network", WITH_THREADS)
def test_every_network_with_threads_limits_their_length_and_says_why(network: str) -> None:
    rule = RULES[network].thread_max_parts

    assert rule.value is not None and rule.value >= 2
    if TOWNSQUARE in rule.sources:
        assert "Townsquare's limit, not the network's" in rule.note
        assert rule.overridable, "a workspace may raise a limit no network states"


def test_networks_without_threads_need_no_limit() -> None:
    for key, rules in RULES.items():
        if not rules.thread_supported.value:
            assert rules.thread_max_parts.value is None, key


@pytest.mark.skipif(not RESEARCH.exists(), reason="the research notes are not beside the code")
def test_a_thread_maximum_stated_in_the_research_is_the_one_in_force() -> None:
    research = json.loads(RESEARCH.read_text(encoding="utf-8"))
    for entry in research["networks"]:
        key = RESEARCH_KEYS.get(entry["network"], entry["network"])
        if key not in WITH_THREADS:
            continue
        support = entry.get("thread_support", {})
        stated = STATED_MAXIMUM.search(str(support.get("value", "")))
        rule = RULES[key].thread_max_parts
        if stated:
            assert rule.value == int(stated.group(1)), key
            assert TOWNSQUARE not in rule.sources, key
        else:
            assert TOWNSQUARE in rule.sources, f"{key}: no researched maximum, so ours"
