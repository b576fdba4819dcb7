"""Load the rules data file into frozen `NetworkRules`, and apply overrides.

Precedence, lowest first: the researched default from rules.json, then the workspace admin's
override (allowed only for rules verified as third-party or unverified), then the values the
network reported for the connected account (always allowed: they are the network's own word,
for example a Mastodon instance's `max_characters`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any, cast

from townsquare.networks.rules.model import (
    RULE_NAMES,
    VERIFICATION_LEVELS,
    NetworkRules,
    OfficialRuleOverrideRefused,
    Rule,
    RuleError,
    Verification,
    parse_rule_value,
)

RULES_FILE = "rules.json"

NETWORK_KEYS: tuple[str, ...] = (
    "x",
    "bluesky",
    "mastodon",
    "threads",
    "linkedin_profile",
    "linkedin_page",
    "facebook_page",
    "instagram",
    "tiktok",
    "youtube",
    "pinterest",
    "telegram_channel",
    "discord",
    "matrix_room",
    "reddit",
)

# What a rule is when the data file says nothing about it for a network: no limit known, the
# feature absent. Marked unverified (so a workspace may set it) and sourced as such.
_MISSING_SOURCE = "No researched fact; Townsquare's default for a rule the sources do not state"
_DEFAULTS: Mapping[str, object] = {
    "text_counting": "utf16",
    "text_max_bytes": None,
    "caption_max": None,
    "url_weight": None,
    "title_max": None,
    "title_required": False,
    "forbidden_chars": "",
    "content_warning_supported": False,
    "hashtags_max": None,
    "cashtags_max": None,
    "mentions_max": None,
    "links_max": None,
    "links_clickable": True,
    "link_preview": "server",
    "link_url_max": None,
    "thread_supported": False,
    "thread_max_parts": None,
    "media_required": False,
    "media_kinds": ("image", "gif", "video"),
    "media_max_per_kind": {},
    "media_kinds_exclusive": False,
    "image_types": None,
    "video_types": None,
    "document_types": None,
    "image_max_bytes": None,
    "gif_max_bytes": None,
    "video_max_bytes": None,
    "document_max_bytes": None,
    "image_aspect_ratio": None,
    "video_aspect_ratio": None,
    "video_duration_s": None,
    "alt_text_supported": False,
    "alt_text_max": None,
    "alt_text_kinds": ("image", "gif", "video"),
}
_REQUIRED = frozenset({"text_max", "media_max"})


def load_rules() -> dict[str, NetworkRules]:
    """Rules of every network by key, read once from rules.json (a fresh dict each call)."""
    return dict(_load_cached())


@cache
def _load_cached() -> tuple[tuple[str, NetworkRules], ...]:
    text = resources.files(__package__).joinpath(RULES_FILE).read_text(encoding="utf-8")
    return tuple(parse_rules_document(json.loads(text)).items())


def parse_rules_document(document: Mapping[str, Any]) -> dict[str, NetworkRules]:
    """Build `NetworkRules` for every network of a rules document (the shape of rules.json)."""
    sources = cast(Mapping[str, str], document["sources"])
    networks = cast(Mapping[str, Mapping[str, Any]], document["networks"])
    parsed: dict[str, NetworkRules] = {}
    for key, entry in networks.items():
        parent_key = entry.get("inherits")
        if parent_key is not None:
            if parent_key not in parsed:
                raise RuleError(f"{key}: inherits from {parent_key!r}, which must come first")
            inherited = parsed[parent_key].rules()
        else:
            inherited = {}
        rules: dict[str, Rule[Any]] = dict(inherited)
        for name, raw_rule in cast(Mapping[str, Mapping[str, Any]], entry["rules"]).items():
            rules[name] = _rule_from_json(key, name, raw_rule, sources)
        for name in RULE_NAMES:
            if name in rules:
                continue
            if name in _REQUIRED:
                raise RuleError(f"{key}: rule {name!r} is required")
            rules[name] = Rule(
                value=parse_rule_value(name, _DEFAULTS[name]),
                verification="unverified",
                sources=(_MISSING_SOURCE,),
            )
        parsed[key] = NetworkRules(key=key, display_name=str(entry["display_name"]), **rules)
    return parsed


def _rule_from_json(
    network: str, name: str, raw: Mapping[str, Any], sources: Mapping[str, str]
) -> Rule[Any]:
    where = f"{network}.{name}"
    verification = raw.get("verification")
    if verification not in VERIFICATION_LEVELS:
        raise RuleError(f"{where}: unknown verification level {verification!r}")
    source_ids = raw.get("src") or []
    if not source_ids:
        raise RuleError(f"{where}: every rule needs at least one source")
    missing = [source_id for source_id in source_ids if source_id not in sources]
    if missing:
        raise RuleError(f"{where}: unknown sources {missing}")
    try:
        value = parse_rule_value(name, raw.get("value"))
    except RuleError as exc:
        raise RuleError(f"{where}: {exc}") from exc
    return Rule(
        value=value,
        verification=cast(Verification, verification),
        sources=tuple(sources[source_id] for source_id in source_ids),
        note=str(raw.get("note", "")),
    )


def effective_rules(
    rules: NetworkRules,
    workspace_overrides: Mapping[str, object] | None = None,
    account_overrides: Mapping[str, object] | None = None,
) -> NetworkRules:
    """The rules in force for one account: defaults, then workspace, then account values.

    Raises `OfficialRuleOverrideRefused` when a workspace tries to change an official rule and
    `RuleError` for unknown rule names or malformed values. Account values (reported by the
    network when the account was connected) may change any rule.
    """
    changes: dict[str, Any] = {}
    for name, raw in (workspace_overrides or {}).items():
        current = rules.rule(name)
        if not current.overridable:
            raise OfficialRuleOverrideRefused(
                f"The rule {name!r} of {rules.display_name} is verified as "
                f"{current.verification} ({'; '.join(current.sources)}) and cannot be "
                "overridden by a workspace."
            )
        changes[name] = replace(
            current,
            value=parse_rule_value(name, raw),
            origin="workspace",
            sources=("Set by a workspace admin", *current.sources),
        )
    for name, raw in (account_overrides or {}).items():
        current = changes.get(name) or rules.rule(name)
        changes[name] = replace(
            current,
            value=parse_rule_value(name, raw),
            origin="account",
            sources=("Reported by the network for this account", *current.sources),
        )
    if not changes:
        return rules
    return replace(rules, **changes)


def rules_for(
    network: str,
    workspace_overrides: Mapping[str, object] | None = None,
    account_overrides: Mapping[str, object] | None = None,
) -> NetworkRules:
    """Shortcut: the effective rules of `network` with both kinds of override applied."""
    all_rules = _rules_by_key()
    if network not in all_rules:
        raise RuleError(f"Unknown network {network!r}")
    return effective_rules(all_rules[network], workspace_overrides, account_overrides)


@cache
def _rules_by_key() -> Mapping[str, NetworkRules]:
    return dict(_load_cached())
