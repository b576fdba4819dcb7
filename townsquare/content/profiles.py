"""From a network's effective rules to the TargetProfile the adaptation engine works with.

Pure: the one place where the rules module and the adaptation engine meet, so neither has
to know the other.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from townsquare.content.adapting.model import Language, LinkMode, TargetProfile
from townsquare.networks.rules.counting import text_length
from townsquare.networks.rules.model import NetworkRules

# What the networks (or common practice where they are silent) recommend; the workspace's
# plan may set its own figure, never above the network's hard cap.
RECOMMENDED_HASHTAGS: dict[str, int] = {
    "x": 2,
    "threads": 1,
    "bluesky": 3,
    "mastodon": 4,
    "linkedin_profile": 5,
    "linkedin_page": 5,
    "facebook_page": 3,
    "instagram": 5,
    "tiktok": 5,
    "pinterest": 5,
}

# LinkedIn's "little" text format links a mention to the member or organisation URN.
MENTION_TEMPLATES: dict[str, str] = {}


def length_function(rules: NetworkRules, content_warning: str = "") -> Callable[[str], int]:
    return partial(
        text_length,
        rules.text_counting.value,
        url_weight=rules.url_weight.value,
        content_warning=content_warning,
    )


def link_mode(rules: NetworkRules) -> LinkMode:
    if not rules.links_clickable.value:
        return "bio"
    if rules.link_preview.value == "client_card":
        return "card"
    return "inline"


def target_profile(
    rules: NetworkRules,
    account_label: str,
    language: Language | None = None,
    content_warning: str = "",
) -> TargetProfile:
    return TargetProfile(
        network=rules.key,
        account_label=account_label,
        max_length=rules.text_max.value,
        length=length_function(rules, content_warning),
        supports_threads=rules.thread_supported.value,
        max_thread_parts=rules.thread_max_parts.value,
        hashtag_cap=rules.hashtags_max.value,
        hashtag_recommended=RECOMMENDED_HASHTAGS.get(rules.key),
        link_mode=link_mode(rules),
        language=language,
        mention_template=MENTION_TEMPLATES.get(rules.key, "{handle}"),
        # Every counter in rules/counting.py counts two pieces joined by a space at most as
        # much as the pieces apart, which lets the engine count long texts through their parts.
        length_adds_up=True,
    )
